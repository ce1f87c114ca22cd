import { z } from 'zod';
import { defineMessage } from '../registry';
import { CredentialJwkSchema } from '../rpc/orders-credential';

/**
 * What orders publishes as an order moves (outbox, topic exchange, routing key = type). Payloads
 * carry the minimum personal health information, and none of it in plaintext: the patient's name
 * only where a pharmacy needs it, encrypted under the shared PII key; reasons as codes, never the
 * free text a person typed.
 */
const Cents = z.number().int().nonnegative();
const PositiveCents = z.number().int().positive();

/**
 * Which payment attempt of the order an outcome ends: 1 for the first, 2 after one retry-payment.
 * The same count as the order's history's moves into PENDING_PAYMENT, so whoever holds the order as
 * orders answered it (the gateway, after create / submit / retry-payment) can tell this attempt's
 * outcome from an earlier one's. Absent in messages from before it was published.
 */
const PaymentAttempt = z.number().int().positive().optional();

/** The payment attempt an order's history is at: how many times it moved into PENDING_PAYMENT. */
export const paymentAttemptOf = (history: readonly { readonly to: string }[]): number =>
  history.filter((h) => h.to === 'PENDING_PAYMENT').length;

/** The order is paid and its credential minted: pharmacy keeps this as its read model for scanning. */
export const OrderPaidV1 = defineMessage({
  type: 'orders.order.paid',
  version: 1,
  kind: 'event',
  payload: z.object({
    orderId: z.uuid(),
    platformOrderId: z.string().min(1),
    clinicId: z.uuid(),
    practitionerId: z.uuid(),
    totalCents: PositiveCents,
    expiresAt: z.iso.datetime(),
    /** Empty when `patientNameEnc` is given (always, from orders today); plaintext only in old messages. */
    patientName: z.string(),
    /**
     * The patient's name as AES-256-GCM ciphertext (`kid:iv:tag:data`) under PII_ENCRYPTION_KEYS,
     * which orders and pharmacy share: outbox rows and broker messages never hold it in plaintext.
     */
    patientNameEnc: z.string().min(1).optional(),
    items: z.array(
      z.object({
        medicineId: z.uuid(),
        name: z.string(),
        pinyin: z.string(),
        englishName: z.string(),
        unit: z.string(),
        /** Grams per pack, decimal string ("12.5"). */
        quantity: z.string().regex(/^\d+(\.\d+)?$/),
        packs: z.number().int().positive().optional(),
      }),
    ),
    /** The key that signed the QR token (see orders.credential_key.published). */
    credentialKid: z.string().optional(),
    /**
     * HMAC-SHA256 hex of `${orderId}:${verificationCode}` under VERIFICATION_CODE_HMAC_KEY (a secret
     * orders and pharmacy share through their environment, never a database): lets pharmacy check a
     * typed 6-digit code without ever holding the code, and a copy of either database alone cannot
     * recover it.
     */
    verificationCodeHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    /** The payment attempt this payment ended (see paymentAttemptOf). */
    paymentAttempt: PaymentAttempt,
  }),
});

export const OrderPaymentFailedV1 = defineMessage({
  type: 'orders.order.payment_failed',
  version: 1,
  kind: 'event',
  payload: z.object({
    orderId: z.uuid(),
    clinicId: z.uuid(),
    practitionerId: z.uuid(),
    /** accounts' reason (INSUFFICIENT_FUNDS, ACCOUNT_SUSPENDED, ...) or TIMEOUT. */
    reason: z.string().min(1),
    /** The payment attempt that failed (see paymentAttemptOf). */
    paymentAttempt: PaymentAttempt,
  }),
});

export const OrderCancelledV1 = defineMessage({
  type: 'orders.order.cancelled',
  version: 1,
  kind: 'event',
  payload: z.object({
    orderId: z.uuid(),
    clinicId: z.uuid(),
    practitionerId: z.uuid(),
    cancelledBy: z.string().min(1),
    /**
     * A code (CANCEL_REASON_CODES: who cancelled), never the free text typed with the cancellation,
     * which stays on the order's own history. Old messages may hold text.
     */
    reason: z.string().min(1),
    /** Whether the clinic account is being refunded (the order had been paid). */
    refundRequested: z.boolean(),
    cancelledAt: z.iso.datetime(),
  }),
});

/** Who cancelled an order, as OrderCancelledV1 carries it. */
export const CANCEL_REASON_CODES = ['CANCELLED_BY_PRESCRIBER', 'CANCELLED_BY_ADMIN'] as const;
export type CancelReasonCode = (typeof CANCEL_REASON_CODES)[number];

/**
 * The order expired and the clinic account is refunded: a paid credential passed its expiry unused
 * (`credential_expired`), or a pharmacy's dispensing hold lapsed without proof (`hold_lapsed`, with
 * the pharmacy that held it).
 */
export const OrderExpiredV1 = defineMessage({
  type: 'orders.order.expired',
  version: 1,
  kind: 'event',
  payload: z.object({
    orderId: z.uuid(),
    clinicId: z.uuid(),
    practitionerId: z.uuid(),
    expiredAt: z.iso.datetime(),
    reason: z.enum(['credential_expired', 'hold_lapsed']).optional(),
    pharmacyId: z.uuid().nullish(),
  }),
});

/**
 * A pharmacy claimed the order before dispensing it (PAID → DISPENSING): it alone may submit proof
 * until it releases the order or `holdExpiresAt` passes. `payoutCents` is fixed here.
 */
export const OrderDispensingV1 = defineMessage({
  type: 'orders.order.dispensing',
  version: 1,
  kind: 'event',
  payload: z.object({
    orderId: z.uuid(),
    platformOrderId: z.string().min(1),
    clinicId: z.uuid(),
    practitionerId: z.uuid(),
    pharmacyId: z.uuid(),
    payoutCents: Cents,
    claimedAt: z.iso.datetime(),
    holdExpiresAt: z.iso.datetime(),
  }),
});

/** The holding pharmacy (or an admin) released the order: DISPENSING → PAID, anyone may claim it again. */
export const OrderReleasedV1 = defineMessage({
  type: 'orders.order.released',
  version: 1,
  kind: 'event',
  payload: z.object({
    orderId: z.uuid(),
    platformOrderId: z.string().min(1),
    clinicId: z.uuid(),
    practitionerId: z.uuid(),
    /** The pharmacy that held it. */
    pharmacyId: z.uuid(),
    /** `pharmacy:<id>` for its operator's release, or the admin's user id. */
    releasedBy: z.string().min(1),
    reason: z.string().min(1),
    releasedAt: z.iso.datetime(),
  }),
});

/** The holding pharmacy submitted proof; `payoutCents` is the one fixed at its claim. */
export const OrderPendingReviewV1 = defineMessage({
  type: 'orders.order.pending_review',
  version: 1,
  kind: 'event',
  payload: z.object({ orderId: z.uuid(), pharmacyId: z.uuid(), payoutCents: Cents }),
});

/** An admin rejected the pharmacy's proof; the same pharmacy may submit again until `holdExpiresAt`. */
export const OrderRejectedV1 = defineMessage({
  type: 'orders.order.rejected',
  version: 1,
  kind: 'event',
  payload: z.object({
    orderId: z.uuid(),
    pharmacyId: z.uuid(),
    reviewerId: z.uuid(),
    comments: z.string().nullable(),
    holdExpiresAt: z.iso.datetime().optional(),
  }),
});

/** A credential signing key was created: pharmacy verifies QR tokens offline with it. */
export const CredentialKeyPublishedV1 = defineMessage({
  type: 'orders.credential_key.published',
  version: 1,
  kind: 'event',
  payload: z.object({ kid: z.string().min(1), jwk: CredentialJwkSchema }),
});

/**
 * An admin approved the pharmacy's proof: the order is FULFILLED. `payoutCents` is what the platform
 * owes the pharmacy, fixed when it claimed the order (accounts opens a settlement for it).
 */
export const OrderFulfilledV1 = defineMessage({
  type: 'orders.order.fulfilled',
  version: 1,
  kind: 'event',
  payload: z.object({
    orderId: z.uuid(),
    clinicId: z.uuid(),
    pharmacyId: z.uuid(),
    payoutCents: z.number().int().nonnegative(),
    fulfilledAt: z.iso.datetime(),
  }),
});

export const ORDERS_MESSAGES = [
  OrderPaidV1,
  OrderPaymentFailedV1,
  OrderCancelledV1,
  OrderExpiredV1,
  OrderDispensingV1,
  OrderReleasedV1,
  OrderPendingReviewV1,
  OrderRejectedV1,
  OrderFulfilledV1,
  CredentialKeyPublishedV1,
];
