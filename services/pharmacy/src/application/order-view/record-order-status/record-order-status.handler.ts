import { Injectable } from '@nestjs/common';
import { type IncomingMessage, type OrderHoldPatch, PharmacyStore } from '../../ports/pharmacy-store';
import { ORDER_VIEW_CONSUMER } from '../record-paid-order/record-paid-order.handler';

/**
 * Any later orders.order.* move (dispensing, released, cancelled, expired, pending_review, rejected,
 * fulfilled), with what it changes of the hold (who holds the order, its payout, when the hold
 * lapses). Events may arrive out of order across retries: the newest occurredAt wins.
 */
@Injectable()
export class RecordOrderStatusHandler {
  constructor(private readonly store: PharmacyStore) {}

  async execute(
    change: { orderId: string; status: string; hold?: OrderHoldPatch },
    message: IncomingMessage,
  ): Promise<void> {
    // One statement (inbox claim + status move), so no transaction of its own and nothing to relay.
    await this.store.read.orders.applyStatusOnce(
      { consumer: ORDER_VIEW_CONSUMER, message },
      change.orderId,
      change.status,
      new Date(message.occurredAt),
      change.hold,
    );
  }
}
