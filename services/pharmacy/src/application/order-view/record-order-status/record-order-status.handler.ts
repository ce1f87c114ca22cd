import { Injectable } from '@nestjs/common';
import { type IncomingMessage, PharmacyStore } from '../../ports/pharmacy-store';
import { ORDER_VIEW_CONSUMER } from '../record-paid-order/record-paid-order.handler';

/**
 * Any later orders.order.* move (cancelled, expired, pending_review, rejected, fulfilled). Events
 * may arrive out of order across retries: the newest occurredAt wins.
 */
@Injectable()
export class RecordOrderStatusHandler {
  constructor(private readonly store: PharmacyStore) {}

  async execute(
    change: { orderId: string; status: string; assignedPharmacyId?: string | null },
    message: IncomingMessage,
  ): Promise<void> {
    await this.store.transaction(async (tx) => {
      if (!(await tx.claimInbox(ORDER_VIEW_CONSUMER, message))) return;
      await tx.orders.applyStatus(
        change.orderId,
        change.status,
        new Date(message.occurredAt),
        change.assignedPharmacyId,
      );
    });
  }
}
