import {
  type CredentialFileView,
  type CredentialView,
  ORDER_STATUSES,
  type OrderListView,
  type OrderView,
} from '@prescriptchain/contracts';
import { z } from 'zod';

/**
 * orders' replies (typed as interfaces in the contract) as schemas, so the gateway reads them with
 * parseReply like every other service's. `satisfies z.ZodType<…>` keeps each in step with its
 * interface at compile time.
 */
const Cents = z.number().int().nonnegative();
const Status = z.enum(ORDER_STATUSES);
const Timestamp = z.string().min(1);

export const OrderViewSchema = z.object({
  id: z.uuid(),
  platformOrderId: z.string().nullable(),
  status: Status,
  clinicId: z.uuid(),
  practitionerId: z.uuid(),
  patientInfo: z.object({
    name: z.string(),
    phone: z.string().nullish(),
    email: z.string().nullish(),
    dateOfBirth: z.string().nullish(),
    address: z.string().nullish(),
    pregnant: z.boolean().nullish(),
  }),
  items: z.array(
    z.object({
      medicineId: z.uuid(),
      name: z.string(),
      pinyin: z.string(),
      englishName: z.string(),
      unit: z.string(),
      quantity: z.string(),
      processing: z.string().nullable(),
      decoctionMethod: z.string().nullable(),
      dosageInstructions: z.string().nullable(),
      unitPriceCents: Cents,
      totalPriceCents: Cents,
    }),
  ),
  packs: z.number().int().positive(),
  notes: z.string().nullable(),
  totalCents: Cents,
  currency: z.literal('NZD'),
  paymentFailureReason: z.string().nullable(),
  safetyOverride: z.object({ reason: z.string(), rules: z.array(z.string()) }).nullable(),
  credential: z
    .object({ platformOrderId: z.string(), expiresAt: Timestamp, qrCodeData: z.string().optional() })
    .nullable(),
  assignedPharmacyId: z.uuid().nullable(),
  holdExpiresAt: Timestamp.nullable(),
  payoutCents: Cents.nullable(),
  history: z.array(
    z.object({
      from: Status.nullable(),
      to: Status,
      at: Timestamp,
      by: z.string(),
      reason: z.string().nullable(),
    }),
  ),
  createdAt: Timestamp,
  updatedAt: Timestamp,
}) satisfies z.ZodType<OrderView>;

export const OrderListViewSchema = z.object({
  items: z.array(OrderViewSchema),
  total: z.number().int().nonnegative(),
  page: z.number().int().min(1),
  limit: z.number().int().min(1),
}) satisfies z.ZodType<OrderListView>;

export const CredentialViewSchema = z.object({
  orderId: z.uuid(),
  platformOrderId: z.string(),
  qrCodeData: z.string(),
  verificationCode: z.string(),
  expiresAt: Timestamp,
}) satisfies z.ZodType<CredentialView>;

export const CredentialFileViewSchema = z.object({
  contentType: z.enum(['image/png', 'application/pdf']),
  fileName: z.string().min(1),
  base64: z.string(),
}) satisfies z.ZodType<CredentialFileView>;
