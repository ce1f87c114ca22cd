import { z } from 'zod';
import { defineMessage } from '../registry';

const Cents = z.number().int().nonnegative();
const PositiveCents = z.number().int().positive();

/** Saga step 1 → accounts (command, owned by accounts). Keyed by orderId: one debit per order, ever. */
export const DebitRequestedV1 = defineMessage({
  type: 'accounts.debit.requested',
  version: 1,
  kind: 'command',
  payload: z.object({ orderId: z.uuid(), clinicId: z.uuid(), amountCents: PositiveCents }),
});

export const DebitSucceededV1 = defineMessage({
  type: 'accounts.debit.succeeded',
  version: 1,
  kind: 'event',
  payload: z.object({
    orderId: z.uuid(),
    clinicId: z.uuid(),
    amountCents: PositiveCents,
    /** How much came from the prepaid balance and how much from the credit line. */
    fromBalanceCents: Cents,
    fromCreditCents: Cents,
  }),
});

export const DebitRejectedV1 = defineMessage({
  type: 'accounts.debit.rejected',
  version: 1,
  kind: 'event',
  payload: z.object({
    orderId: z.uuid(),
    clinicId: z.uuid(),
    amountCents: PositiveCents,
    reason: z.enum(['INSUFFICIENT_FUNDS', 'ACCOUNT_SUSPENDED', 'ACCOUNT_NOT_FOUND', 'ORDER_CANCELLED']),
  }),
});

/**
 * Compensation (command, owned by accounts): refund whatever was debited for the order, once. A
 * refund requested before its debit arrived makes that later debit be refused (ORDER_CANCELLED).
 */
export const RefundRequestedV1 = defineMessage({
  type: 'accounts.refund.requested',
  version: 1,
  kind: 'command',
  payload: z.object({
    orderId: z.uuid(),
    clinicId: z.uuid(),
    /**
     * One of REFUND_REASON_CODES. Accounts keeps it on its append-only ledger, so never free text:
     * anything else (old messages held text) is recorded as `OTHER`.
     */
    reason: z.string().min(1).max(500),
  }),
});

/** Why a refund was asked for: what the ledger may keep (see RefundRequestedV1). */
export const REFUND_REASON_CODES = [
  'ORDER_CANCELLED',
  'DEBIT_AFTER_CANCELLATION',
  'PAYMENT_TIMEOUT',
  'CREDENTIAL_EXPIRED',
  'HOLD_EXPIRED',
  'OTHER',
] as const;
export type RefundReasonCode = (typeof REFUND_REASON_CODES)[number];

/** A refund reason as the ledger may keep it: a known code, else OTHER (never free text). */
export const refundReasonCode = (reason: string): RefundReasonCode =>
  (REFUND_REASON_CODES as readonly string[]).includes(reason) ? (reason as RefundReasonCode) : 'OTHER';

export const RefundCompletedV1 = defineMessage({
  type: 'accounts.refund.completed',
  version: 1,
  kind: 'event',
  payload: z.object({
    orderId: z.uuid(),
    clinicId: z.uuid(),
    /** 0 when nothing had been debited (the debit is then refused if it arrives later). */
    amountCents: Cents,
    toCreditCents: Cents,
    toBalanceCents: Cents,
  }),
});

export const TopUpCompletedV1 = defineMessage({
  type: 'accounts.topup.completed',
  version: 1,
  kind: 'event',
  payload: z.object({
    clinicId: z.uuid(),
    amountCents: PositiveCents,
    /** The provider's reference: a Stripe PaymentIntent, or the Alipay / WeChat Pay trade number. */
    paymentIntentId: z.string().min(1),
    /** How it was paid (absent from producers before scan-to-pay: a card). */
    method: z.enum(['card', 'alipay', 'wechat']).optional(),
    /** The scan-to-pay session it settled. */
    paymentSessionId: z.uuid().optional(),
  }),
});

export const SettlementOpenedV1 = defineMessage({
  type: 'accounts.settlement.opened',
  version: 1,
  kind: 'event',
  payload: z.object({ settlementId: z.uuid(), orderId: z.uuid(), pharmacyId: z.uuid(), amountCents: Cents }),
});

export const SettlementPaidV1 = defineMessage({
  type: 'accounts.settlement.paid',
  version: 1,
  kind: 'event',
  payload: z.object({
    settlementId: z.uuid(),
    orderId: z.uuid(),
    pharmacyId: z.uuid(),
    amountCents: Cents,
    reference: z.string().nullable(),
    paidAt: z.iso.datetime(),
  }),
});

export const ACCOUNTS_MESSAGES = [
  DebitRequestedV1,
  DebitSucceededV1,
  DebitRejectedV1,
  RefundRequestedV1,
  RefundCompletedV1,
  TopUpCompletedV1,
  SettlementOpenedV1,
  SettlementPaidV1,
];
