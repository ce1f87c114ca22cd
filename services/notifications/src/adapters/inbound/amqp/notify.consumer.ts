import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  type Envelope,
  OrderDispensingV1,
  OrderPaymentFailedV1,
  OrderReleasedV1,
  type PayloadOf,
  ProofReviewedV1,
  ProofSubmittedV1,
  SettlementPaidV1,
  TopUpCompletedV1,
  UserApprovedV1,
} from '@prescriptchain/contracts';
import { RecordDirectoryHandler } from '../../../application/directory/record-directory.handler';
import { NotifyHandler, type NotifyResult } from '../../../application/notify/notify.handler';
import {
  NotificationsStore,
  type NotificationsTx,
  type SourceMessage,
} from '../../../application/ports/notifications-store';
import { DeliveryDispatchPoller } from '../scheduler/delivery-dispatch.poller';
import { consumerFor, sourceOf } from './source-message';

/**
 * Events people should hear about. Each one writes its in-app notifications and pending e-mails in
 * one transaction with its inbox record, so a redelivered event adds nothing; then the dispatcher
 * is woken to send.
 */
@Controller()
export class NotifyConsumer {
  private readonly log = new Logger('NotifyConsumer');

  constructor(
    private readonly store: NotificationsStore,
    private readonly directory: RecordDirectoryHandler,
    private readonly notify: NotifyHandler,
    private readonly dispatcher: DeliveryDispatchPoller,
  ) {}

  @EventPattern<string>(UserApprovedV1.type)
  async userApproved(@Payload() e: Envelope<PayloadOf<typeof UserApprovedV1>>): Promise<void> {
    await this.once(e, async (tx, source) => {
      await this.directory.userApproved(tx, source, e.payload);
      return this.notify.accountApproved(tx, source, e.payload);
    });
  }

  @EventPattern<string>(OrderPaymentFailedV1.type)
  async paymentFailed(@Payload() e: Envelope<PayloadOf<typeof OrderPaymentFailedV1>>): Promise<void> {
    await this.once(e, (tx, source) => this.notify.paymentFailed(tx, source, e.payload));
  }

  @EventPattern<string>(OrderDispensingV1.type)
  async orderDispensing(@Payload() e: Envelope<PayloadOf<typeof OrderDispensingV1>>): Promise<void> {
    await this.once(e, (tx, source) => this.notify.orderDispensing(tx, source, e.payload));
  }

  @EventPattern<string>(OrderReleasedV1.type)
  async orderReleased(@Payload() e: Envelope<PayloadOf<typeof OrderReleasedV1>>): Promise<void> {
    await this.once(e, (tx, source) => this.notify.orderReleased(tx, source, e.payload));
  }

  @EventPattern<string>(ProofSubmittedV1.type)
  async proofSubmitted(@Payload() e: Envelope<PayloadOf<typeof ProofSubmittedV1>>): Promise<void> {
    await this.once(e, (tx, source) => this.notify.proofSubmitted(tx, source, e.payload));
  }

  @EventPattern<string>(ProofReviewedV1.type)
  async proofReviewed(@Payload() e: Envelope<PayloadOf<typeof ProofReviewedV1>>): Promise<void> {
    await this.once(e, (tx, source) => this.notify.proofReviewed(tx, source, e.payload));
  }

  @EventPattern<string>(SettlementPaidV1.type)
  async settlementPaid(@Payload() e: Envelope<PayloadOf<typeof SettlementPaidV1>>): Promise<void> {
    await this.once(e, (tx, source) => this.notify.settlementPaid(tx, source, e.payload));
  }

  @EventPattern<string>(TopUpCompletedV1.type)
  async topUpCompleted(@Payload() e: Envelope<PayloadOf<typeof TopUpCompletedV1>>): Promise<void> {
    await this.once(e, (tx, source) => this.notify.topUpCredited(tx, source, e.payload));
  }

  private async once(
    e: Envelope,
    effect: (tx: NotificationsTx, source: SourceMessage) => Promise<NotifyResult>,
  ): Promise<void> {
    const source = sourceOf(e);
    let result: NotifyResult | undefined;
    const fresh = await this.store.once(consumerFor(e), source, async (tx) => {
      result = await effect(tx, source);
    });
    if (!fresh || !result) return;
    // Nobody to tell is not worth a retry (the directory will not fill itself), but it is worth a look.
    if (result.skipped.length > 0) {
      this.log.warn(
        { type: e.type, messageId: e.messageId, skipped: result.skipped },
        'some recipients could not be notified',
      );
    }
    if (result.emails > 0) void this.dispatcher.kick();
  }
}
