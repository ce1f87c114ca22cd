import {
  ClinicAccountViewSchema,
  LedgerEntryViewSchema,
  RechargeIntentViewSchema,
  SettlementTotalsSchema,
  SettlementViewSchema,
  PaymentSessionStatusSchema,
  QrMethodSchema,
  AccountStatusSchema,
  MAX_CENTS,
  MAX_TOP_UP_CENTS,
  MIN_TOP_UP_CENTS,
  SettlementStatusSchema,
} from '@prescriptchain/contracts';
import { z } from 'zod';
import { CurrencySchema, moneyInput, MoneySchema, wireShape } from '../http/money';
import { API_PREFIX, defineRoute, type RouteDef } from './route';
import { ADMIN, BACKEND, Id, IdParams, limit, page, Timestamp } from './atoms';

/** "Clinic member, admin": a practitioner only for the clinics they belong to (else 404). */
const CLINIC_READERS = ['practitioner', 'admin'] as const;
const IDEMPOTENT =
  ' Requires an `Idempotency-Key` header (≤ 255 characters): the same key with the same body answers the first response again; with another body, 409 IDEMPOTENCY_KEY_REUSED.';

const ClinicParams = z.object({ clinicId: Id });

// ------------------------------------------------------------------ data shapes

export const ClinicAccountSchema = wireShape(ClinicAccountViewSchema).meta({ id: 'ClinicAccount' });
/** Actor ids stay inside accounts, and so does the clinic of each entry. */
export const LedgerEntrySchema = wireShape(LedgerEntryViewSchema.omit({ clinicId: true, actorId: true })).meta({
  id: 'LedgerEntry',
});
export const RechargeIntentSchema = wireShape(RechargeIntentViewSchema.omit({ topUpId: true })).meta({
  id: 'RechargeIntent',
});

export const PaymentWebhookReceiptSchema = z
  .object({ received: z.literal(true), duplicate: z.boolean() })
  .meta({ id: 'WebhookReceipt' });

export const PaymentSessionSchema = z
  .object({
    sessionId: Id,
    clinicId: Id,
    method: QrMethodSchema,
    amount: MoneySchema,
    currency: CurrencySchema,
    status: PaymentSessionStatusSchema,
    expiresAt: Timestamp,
    paidAt: Timestamp.optional().meta({ description: 'When the provider says it was paid (paid sessions only).' }),
  })
  .meta({ id: 'PaymentSession' });

export const RechargeQrSchema = z
  .object({
    sessionId: Id,
    method: QrMethodSchema,
    amount: MoneySchema,
    currency: CurrencySchema,
    qrContent: z.string().meta({
      description:
        "What the QR code encodes: Alipay's `https://qr.alipay.com/…` or WeChat Pay's `weixin://wxpay/bizpayurl?pr=…`.",
    }),
    qrPngUrl: z.string().meta({ description: 'The QR as a PNG (GET, same credentials).' }),
    expiresAt: Timestamp,
    status: z.literal('pending'),
  })
  .meta({ id: 'RechargeQr' });

export const SettlementSchema = wireShape(SettlementViewSchema.omit({ clinicId: true })).meta({ id: 'Settlement' });

export const PharmacySettlementListSchema = z
  .object({ settlements: z.array(SettlementSchema), totals: wireShape(SettlementTotalsSchema) })
  .meta({ id: 'PharmacySettlements' });

// ------------------------------------------------------------------ routes

/** Amounts come in as decimal strings and go to accounts as integer cents; the answers go back the other way. */
export const ACCOUNTS_ROUTES = {
  getClinicAccount: defineRoute({
    id: 'getClinicAccount',
    method: 'get',
    path: `${API_PREFIX}/clinic-accounts/:clinicId`,
    access: CLINIC_READERS,
    summary: "A clinic's balance, credit line and what is available (members of the clinic and admins)",
    tags: ['clinic-accounts'],
    params: ClinicParams,
    response: { status: 200, data: ClinicAccountSchema },
    errors: ['NOT_FOUND', ...BACKEND],
  }),
  listClinicLedger: defineRoute({
    id: 'listClinicLedger',
    method: 'get',
    path: `${API_PREFIX}/clinic-accounts/:clinicId/ledger`,
    access: CLINIC_READERS,
    summary: "A clinic account's ledger, newest first (members of the clinic and admins)",
    tags: ['clinic-accounts'],
    params: ClinicParams,
    query: z.object({ page, limit }),
    response: { status: 200, data: z.array(LedgerEntrySchema), paginated: true },
    errors: ['NOT_FOUND', ...BACKEND],
  }),
  adjustClinicAccount: defineRoute({
    id: 'adjustClinicAccount',
    method: 'post',
    path: `${API_PREFIX}/admin/clinic-accounts/:clinicId/adjustments`,
    access: ADMIN,
    summary: `Correct a clinic's balance by a signed amount, with a reason (the balance may not end below zero).${IDEMPOTENT}`,
    tags: ['admin'],
    params: ClinicParams,
    body: z.object({
      amount: moneyInput({ signed: true, maxCents: MAX_CENTS, nonZero: true }),
      reason: z.string().trim().min(1).max(500),
    }),
    response: { status: 201, data: LedgerEntrySchema },
    errors: ['NOT_FOUND', 'INSUFFICIENT_FUNDS', 'IDEMPOTENCY_KEY_REUSED', ...BACKEND],
  }),
  updateClinicAccount: defineRoute({
    id: 'updateClinicAccount',
    method: 'patch',
    path: `${API_PREFIX}/admin/clinic-accounts/:clinicId`,
    access: ADMIN,
    summary: "Set a clinic's credit limit (not below the credit in use) or suspend / reactivate its account",
    tags: ['admin'],
    params: ClinicParams,
    body: z
      .object({
        creditLimit: moneyInput({ maxCents: MAX_CENTS }).optional(),
        status: AccountStatusSchema.optional(),
      })
      .refine((b) => b.creditLimit !== undefined || b.status !== undefined, {
        message: 'give creditLimit or status',
        path: ['creditLimit'],
      }),
    response: { status: 200, data: ClinicAccountSchema },
    errors: ['NOT_FOUND', ...BACKEND],
  }),
  createRechargeIntent: defineRoute({
    id: 'createRechargeIntent',
    method: 'post',
    path: `${API_PREFIX}/clinic-accounts/:clinicId/recharge-intent`,
    access: ['practitioner'],
    summary: `Start a top-up of the clinic's balance: a Stripe PaymentIntent to confirm with Stripe.js; the balance grows when the payment succeeds (clinic members).${IDEMPOTENT}`,
    tags: ['clinic-accounts'],
    params: ClinicParams,
    body: z.object({ amount: moneyInput({ minCents: MIN_TOP_UP_CENTS, maxCents: MAX_TOP_UP_CENTS }) }),
    response: { status: 200, data: RechargeIntentSchema },
    errors: [
      'NOT_FOUND',
      'IDEMPOTENCY_KEY_REUSED',
      'CONFLICT',
      'PAYMENT_FAILED',
      'EXTERNAL_SERVICE_ERROR',
      ...BACKEND,
    ],
  }),
  paymentWebhook: defineRoute({
    id: 'receivePaymentWebhook',
    method: 'post',
    path: `${API_PREFIX}/payments/webhook`,
    access: 'public',
    summary:
      "Stripe's webhook: the event exactly as Stripe sent it, verified against its `Stripe-Signature` header (400 MALFORMED_REQUEST when it is missing or wrong); `payment_intent.succeeded` credits the clinic once, and a replayed event is a 200 with `duplicate: true`",
    tags: ['payments'],
    // Read as raw bytes (the signature covers them), never parsed here: see rawWebhookBody().
    body: z.unknown().meta({ description: 'A Stripe event, byte for byte as Stripe sent it.' }),
    response: { status: 200, data: PaymentWebhookReceiptSchema },
    errors: BACKEND,
  }),
  createRechargeQr: defineRoute({
    id: 'createRechargeQr',
    method: 'post',
    path: `${API_PREFIX}/clinic-accounts/:clinicId/recharge-qr`,
    access: ['practitioner'],
    summary: `Start a scan-to-pay top-up of the clinic's balance: an Alipay Face-to-Face (\`alipay.trade.precreate\`) or WeChat Pay Native QR code to pay from a phone within PAYMENT_QR_TTL_MINUTES (default 15); the balance grows by exactly the amount when the provider's signed notice arrives (clinic members).${IDEMPOTENT}`,
    tags: ['clinic-accounts'],
    params: ClinicParams,
    body: z.object({
      amount: moneyInput({ minCents: MIN_TOP_UP_CENTS, maxCents: MAX_TOP_UP_CENTS }),
      method: QrMethodSchema,
    }),
    response: { status: 201, data: RechargeQrSchema },
    errors: [
      'NOT_FOUND',
      'IDEMPOTENCY_KEY_REUSED',
      'PAYMENT_FAILED',
      'EXTERNAL_SERVICE_ERROR',
      ...BACKEND,
    ],
  }),
  getPaymentSession: defineRoute({
    id: 'getPaymentSession',
    method: 'get',
    path: `${API_PREFIX}/payment-sessions/:id`,
    access: CLINIC_READERS,
    summary: "A scan-to-pay session's state, for a portal to poll until it is paid, expired or cancelled (members of its clinic and admins)",
    tags: ['clinic-accounts'],
    params: IdParams,
    response: { status: 200, data: PaymentSessionSchema },
    errors: ['NOT_FOUND', ...BACKEND],
  }),
  getPaymentSessionQrPng: defineRoute({
    id: 'getPaymentSessionQrPng',
    method: 'get',
    path: `${API_PREFIX}/payment-sessions/:id/qr.png`,
    access: CLINIC_READERS,
    summary: "A scan-to-pay session's QR code as a PNG image (members of its clinic and admins)",
    tags: ['clinic-accounts'],
    params: IdParams,
    response: {
      status: 200,
      raw: { contentType: 'image/png', schema: z.string().meta({ format: 'binary' }) },
    },
    errors: ['NOT_FOUND', ...BACKEND],
  }),
  cancelPaymentSession: defineRoute({
    id: 'cancelPaymentSession',
    method: 'post',
    path: `${API_PREFIX}/payment-sessions/:id/cancel`,
    access: CLINIC_READERS,
    summary:
      "Cancel a pending scan-to-pay session: the provider's order is closed, and a payment notice arriving for it later is refunded, never credited. Cancelling a cancelled session answers it again; a paid one is 409 3003, an expired one 409 CONFLICT (members of its clinic and admins)",
    tags: ['clinic-accounts'],
    params: IdParams,
    response: { status: 200, data: PaymentSessionSchema },
    errors: ['NOT_FOUND', 'PAYMENT_ALREADY_PROCESSED', 'CONFLICT', 'EXTERNAL_SERVICE_ERROR', ...BACKEND],
  }),
  alipayNotify: defineRoute({
    id: 'receiveAlipayNotice',
    method: 'post',
    path: `${API_PREFIX}/payments/alipay/notify`,
    access: 'public',
    summary:
      "Alipay's asynchronous notice (form-encoded, RSA2-signed with Alipay's key). `TRADE_SUCCESS` / `TRADE_FINISHED` credits the session's clinic exactly once; the answer is the text `success` once the credit committed (a redelivery is `success` again and credits nothing). A bad signature, an unknown session or another amount is 400 and credits nothing",
    tags: ['payments'],
    rawBody: {
      contentTypes: ['application/x-www-form-urlencoded'],
      description: 'The notice exactly as Alipay POSTs it.',
    },
    response: { status: 200, raw: { contentType: 'text/plain', schema: z.literal('success') } },
    errors: ['MALFORMED_REQUEST', ...BACKEND],
  }),
  wechatNotify: defineRoute({
    id: 'receiveWechatPayNotice',
    method: 'post',
    path: `${API_PREFIX}/payments/wechat/notify`,
    access: 'public',
    summary:
      "WeChat Pay's API v3 notice: `Wechatpay-Timestamp`/`-Nonce`/`-Serial`/`-Signature` headers verified against the platform certificate (5 min window), the AES-256-GCM resource decrypted with the APIv3 key. `TRANSACTION.SUCCESS` credits the session's clinic exactly once, then 204 (a redelivery is 204 and credits nothing). A bad signature, an unknown session or another amount is 400 and credits nothing",
    tags: ['payments'],
    rawBody: {
      contentTypes: ['application/json'],
      description: 'The notice exactly as WeChat Pay POSTs it (its signature covers these bytes).',
    },
    response: { status: 204 },
    errors: ['MALFORMED_REQUEST', ...BACKEND],
  }),
  listSettlements: defineRoute({
    id: 'listSettlements',
    method: 'get',
    path: `${API_PREFIX}/admin/settlements`,
    access: ADMIN,
    summary: 'What is owed to and was paid to pharmacies, one settlement per fulfilled order',
    tags: ['admin'],
    query: z.object({ status: SettlementStatusSchema.optional(), pharmacyId: Id.optional(), page, limit }),
    response: { status: 200, data: z.array(SettlementSchema), paginated: true },
    errors: BACKEND,
  }),
  markSettlementPaid: defineRoute({
    id: 'markSettlementPaid',
    method: 'post',
    path: `${API_PREFIX}/admin/settlements/:id/mark-paid`,
    access: ADMIN,
    summary: `Record that a pharmacy was paid (the pharmacy is emailed a remittance); paying a paid settlement again is 409 3003.${IDEMPOTENT}`,
    tags: ['admin'],
    params: IdParams,
    body: z.object({ reference: z.string().trim().min(1).max(200).optional() }).default({}),
    response: { status: 200, data: SettlementSchema },
    errors: ['NOT_FOUND', 'PAYMENT_ALREADY_PROCESSED', 'IDEMPOTENCY_KEY_REUSED', ...BACKEND],
  }),
  listPharmacySettlements: defineRoute({
    id: 'listPharmacySettlements',
    method: 'get',
    path: `${API_PREFIX}/pharmacies/:id/settlements`,
    access: ['pharmacy_operator'],
    apiKey: true,
    summary:
      "A pharmacy's settlements with its pending and paid totals (its operators only; another pharmacy is 404)",
    tags: ['pharmacies'],
    params: IdParams,
    query: z.object({ status: SettlementStatusSchema.optional(), page, limit }),
    response: { status: 200, data: PharmacySettlementListSchema, paginated: true },
    errors: ['NOT_FOUND', ...BACKEND],
  }),
} satisfies Record<string, RouteDef>;
