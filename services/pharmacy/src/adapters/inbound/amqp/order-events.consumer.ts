import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  CredentialKeyPublishedV1,
  type Envelope,
  OrderCancelledV1,
  OrderDispensingV1,
  OrderExpiredV1,
  OrderFulfilledV1,
  OrderPaidV1,
  OrderPendingReviewV1,
  OrderRejectedV1,
  OrderReleasedV1,
  type PayloadOf,
} from '@prescriptchain/contracts';
import { RecordCredentialKeyHandler } from '../../../application/order-view/record-credential-key/record-credential-key.handler';
import { RecordOrderStatusHandler } from '../../../application/order-view/record-order-status/record-order-status.handler';
import { RecordPaidOrderHandler } from '../../../application/order-view/record-paid-order/record-paid-order.handler';

type Of<D> = Envelope<PayloadOf<D>>;

/** The read model of orders pharmacy scans against, and the keys that verify credentials. */
@Controller()
export class OrderEventsConsumer {
  constructor(
    private readonly recordPaid: RecordPaidOrderHandler,
    private readonly recordStatus: RecordOrderStatusHandler,
    private readonly recordKey: RecordCredentialKeyHandler,
  ) {}

  @EventPattern<string>(OrderPaidV1.type)
  paid(@Payload() e: Of<typeof OrderPaidV1>) {
    return this.recordPaid.execute(e.payload, e);
  }

  @EventPattern<string>(OrderCancelledV1.type)
  cancelled(@Payload() e: Of<typeof OrderCancelledV1>) {
    return this.recordStatus.execute({ orderId: e.payload.orderId, status: 'CANCELLED' }, e);
  }

  @EventPattern<string>(OrderExpiredV1.type)
  expired(@Payload() e: Of<typeof OrderExpiredV1>) {
    return this.recordStatus.execute({ orderId: e.payload.orderId, status: 'EXPIRED' }, e);
  }

  /** A pharmacy claimed the order: who holds it, its payout and when the hold lapses. */
  @EventPattern<string>(OrderDispensingV1.type)
  dispensing(@Payload() e: Of<typeof OrderDispensingV1>) {
    const p = e.payload;
    return this.recordStatus.execute(
      {
        orderId: p.orderId,
        status: 'DISPENSING',
        hold: {
          assignedPharmacyId: p.pharmacyId,
          payoutCents: p.payoutCents,
          claimedAt: new Date(p.claimedAt),
          holdExpiresAt: new Date(p.holdExpiresAt),
        },
      },
      e,
    );
  }

  /** The holder (or an admin) released it: PAID again, held by nobody. */
  @EventPattern<string>(OrderReleasedV1.type)
  released(@Payload() e: Of<typeof OrderReleasedV1>) {
    return this.recordStatus.execute(
      {
        orderId: e.payload.orderId,
        status: 'PAID',
        hold: { assignedPharmacyId: null, payoutCents: null, claimedAt: null, holdExpiresAt: null },
      },
      e,
    );
  }

  @EventPattern<string>(OrderPendingReviewV1.type)
  pendingReview(@Payload() e: Of<typeof OrderPendingReviewV1>) {
    return this.recordStatus.execute(
      {
        orderId: e.payload.orderId,
        status: 'PENDING_REVIEW',
        hold: {
          assignedPharmacyId: e.payload.pharmacyId,
          payoutCents: e.payload.payoutCents,
          holdExpiresAt: null,
        },
      },
      e,
    );
  }

  @EventPattern<string>(OrderRejectedV1.type)
  rejected(@Payload() e: Of<typeof OrderRejectedV1>) {
    const { orderId, pharmacyId, holdExpiresAt } = e.payload;
    return this.recordStatus.execute(
      {
        orderId,
        status: 'REJECTED',
        hold: {
          assignedPharmacyId: pharmacyId,
          ...(holdExpiresAt ? { holdExpiresAt: new Date(holdExpiresAt) } : {}),
        },
      },
      e,
    );
  }

  @EventPattern<string>(OrderFulfilledV1.type)
  fulfilled(@Payload() e: Of<typeof OrderFulfilledV1>) {
    return this.recordStatus.execute(
      {
        orderId: e.payload.orderId,
        status: 'FULFILLED',
        hold: { assignedPharmacyId: e.payload.pharmacyId, payoutCents: e.payload.payoutCents },
      },
      e,
    );
  }

  @EventPattern<string>(CredentialKeyPublishedV1.type)
  credentialKey(@Payload() e: Of<typeof CredentialKeyPublishedV1>) {
    return this.recordKey.execute(e.payload.jwk, e);
  }
}
