import { z } from 'zod';
import { CentsSchema, CurrencySchema } from '../money';

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

// ---------------------------------------------------------------- replies
//
// What orders answers, as schemas: the gateway reads every reply with them and derives its HTTP
// shapes from them (`<name>Cents` → `<name>` as a "12.34" string, `totalCents` → `totalAmount`;
// descriptions are carried into the OpenAPI document).

const Id = z.uuid();
const Timestamp = z.iso.datetime();
const Status = z.enum(ORDER_STATUSES);

export const OrderItemViewSchema = z.object({
  medicineId: Id,
  name: z
    .string()
    .meta({ description: 'Chinese name, as priced (a snapshot: later catalogue edits do not change it).' }),
  pinyin: z.string(),
  englishName: z.string(),
  unit: z.string(),
  quantity: z
    .string()
    .meta({ description: 'Per pack, in `unit` (grams), as a decimal string.', example: '12.5' }),
  processing: z.string().nullable(),
  decoctionMethod: z.string().nullable().meta({ description: '先煎 后下 包煎 另煎 烊化 冲服' }),
  dosageInstructions: z.string().nullable(),
  unitPriceCents: CentsSchema.meta({ description: 'Per `unit`.' }),
  totalPriceCents: CentsSchema.meta({
    description: 'unitPrice × quantity × packs, rounded half-up to the cent.',
  }),
});
export type OrderItemView = z.infer<typeof OrderItemViewSchema>;

export const OrderHistoryViewSchema = z.object({
  from: Status.nullable(),
  to: Status,
  at: Timestamp,
  by: z.string(),
  reason: z.string().nullable(),
});
export type OrderHistoryView = z.infer<typeof OrderHistoryViewSchema>;

export const OrderCredentialSummaryViewSchema = z.object({
  platformOrderId: z.string().meta({ example: 'PC-7K3M-9QX2-H' }),
  expiresAt: Timestamp,
  /** Only for the owner. */
  qrCodeData: z.string().optional().meta({ description: 'The signed QR token; to the prescriber only.' }),
});

export const OrderViewSchema = z.object({
  id: Id,
  platformOrderId: z.string().nullable().meta({ description: 'Set when the order is paid.' }),
  status: Status,
  clinicId: Id,
  practitionerId: Id,
  patientInfo: z
    .object({
      name: z.string(),
      phone: z.string().nullish(),
      email: z.string().nullish(),
      dateOfBirth: z.string().nullish(),
      address: z.string().nullish(),
      pregnant: z.boolean().nullish(),
    })
    .meta({ description: 'In full for the prescriber and admins; the name only for a pharmacy.' }),
  items: z.array(OrderItemViewSchema),
  packs: z.number().int().positive(),
  notes: z.string().nullable(),
  totalCents: CentsSchema.meta({ description: 'Σ items’ totalPrice.' }),
  currency: CurrencySchema,
  paymentFailureReason: z.string().nullable().meta({
    description: 'Why the last payment attempt failed (INSUFFICIENT_FUNDS, ACCOUNT_SUSPENDED, ...).',
  }),
  safetyOverride: z
    .object({ reason: z.string(), rules: z.array(z.string()) })
    .nullable()
    .meta({ description: 'The safety rules the prescriber overrode, with their reason (audit trail).' }),
  credential: OrderCredentialSummaryViewSchema.nullable(),
  assignedPharmacyId: Id.nullable().meta({
    description: 'The pharmacy holding the order (DISPENSING, PENDING_REVIEW, REJECTED) or that fulfilled it.',
  }),
  holdExpiresAt: Timestamp.nullable().meta({
    description:
      'While DISPENSING or REJECTED: when the pharmacy’s hold lapses without (re)submitted proof (the order then expires and the clinic is refunded).',
  }),
  payoutCents: CentsSchema.nullable().meta({
    description: 'What the pharmacy is paid, fixed when it claimed the order; null for the prescriber.',
  }),
  history: z.array(OrderHistoryViewSchema),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type OrderView = z.infer<typeof OrderViewSchema>;

/** A formula priced and checked (`orders.orders.check`); money in integer cents. */
export const OrderCheckViewSchema = z.object({
  items: z.array(
    z.object({
      medicineId: Id,
      name: z.string(),
      pinyin: z.string(),
      englishName: z.string(),
      unit: z.string(),
      quantity: z.string().meta({ description: 'Per pack, in `unit`, as a decimal string.' }),
      unitPriceCents: CentsSchema,
      totalPriceCents: CentsSchema.meta({ description: 'unitPrice × quantity × packs, rounded half-up.' }),
    }),
  ),
  packs: z.number().int().positive(),
  totalCents: CentsSchema,
  currency: CurrencySchema,
  safety: z.array(
    z.object({
      rule: z.string().meta({
        description:
          'EIGHTEEN_INCOMPATIBLE (十八反), NINETEEN_ANTAGONISM (十九畏), PREGNANCY, MAX_DAILY_DOSE or NZ_RESTRICTED.',
      }),
      medicineIds: z.array(Id),
      message: z.string(),
      overridable: z
        .boolean()
        .meta({ description: 'Whether `safetyOverrideReason` lets POST /orders go ahead despite it.' }),
    }),
  ),
});
export type OrderCheckView = z.infer<typeof OrderCheckViewSchema>;

export const OrderListViewSchema = z.object({
  items: z.array(OrderViewSchema),
  total: z.number().int().nonnegative(),
  page: z.number().int().min(1),
  limit: z.number().int().min(1),
});
export type OrderListView = z.infer<typeof OrderListViewSchema>;

export const CredentialViewSchema = z.object({
  orderId: Id,
  platformOrderId: z.string().meta({ example: 'PC-7K3M-9QX2-H' }),
  qrCodeData: z.string().meta({ description: 'The signed QR token (compact EdDSA JWS).' }),
  verificationCode: z.string().meta({ description: 'Six digits a pharmacy types with the platformOrderId.' }),
  expiresAt: Timestamp,
});
export type CredentialView = z.infer<typeof CredentialViewSchema>;

export const CredentialFileViewSchema = z.object({
  contentType: z.enum(['image/png', 'application/pdf']),
  fileName: z.string().min(1),
  base64: z.string(),
});
export type CredentialFileView = z.infer<typeof CredentialFileViewSchema>;

/** An order's claim by a pharmacy, as orders fixed it. */
export const ClaimViewSchema = z.object({
  orderId: Id,
  platformOrderId: z.string(),
  /** The holding pharmacy (after a release: the one that held it). */
  pharmacyId: Id,
  status: Status,
  payoutCents: CentsSchema,
  /** Null while PENDING_REVIEW (the hold does not run during a review) and after a release. */
  holdExpiresAt: Timestamp.nullable(),
  claimedAt: Timestamp,
  /** When orders made the move this answers (the claim's or the release's instant). */
  movedAt: Timestamp,
  /** The caller's pharmacy held it already: nothing changed (HTTP 200 instead of 201). */
  alreadyHeld: z.boolean(),
});
export type ClaimView = z.infer<typeof ClaimViewSchema>;

export const VerifiedCredentialViewSchema = z.object({
  orderId: Id,
  platformOrderId: z.string(),
  status: Status,
  expiresAt: Timestamp,
});
export type VerifiedCredentialView = z.infer<typeof VerifiedCredentialViewSchema>;
