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
     * sha256 hex of `${orderId}:${verificationCode}`: lets pharmacy check a typed 6-digit code
     * without ever holding the code itself.
     */
    verificationCodeHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
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

/** A paid credential passed its expiry unused: the clinic account is refunded. */
/** Who cancelled an order, as OrderCancelledV1 carries it. */
export const CANCEL_REASON_CODES = ['CANCELLED_BY_PRESCRIBER', 'CANCELLED_BY_ADMIN'] as const;
export type CancelReasonCode = (typeof CANCEL_REASON_CODES)[number];

export const OrderExpiredV1 = defineMessage({
  type: 'orders.order.expired',
  version: 1,
  kind: 'event',
  payload: z.object({
    orderId: z.uuid(),
    clinicId: z.uuid(),
    practitionerId: z.uuid(),
    expiredAt: z.iso.datetime(),
  }),
});

/** A pharmacy submitted proof and claimed the order; the payout is fixed now. */
export const OrderPendingReviewV1 = defineMessage({
  type: 'orders.order.pending_review',
  version: 1,
  kind: 'event',
  payload: z.object({ orderId: z.uuid(), pharmacyId: z.uuid(), payoutCents: Cents }),
});

/** An admin rejected the pharmacy's proof; the same pharmacy may submit again. */
export const OrderRejectedV1 = defineMessage({
  type: 'orders.order.rejected',
  version: 1,
  kind: 'event',
  payload: z.object({
    orderId: z.uuid(),
    pharmacyId: z.uuid(),
    reviewerId: z.uuid(),
    comments: z.string().nullable(),
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
 * owes the pharmacy, fixed when the proof was submitted (accounts opens a settlement for it).
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
  OrderPendingReviewV1,
  OrderRejectedV1,
  OrderFulfilledV1,
  CredentialKeyPublishedV1,
];
