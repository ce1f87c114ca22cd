import {
  type CancelReasonCode,
  DebitRequestedV1,
  OrderCancelledV1,
  OrderDispensingV1,
  OrderExpiredV1,
  OrderFulfilledV1,
  OrderPaidV1,
  OrderPaymentFailedV1,
  OrderPendingReviewV1,
  OrderRejectedV1,
  OrderReleasedV1,
  type RefundReasonCode,
  RefundRequestedV1,
} from '@prescriptchain/contracts';
import type { PiiCipher } from '@prescriptchain/messaging';
import { formatMg } from '../../domain/order/order-money';
import type { Order } from '../../domain/order/order.entity';
import type { OrdersTransaction, PublishMeta } from '../ports/orders-store';

/**
 * The messages an order's moves cause, written to the outbox in the transaction of the move. One
 * conversation per order: the correlation id is the order id unless a consumed message set one.
 */
const conversation = (order: Order, meta: PublishMeta = {}): PublishMeta => ({
  correlationId: meta.correlationId ?? order.id,
  causationId: meta.causationId ?? null,
});

/**
 * The payment attempt an outcome ends (1 = the first payment): the order's count of them, which is
 * its history's count of moves into PENDING_PAYMENT (paymentAttemptOf) — what the gateway counts in
 * the order create / submit / retry-payment answered, to tell this attempt's outcome from an
 * earlier one's.
 */
const attemptOf = (order: Order) => {
  const attempt = order.snapshot.paymentAttempts;
  return attempt > 0 ? { paymentAttempt: attempt } : {};
};

/** Saga step 1: ask accounts to debit the clinic for the order's total. */
export function requestDebit(tx: OrdersTransaction, order: Order, meta?: PublishMeta) {
  return tx.publish(
    DebitRequestedV1,
    { orderId: order.id, clinicId: order.clinicId, amountCents: order.totalCents },
    conversation(order, meta),
  );
}

/**
 * Compensation: refund whatever was debited for the order (accounts refunds at most once). The
 * reason is a code: accounts keeps it on the append-only ledger, where free text must never go.
 */
export function requestRefund(
  tx: OrdersTransaction,
  order: Order,
  reason: RefundReasonCode,
  meta?: PublishMeta,
) {
  return tx.publish(
    RefundRequestedV1,
    { orderId: order.id, clinicId: order.clinicId, reason },
    conversation(order, meta),
  );
}

/**
 * The patient's name goes out encrypted under the PII key pharmacy shares, never in plaintext.
 * `codeDigest`: the keyed digest of the verification code pharmacy checks typed codes against.
 */
export function announcePaid(
  tx: OrdersTransaction,
  order: Order,
  cipher: Pick<PiiCipher, 'encrypt'>,
  meta?: PublishMeta,
  codeDigest?: string | null,
) {
  const o = order.snapshot;
  const credential = o.credential!;
  return tx.publish(
    OrderPaidV1,
    {
      orderId: o.id,
      platformOrderId: credential.platformOrderId,
      clinicId: o.clinicId,
      practitionerId: o.practitionerId,
      totalCents: o.totalCents,
      expiresAt: credential.expiresAt.toISOString(),
      patientName: '',
      patientNameEnc: cipher.encrypt(o.patient.name),
      items: o.lines.map((l) => ({
        medicineId: l.medicineId,
        name: l.name,
        pinyin: l.pinyin,
        englishName: l.englishName,
        unit: l.unit,
        quantity: formatMg(l.quantityMg),
        packs: o.packs,
      })),
      credentialKid: credential.kid,
      ...(codeDigest ? { verificationCodeHash: codeDigest } : {}),
      ...attemptOf(order),
    },
    conversation(order, meta),
  );
}

export function announcePaymentFailed(
  tx: OrdersTransaction,
  order: Order,
  reason: string,
  meta?: PublishMeta,
) {
  return tx.publish(
    OrderPaymentFailedV1,
    {
      orderId: order.id,
      clinicId: order.clinicId,
      practitionerId: order.practitionerId,
      reason,
      ...attemptOf(order),
    },
    conversation(order, meta),
  );
}

export function announceCancelled(
  tx: OrdersTransaction,
  order: Order,
  cancel: { by: string; reason: CancelReasonCode; at: Date; refundRequested: boolean },
  meta?: PublishMeta,
) {
  return tx.publish(
    OrderCancelledV1,
    {
      orderId: order.id,
      clinicId: order.clinicId,
      practitionerId: order.practitionerId,
      cancelledBy: cancel.by,
      reason: cancel.reason,
      refundRequested: cancel.refundRequested,
      cancelledAt: cancel.at.toISOString(),
    },
    conversation(order, meta),
  );
}

export function announceExpired(
  tx: OrdersTransaction,
  order: Order,
  at: Date,
  reason: 'credential_expired' | 'hold_lapsed' = 'credential_expired',
) {
  return tx.publish(
    OrderExpiredV1,
    {
      orderId: order.id,
      clinicId: order.clinicId,
      practitionerId: order.practitionerId,
      expiredAt: at.toISOString(),
      reason,
      pharmacyId: reason === 'hold_lapsed' ? order.assignedPharmacyId : null,
    },
    conversation(order),
  );
}

/** A pharmacy claimed the order: it is being dispensed there (pharmacy's read model, the practitioner). */
export function announceDispensing(tx: OrdersTransaction, order: Order) {
  const o = order.snapshot;
  return tx.publish(
    OrderDispensingV1,
    {
      orderId: o.id,
      platformOrderId: o.credential!.platformOrderId,
      clinicId: o.clinicId,
      practitionerId: o.practitionerId,
      pharmacyId: o.assignedPharmacyId!,
      payoutCents: o.payoutCents ?? 0,
      claimedAt: o.claimedAt!.toISOString(),
      holdExpiresAt: o.holdExpiresAt!.toISOString(),
    },
    conversation(order),
  );
}

/** The holder (or an admin) gave the order back: it is PAID again and anyone may claim it. */
export function announceReleased(
  tx: OrdersTransaction,
  order: Order,
  release: { pharmacyId: string; by: string; reason: string; at: Date },
) {
  const o = order.snapshot;
  return tx.publish(
    OrderReleasedV1,
    {
      orderId: o.id,
      platformOrderId: o.credential!.platformOrderId,
      clinicId: o.clinicId,
      practitionerId: o.practitionerId,
      pharmacyId: release.pharmacyId,
      releasedBy: release.by,
      reason: release.reason.slice(0, 500),
      releasedAt: release.at.toISOString(),
    },
    conversation(order),
  );
}

export function announcePendingReview(tx: OrdersTransaction, order: Order) {
  return tx.publish(
    OrderPendingReviewV1,
    { orderId: order.id, pharmacyId: order.assignedPharmacyId!, payoutCents: order.payoutCents ?? 0 },
    conversation(order),
  );
}

export function announceReviewed(
  tx: OrdersTransaction,
  order: Order,
  review: { reviewerId: string; comments: string | null; at: Date },
) {
  if (order.status === 'FULFILLED') {
    return tx.publish(
      OrderFulfilledV1,
      {
        orderId: order.id,
        clinicId: order.clinicId,
        pharmacyId: order.assignedPharmacyId!,
        payoutCents: order.payoutCents ?? 0,
        fulfilledAt: review.at.toISOString(),
      },
      conversation(order),
    );
  }
  return tx.publish(
    OrderRejectedV1,
    {
      orderId: order.id,
      pharmacyId: order.assignedPharmacyId!,
      reviewerId: review.reviewerId,
      comments: review.comments,
      ...(order.holdExpiresAt ? { holdExpiresAt: order.holdExpiresAt.toISOString() } : {}),
    },
    conversation(order),
  );
}
