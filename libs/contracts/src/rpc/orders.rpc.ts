import { z } from 'zod';
import { CentsSchema } from '../money';

export * from './orders-credential';

/**
 * Request/reply patterns orders answers on `orders.rpc` for orders and credentials, with their
 * request schemas. The gateway sends the authenticated caller as `caller`; pharmacy sends the
 * fulfilment commands (claimForReview, review) without one. Money is integer cents here; the
 * gateway formats "12.34". Binary answers (PNG, PDF) travel base64-encoded.
 */
export const ORDERS_RPC = {
  create: 'orders.orders.create',
  /** Price and safety-check a formula; stores nothing, moves no money. */
  check: 'orders.orders.check',
  submit: 'orders.orders.submit',
  retryPayment: 'orders.orders.retryPayment',
  cancel: 'orders.orders.cancel',
  get: 'orders.orders.get',
  list: 'orders.orders.list',
  getCredential: 'orders.orders.getCredential',
  credentialPng: 'orders.orders.credentialPng',
  credentialPdf: 'orders.orders.credentialPdf',
  /** From pharmacy: compare-and-set PAID → DISPENSING for one pharmacy → ClaimView (or 4003 / 2003). */
  claim: 'orders.orders.claim',
  /** From pharmacy: DISPENSING → PAID by the holder (or an admin, `pharmacyId` null) → ClaimView. */
  releaseClaim: 'orders.orders.releaseClaim',
  /** From pharmacy: the holder's proof, DISPENSING | REJECTED → PENDING_REVIEW (else 4003). */
  submitForReview: 'orders.orders.submitForReview',
  review: 'orders.orders.review',
  /** Public keys that verify credential tokens (`{ keys: CredentialJwk[] }`). */
  jwks: 'orders.credentials.jwks',
  /** `{ qrCodeData }` or `{ platformOrderId, verificationCode }` → the order it names, or 4002. */
  verifyCredential: 'orders.credentials.verify',
} as const;

export const ORDER_STATUSES = [
  'DRAFT',
  'PENDING_PAYMENT',
  'PAYMENT_FAILED',
  'PAID',
  'DISPENSING',
  'PENDING_REVIEW',
  'REJECTED',
  'FULFILLED',
  'CANCELLED',
  'EXPIRED',
] as const;
export type OrderStatusName = (typeof ORDER_STATUSES)[number];

export const OrderCallerSchema = z.object({
  userId: z.uuid(),
  role: z.enum(['practitioner', 'pharmacy_operator', 'admin']),
  /** Clinics the caller is a member of (practitioners). */
  clinicIds: z.array(z.uuid()).max(200).default([]),
  /** The pharmacy a pharmacy operator acts for. */
  pharmacyId: z.uuid().nullish(),
});
export type OrderCaller = z.infer<typeof OrderCallerSchema>;

const text = (max: number) => z.string().trim().min(1).max(max);

export const PatientInfoSchema = z.object({
  name: text(200),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()-]{5,32}$/, 'must be a phone number')
    .nullish(),
  email: z.email().max(254).nullish(),
  dateOfBirth: z.iso.date().nullish(),
  address: text(500).nullish(),
  pregnant: z.boolean().nullish(),
});
export type PatientInfo = z.infer<typeof PatientInfoSchema>;

/** Grams per pack as a decimal string ("12.5") or a JSON number; at most 3 decimals (milligrams). */
export const QuantitySchema = z.union([z.string().trim().min(1).max(20), z.number()]);

export const OrderItemInputSchema = z.object({
  medicineId: z.uuid(),
  quantity: QuantitySchema,
  processing: text(100).nullish(),
  /** 先煎 后下 包煎 另煎 烊化 冲服, or its pinyin (xian jian, hòu xià...). */
  decoctionMethod: text(20).nullish(),
  dosageInstructions: text(500).nullish(),
});
export type OrderItemInput = z.infer<typeof OrderItemInputSchema>;

export const CreateOrderRequestSchema = z.object({
  caller: OrderCallerSchema,
  clinicId: z.uuid(),
  patientInfo: PatientInfoSchema,
  items: z.array(OrderItemInputSchema).min(1).max(60),
  packs: z.number().int().min(1).max(365).default(1),
  notes: text(2000).nullish(),
  draft: z.boolean().default(false),
  safetyOverrideReason: text(1000).nullish(),
  /** The HTTP Idempotency-Key; kept per practitioner for 24 h. */
  idempotencyKey: z.string().min(1).max(255).nullish(),
  /** A hash of the HTTP body; computed from this request when absent. */
  requestHash: z.string().min(1).max(128).nullish(),
});
export type CreateOrderRequest = z.input<typeof CreateOrderRequestSchema>;

/** What `POST /orders/check` needs of an order: who asks, for which clinic, the formula. */
export const CheckOrderRequestSchema = z.object({
  caller: OrderCallerSchema,
  clinicId: z.uuid(),
  items: z.array(OrderItemInputSchema).min(1).max(60),
  packs: z.number().int().min(1).max(365).default(1),
  pregnant: z.boolean().default(false),
});
export type CheckOrderRequest = z.input<typeof CheckOrderRequestSchema>;

export const OrderIdRequestSchema = z.object({ caller: OrderCallerSchema, orderId: z.uuid() });
export type OrderIdRequest = z.input<typeof OrderIdRequestSchema>;

export const CancelOrderRequestSchema = OrderIdRequestSchema.extend({ reason: text(500) });

const isoInstant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

export const ListOrdersRequestSchema = z.object({
  caller: OrderCallerSchema,
  status: z.enum(ORDER_STATUSES).optional(),
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  sort: z
    .string()
    .regex(/^(createdAt|updatedAt|totalAmount|status):(asc|desc)$/, 'sort must be field:asc|desc')
    .default('createdAt:desc'),
  dateFrom: isoInstant.optional(),
  dateTo: isoInstant.optional(),
});
export type ListOrdersRequest = z.input<typeof ListOrdersRequestSchema>;

/**
 * From pharmacy, once it verified the credential: the pharmacy claims the order before dispensing.
 * `declaredPayoutCents` = Σ quantity × packs × its declared wholesale price; orders caps it at the
 * order's total and fixes it for the life of the claim.
 */
export const ClaimOrderRequestSchema = z.object({
  orderId: z.uuid(),
  pharmacyId: z.uuid(),
  declaredPayoutCents: CentsSchema,
  /** The operator who claimed it (audit). */
  claimedBy: z.uuid(),
});
export type ClaimOrderRequest = z.input<typeof ClaimOrderRequestSchema>;

/** `pharmacyId` null: an admin releases whichever pharmacy holds it. */
export const ReleaseClaimRequestSchema = z.object({
  orderId: z.uuid(),
  pharmacyId: z.uuid().nullable(),
  /** `pharmacy:<id>` or the admin's user id, as the order's history records it. */
  releasedBy: z.string().min(1).max(100),
  reason: text(500),
});
export type ReleaseClaimRequest = z.input<typeof ReleaseClaimRequestSchema>;

/** From pharmacy when the holder submits proof. */
export const SubmitForReviewRequestSchema = z.object({ orderId: z.uuid(), pharmacyId: z.uuid() });
export type SubmitForReviewRequest = z.input<typeof SubmitForReviewRequestSchema>;

export const ReviewOrderRequestSchema = z.object({
  orderId: z.uuid(),
  decision: z.enum(['approve', 'reject']),
  reviewerId: z.uuid(),
  comments: text(2000).nullish(),
});

export const VerifyCredentialRequestSchema = z.union([
  z.object({ qrCodeData: z.string().min(1).max(4096) }),
  z.object({ platformOrderId: z.string().min(1).max(64), verificationCode: z.string().regex(/^\d{6}$/) }),
]);

export interface OrderItemView {
  medicineId: string;
  name: string;
  pinyin: string;
  englishName: string;
  unit: string;
  /** Per pack, decimal string ("12.5"). */
  quantity: string;
  processing: string | null;
  decoctionMethod: string | null;
  dosageInstructions: string | null;
  unitPriceCents: number;
  totalPriceCents: number;
}

export interface OrderHistoryView {
  from: OrderStatusName | null;
  to: OrderStatusName;
  at: string;
  by: string;
  reason: string | null;
}

export interface OrderView {
  id: string;
  platformOrderId: string | null;
  status: OrderStatusName;
  clinicId: string;
  practitionerId: string;
  /** Full for the owner and admins; only the name for a pharmacy operator. */
  patientInfo: PatientInfo;
  items: OrderItemView[];
  packs: number;
  notes: string | null;
  totalCents: number;
  currency: 'NZD';
  paymentFailureReason: string | null;
  safetyOverride: { reason: string; rules: string[] } | null;
  /** `qrCodeData` only for the owner. */
  credential: { platformOrderId: string; expiresAt: string; qrCodeData?: string } | null;
  assignedPharmacyId: string | null;
  /** While DISPENSING or REJECTED: when the holding pharmacy's hold lapses. */
  holdExpiresAt: string | null;
  payoutCents: number | null;
  history: OrderHistoryView[];
  createdAt: string;
  updatedAt: string;
}

/** A formula priced and checked (`orders.orders.check`); money in integer cents. */
export interface OrderCheckView {
  items: {
    medicineId: string;
    name: string;
    pinyin: string;
    englishName: string;
    unit: string;
    quantity: string;
    unitPriceCents: number;
    totalPriceCents: number;
  }[];
  packs: number;
  totalCents: number;
  currency: 'NZD';
  safety: { rule: string; medicineIds: string[]; message: string; overridable: boolean }[];
}

export interface OrderListView {
  items: OrderView[];
  total: number;
  page: number;
  limit: number;
}

export interface CredentialView {
  orderId: string;
  platformOrderId: string;
  qrCodeData: string;
  verificationCode: string;
  expiresAt: string;
}

export interface CredentialFileView {
  contentType: 'image/png' | 'application/pdf';
  fileName: string;
  base64: string;
}

/** An order's claim by a pharmacy, as orders fixed it. */
export interface ClaimView {
  orderId: string;
  platformOrderId: string;
  /** The holding pharmacy (after a release: the one that held it). */
  pharmacyId: string;
  status: OrderStatusName;
  payoutCents: number;
  /** Null while PENDING_REVIEW (the hold does not run during a review) and after a release. */
  holdExpiresAt: string | null;
  claimedAt: string;
  /** When orders made the move this answers (the claim's or the release's instant). */
  movedAt: string;
  /** The caller's pharmacy held it already: nothing changed (HTTP 200 instead of 201). */
  alreadyHeld: boolean;
}

export interface VerifiedCredentialView {
  orderId: string;
  platformOrderId: string;
  status: OrderStatusName;
  expiresAt: string;
}
