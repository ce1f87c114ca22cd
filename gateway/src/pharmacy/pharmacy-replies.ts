import {
  type ClaimPageView,
  type ClaimResultView,
  type ConfirmedFileView,
  type InventoryView,
  type NearbyPharmaciesView,
  ORDER_STATUSES,
  PharmacyAddressSchema,
  type PharmacyPageView,
  type PharmacyView,
  PROOF_REVIEW_STATUSES,
  type ProofPageView,
  type ProofView,
  type PutFileView,
  type UploadCheckView,
  type ScanResultView,
  ServiceHoursSchema,
  type StoredFileBytesView,
  UPLOAD_CONTENT_TYPES,
  type UploadUrlView,
} from '@prescriptchain/contracts';
import { z } from 'zod';

/**
 * Pharmacy's replies (libs/contracts/src/rpc/pharmacy.rpc.ts declares them as types only), as
 * schemas the gateway reads them with: a reply off contract is a 500, never half-formatted. Each is
 * checked against the contract's type at compile time.
 */

const Id = z.uuid();
const Timestamp = z.iso.datetime();
const cents = z.number().int().nonnegative();
const GeoPoint = z.object({ lat: z.number(), lng: z.number() });
const ContentType = z.enum(UPLOAD_CONTENT_TYPES);

export const PharmacyViewSchema = z.object({
  id: Id,
  name: z.string(),
  address: PharmacyAddressSchema,
  location: GeoPoint,
  contact: z.object({ email: z.string(), phone: z.string().nullable() }),
  licenseInfo: z.string().nullable(),
  serviceHours: ServiceHoursSchema,
  locale: z.enum(['en', 'zh']),
  status: z.enum(['active', 'suspended']),
  createdAt: Timestamp,
  updatedAt: Timestamp,
}) satisfies z.ZodType<PharmacyView>;

export const PharmacyPageViewSchema = z.object({
  items: z.array(PharmacyViewSchema),
  total: z.number().int().nonnegative(),
  page: z.number().int().positive(),
  limit: z.number().int().positive(),
}) satisfies z.ZodType<PharmacyPageView>;

export const InventoryViewSchema = z.object({
  pharmacyId: Id,
  items: z.array(
    z.object({ medicineId: Id, wholesalePriceCents: cents, available: z.boolean(), updatedAt: Timestamp }),
  ),
}) satisfies z.ZodType<InventoryView>;

export const NearbyPharmaciesViewSchema = z.object({
  pharmacies: z.array(
    z.object({
      id: Id,
      name: z.string(),
      address: PharmacyAddressSchema,
      location: GeoPoint,
      distanceKm: z.number().nonnegative(),
      canSupplyAll: z.boolean(),
      openNow: z.boolean(),
    }),
  ),
  searchCenter: GeoPoint,
  searchRadius: z.number().positive(),
}) satisfies z.ZodType<NearbyPharmaciesView>;

export const ScanResultViewSchema = z.object({
  order: z.object({
    id: Id,
    platformOrderId: z.string(),
    status: z.enum(ORDER_STATUSES),
    items: z.array(
      z.object({
        medicineId: Id,
        name: z.string(),
        pinyin: z.string(),
        englishName: z.string(),
        unit: z.string(),
        quantity: z.string(),
        packs: z.number().int(),
      }),
    ),
    patientName: z.string(),
    expiresAt: Timestamp,
  }),
  estimatedPayoutCents: cents,
  currency: z.literal('NZD'),
  redeemable: z.boolean(),
  undeclaredMedicineIds: z.array(Id),
  claimedBy: z.enum(['you', 'another']).nullable(),
}) satisfies z.ZodType<ScanResultView>;

export const ClaimResultViewSchema = z.object({
  orderId: Id,
  platformOrderId: z.string(),
  pharmacyId: Id,
  status: z.enum(ORDER_STATUSES),
  payoutCents: cents,
  currency: z.literal('NZD'),
  holdExpiresAt: Timestamp.nullable(),
  claimedAt: Timestamp,
  alreadyHeld: z.boolean(),
}) satisfies z.ZodType<ClaimResultView>;

export const ClaimPageViewSchema = z.object({
  items: z.array(
    z.object({
      orderId: Id,
      platformOrderId: z.string(),
      status: z.enum(ORDER_STATUSES),
      payoutCents: cents,
      currency: z.literal('NZD'),
      holdExpiresAt: Timestamp.nullable(),
      claimedAt: Timestamp,
    }),
  ),
  total: z.number().int().nonnegative(),
  page: z.number().int().positive(),
  limit: z.number().int().positive(),
}) satisfies z.ZodType<ClaimPageView>;

export const UploadUrlViewSchema = z.object({
  fileId: Id,
  uploadUrl: z.string().min(1),
  method: z.literal('PUT'),
  headers: z.record(z.string(), z.string()),
  expiresIn: z.number().int().positive(),
}) satisfies z.ZodType<UploadUrlView>;

export const PutFileViewSchema = z.object({
  fileId: Id,
  size: z.number().int().nonnegative(),
}) satisfies z.ZodType<PutFileView>;

export const UploadCheckViewSchema = z.object({
  fileId: Id,
  maxBytes: z.number().int().positive(),
  contentType: z.string(),
}) satisfies z.ZodType<UploadCheckView>;

export const StoredFileBytesViewSchema = z.object({
  fileId: Id,
  fileName: z.string(),
  contentType: ContentType,
  size: z.number().int().nonnegative(),
  base64: z.string(),
}) satisfies z.ZodType<StoredFileBytesView>;

export const ConfirmedFileViewSchema = z.object({
  fileId: Id,
  status: z.literal('confirmed'),
  size: z.number().int().nonnegative(),
  contentType: ContentType,
  checksum: z.string(),
}) satisfies z.ZodType<ConfirmedFileView>;

export const ProofViewSchema = z.object({
  id: Id,
  orderId: Id,
  pharmacyId: Id,
  reviewStatus: z.enum(PROOF_REVIEW_STATUSES),
  payoutCents: cents,
  currency: z.literal('NZD'),
  notes: z.string().nullable(),
  files: z.array(
    z.object({
      fileId: Id,
      fileName: z.string(),
      contentType: ContentType,
      size: z.number().int().nonnegative(),
      downloadUrl: z.string().min(1).optional(),
      expiresIn: z.number().int().positive().optional(),
    }),
  ),
  submittedBy: Id,
  submittedAt: Timestamp,
  reviewerId: Id.nullable(),
  reviewComments: z.string().nullable(),
  reviewedAt: Timestamp.nullable(),
}) satisfies z.ZodType<ProofView>;

export const ProofPageViewSchema = z.object({
  items: z.array(ProofViewSchema),
  total: z.number().int().nonnegative(),
  page: z.number().int().positive(),
  limit: z.number().int().positive(),
}) satisfies z.ZodType<ProofPageView>;
