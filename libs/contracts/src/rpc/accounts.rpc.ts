import { z } from 'zod';
import { CentsSchema as Cents, SignedCentsSchema as SignedCents } from '../money';
import { OrderCallerSchema } from './orders.rpc';

/**
 * The requests the gateway sends to accounts (`accounts.rpc` queue) and their replies. Money is
 * integer cents here; the gateway formats `"12.34"` strings with `currency`. Every request that
 * reads or moves a clinic's money carries the authenticated `caller`; accounts scopes by it again
 * (another clinic's account, ledger or session is NOT_FOUND, an admin-only call FORBIDDEN) and
 * records the caller as the actor of every change it makes. Providers' notices carry no caller:
 * their signature is their authentication.
 */
export const ACCOUNTS_RPC = {
  getAccount: 'accounts.accounts.get',
  listLedger: 'accounts.ledger.list',
  adjust: 'accounts.accounts.adjust',
  updateAccount: 'accounts.accounts.update',
  createRechargeIntent: 'accounts.rechargeIntents.create',
  handleWebhook: 'accounts.webhooks.handle',
  listSettlements: 'accounts.settlements.list',
  markSettlementPaid: 'accounts.settlements.markPaid',
  pharmacySettlements: 'accounts.settlements.listForPharmacy',
  createQrSession: 'accounts.paymentSessions.createQr',
  getPaymentSession: 'accounts.paymentSessions.get',
  paymentSessionQrPng: 'accounts.paymentSessions.qrPng',
  cancelPaymentSession: 'accounts.paymentSessions.cancel',
  handleQrNotice: 'accounts.qrNotices.handle',
} as const;

/** Stripe's ceiling for one NZD PaymentIntent (999,999.99) and its floor (0.50). */
export const MAX_TOP_UP_CENTS = 99_999_999;
export const MIN_TOP_UP_CENTS = 50;

const IdempotencyKey = z.string().min(1).max(255);
const Page = z.coerce.number().int().min(1).default(1);
const Limit = z.coerce.number().int().min(1).max(100).default(20);
const Timestamp = z.iso.datetime();

export const AccountStatusSchema = z.enum(['active', 'suspended']);
export const LedgerEntryTypeSchema = z.enum(['debit', 'refund', 'topup', 'adjustment']);
export const SettlementStatusSchema = z.enum(['pending_payment', 'paid']);

export const AccountsPaginationSchema = z.object({
  page: z.number().int(),
  limit: z.number().int(),
  total: z.number().int(),
  totalPages: z.number().int(),
  hasNext: z.boolean(),
  hasPrev: z.boolean(),
});
export type AccountsPagination = z.infer<typeof AccountsPaginationSchema>;

// ---------------------------------------------------------------- replies

export const ClinicAccountViewSchema = z.object({
  clinicId: z.uuid(),
  balanceCents: Cents,
  creditLimitCents: Cents,
  usedCreditCents: Cents,
  availableCents: Cents.meta({ description: 'balance + creditLimit − usedCredit' }),
  currency: z.literal('NZD'),
  status: AccountStatusSchema,
  updatedAt: Timestamp,
});
export type ClinicAccountView = z.infer<typeof ClinicAccountViewSchema>;

export const LedgerEntryViewSchema = z.object({
  id: z.uuid(),
  clinicId: z.uuid(),
  type: LedgerEntryTypeSchema,
  amountCents: SignedCents.meta({
    description: 'Signed: a debit is negative; refunds and top-ups are positive; an adjustment either.',
  }),
  balanceAfterCents: Cents,
  usedCreditAfterCents: Cents,
  currency: z.literal('NZD'),
  orderId: z.uuid().nullable(),
  reference: z.string().nullable().meta({ description: "A top-up's payment intent id." }),
  actorId: z.uuid().nullable(),
  reason: z.string().nullable().meta({ description: "An adjustment's reason." }),
  createdAt: Timestamp,
});
export type LedgerEntryView = z.infer<typeof LedgerEntryViewSchema>;

export const LedgerPageSchema = z.object({
  items: z.array(LedgerEntryViewSchema),
  pagination: AccountsPaginationSchema,
});
export type LedgerPage = z.infer<typeof LedgerPageSchema>;

export const RechargeIntentViewSchema = z.object({
  topUpId: z.uuid(),
  paymentIntentId: z.string(),
  clientSecret: z.string().meta({ description: 'For Stripe.js to confirm the payment in the browser.' }),
  amountCents: z.number().int().positive(),
  currency: z.literal('NZD'),
});
export type RechargeIntentView = z.infer<typeof RechargeIntentViewSchema>;

/** Always a 2xx for Stripe: a replayed event is `duplicate: true`, not an error. */
export const WebhookReceiptSchema = z.object({ received: z.literal(true), duplicate: z.boolean() });
export type WebhookReceipt = z.infer<typeof WebhookReceiptSchema>;

export const SettlementViewSchema = z.object({
  id: z.uuid(),
  orderId: z.uuid(),
  clinicId: z.uuid(),
  pharmacyId: z.uuid(),
  amountCents: Cents,
  currency: z.literal('NZD'),
  status: SettlementStatusSchema,
  reference: z.string().nullable().meta({ description: 'The payment reference recorded when paid.' }),
  createdAt: Timestamp,
  paidAt: Timestamp.nullable(),
});
export type SettlementView = z.infer<typeof SettlementViewSchema>;

export const SettlementPageSchema = z.object({
  items: z.array(SettlementViewSchema),
  pagination: AccountsPaginationSchema,
});
export type SettlementPage = z.infer<typeof SettlementPageSchema>;

export const SettlementTotalsSchema = z.object({
  pendingCents: Cents,
  paidCents: Cents,
  pendingCount: z.number().int().nonnegative(),
  paidCount: z.number().int().nonnegative(),
  currency: z.literal('NZD'),
});
export type SettlementTotals = z.infer<typeof SettlementTotalsSchema>;

export const PharmacySettlementsSchema = SettlementPageSchema.extend({ totals: SettlementTotalsSchema });
export type PharmacySettlements = z.infer<typeof PharmacySettlementsSchema>;

// ---------------------------------------------------------------- requests

/**
 * Who asks: the user, their role, their clinics (practitioners) or pharmacy (operators) as identity
 * says now — the same principal orders scopes by, so one schema.
 */
export const AccountsCallerSchema = OrderCallerSchema;
export type AccountsCaller = z.infer<typeof AccountsCallerSchema>;
const caller = AccountsCallerSchema;

export const GetAccountRequestSchema = z.object({ caller, clinicId: z.uuid() });
export const ListLedgerRequestSchema = z.object({ caller, clinicId: z.uuid(), page: Page, limit: Limit });

/** Admins only. */
export const AdjustRequestSchema = z.object({
  caller,
  clinicId: z.uuid(),
  /** Signed; the balance may not end below zero. */
  amountCents: SignedCents.refine((n) => n !== 0, 'must not be zero'),
  reason: z.string().trim().min(1).max(500),
  idempotencyKey: IdempotencyKey,
});

/** Admins only. */
export const UpdateAccountRequestSchema = z
  .object({
    caller,
    clinicId: z.uuid(),
    creditLimitCents: Cents.optional(),
    status: AccountStatusSchema.optional(),
  })
  .refine((r) => r.creditLimitCents !== undefined || r.status !== undefined, {
    message: 'give creditLimitCents or status',
    path: ['creditLimitCents'],
  });

export const CreateRechargeIntentRequestSchema = z.object({
  caller,
  clinicId: z.uuid(),
  amountCents: z.number().int().min(MIN_TOP_UP_CENTS).max(MAX_TOP_UP_CENTS),
  idempotencyKey: IdempotencyKey,
});

/** `rawBody` exactly as received (the signature covers its bytes); `signature` = the `Stripe-Signature` header. */
export const HandleWebhookRequestSchema = z.object({
  rawBody: z.string().min(1).max(1_000_000),
  signature: z.string().max(4096),
});

/** Admins only. */
export const ListSettlementsRequestSchema = z.object({
  caller,
  status: SettlementStatusSchema.optional(),
  pharmacyId: z.uuid().optional(),
  page: Page,
  limit: Limit,
});

/** Admins only. */
export const MarkSettlementPaidRequestSchema = z.object({
  caller,
  settlementId: z.uuid(),
  reference: z.string().trim().min(1).max(200).nullish(),
  idempotencyKey: IdempotencyKey,
});

/** Admins, and the operator of that pharmacy. */
export const PharmacySettlementsRequestSchema = z.object({
  caller,
  pharmacyId: z.uuid(),
  status: SettlementStatusSchema.optional(),
  page: Page,
  limit: Limit,
});

export type GetAccountRequest = z.input<typeof GetAccountRequestSchema>;
export type ListLedgerRequest = z.input<typeof ListLedgerRequestSchema>;
export type AdjustRequest = z.input<typeof AdjustRequestSchema>;
export type UpdateAccountRequest = z.input<typeof UpdateAccountRequestSchema>;
export type CreateRechargeIntentRequest = z.input<typeof CreateRechargeIntentRequestSchema>;
export type HandleWebhookRequest = z.input<typeof HandleWebhookRequestSchema>;
export type ListSettlementsRequest = z.input<typeof ListSettlementsRequestSchema>;
export type MarkSettlementPaidRequest = z.input<typeof MarkSettlementPaidRequestSchema>;
export type PharmacySettlementsRequest = z.input<typeof PharmacySettlementsRequestSchema>;

// ---------------------------------------------------------------- scan-to-pay (Alipay Face-to-Face, WeChat Pay Native)

export const QrMethodSchema = z.enum(['alipay', 'wechat']);
export const PaymentSessionStatusSchema = z.enum(['pending', 'paid', 'expired', 'cancelled']);

export const PaymentSessionViewSchema = z.object({
  sessionId: z.uuid(),
  clinicId: z.uuid(),
  method: QrMethodSchema,
  amountCents: z.number().int().positive(),
  currency: z.literal('NZD'),
  status: PaymentSessionStatusSchema,
  /** What the QR code encodes (Alipay `https://qr.alipay.com/…`, WeChat `weixin://wxpay/bizpayurl?pr=…`). */
  qrContent: z.string(),
  expiresAt: Timestamp,
  paidAt: Timestamp.nullable(),
  createdAt: Timestamp,
});
export type PaymentSessionView = z.infer<typeof PaymentSessionViewSchema>;

export const QrPngViewSchema = z.object({ contentType: z.literal('image/png'), base64: z.string().min(1) });
export type QrPngView = z.infer<typeof QrPngViewSchema>;

/** What accounts did with a verified notice; the gateway then acknowledges it to the provider. */
export const QrNoticeReceiptSchema = z.object({
  outcome: z.enum(['credited', 'duplicate', 'refunded', 'refund_pending', 'ignored']),
});
export type QrNoticeReceipt = z.infer<typeof QrNoticeReceiptSchema>;

export const CreateQrSessionRequestSchema = z.object({
  caller,
  clinicId: z.uuid(),
  amountCents: z.number().int().min(MIN_TOP_UP_CENTS).max(MAX_TOP_UP_CENTS),
  method: QrMethodSchema,
  idempotencyKey: IdempotencyKey,
});
/** get, qr.png and cancel: a session of a clinic the caller is not a member of is NOT_FOUND. */
export const PaymentSessionRequestSchema = z.object({ caller, sessionId: z.uuid() });
export const CancelPaymentSessionRequestSchema = PaymentSessionRequestSchema;
/** The notice exactly as received: body bytes as text and the headers (lower-cased names). */
export const HandleQrNoticeRequestSchema = z.object({
  method: QrMethodSchema,
  body: z.string().min(1).max(1_000_000),
  headers: z.record(z.string(), z.string().max(4096)),
});

export type CreateQrSessionRequest = z.input<typeof CreateQrSessionRequestSchema>;
export type PaymentSessionRequest = z.input<typeof PaymentSessionRequestSchema>;
export type CancelPaymentSessionRequest = z.input<typeof CancelPaymentSessionRequestSchema>;
export type HandleQrNoticeRequest = z.input<typeof HandleQrNoticeRequestSchema>;
