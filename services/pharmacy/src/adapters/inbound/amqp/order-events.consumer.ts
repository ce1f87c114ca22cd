import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  CredentialKeyPublishedV1,
  type Envelope,
  OrderCancelledV1,
  OrderExpiredV1,
  OrderFulfilledV1,
  OrderPaidV1,
  OrderPendingReviewV1,
  OrderRejectedV1,
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

  @EventPattern<string>(OrderPendingReviewV1.type)
  pendingReview(@Payload() e: Of<typeof OrderPendingReviewV1>) {
    return this.recordStatus.execute(
      { orderId: e.payload.orderId, status: 'PENDING_REVIEW', assignedPharmacyId: e.payload.pharmacyId },
      e,
    );
  }

  @EventPattern<string>(OrderRejectedV1.type)
  rejected(@Payload() e: Of<typeof OrderRejectedV1>) {
    return this.recordStatus.execute(
      { orderId: e.payload.orderId, status: 'REJECTED', assignedPharmacyId: e.payload.pharmacyId },
      e,
    );
  }

  @EventPattern<string>(OrderFulfilledV1.type)
  fulfilled(@Payload() e: Of<typeof OrderFulfilledV1>) {
    return this.recordStatus.execute(
      { orderId: e.payload.orderId, status: 'FULFILLED', assignedPharmacyId: e.payload.pharmacyId },
      e,
    );
  }

  @EventPattern<string>(CredentialKeyPublishedV1.type)
  credentialKey(@Payload() e: Of<typeof CredentialKeyPublishedV1>) {
    return this.recordKey.execute(e.payload.jwk, e);
  }
}
