import { Injectable } from '@nestjs/common';
import { CodedError, type OrderStatusName } from '@prescriptchain/contracts';
import { OrdersStore } from '../../ports/orders-store';
import { Clock } from '../clock';
import { announceReviewed } from '../order-messages';
import { OrdersConfig } from '../orders-config';

export interface ReviewOrderInput {
  orderId: string;
  decision: 'approve' | 'reject';
  reviewerId: string;
  comments?: string | null;
}

/**
 * From pharmacy, when an admin reviewed the proof: PENDING_REVIEW → FULFILLED (orders.order.fulfilled:
 * accounts opens the pharmacy's settlement for the payout fixed at the claim) or → REJECTED
 * (orders.order.rejected: the holder may submit again until its hold, restarted now, lapses).
 */
@Injectable()
export class ReviewOrderHandler {
  constructor(
    private readonly store: OrdersStore,
    private readonly clock: Clock,
    private readonly config: OrdersConfig,
  ) {}

  async execute(input: ReviewOrderInput): Promise<{ orderId: string; status: OrderStatusName }> {
    const now = this.clock.now();
    return this.store.transaction(async (tx) => {
      const order = await tx.lock(input.orderId);
      if (!order) throw new CodedError('ORDER_NOT_FOUND');
      const comments = input.comments ?? null;
      order.review(now, input.decision, input.reviewerId, comments, this.config.holdExpiry(now));
      await tx.save(order);
      await announceReviewed(tx, order, { reviewerId: input.reviewerId, comments, at: now });
      return { orderId: order.id, status: order.status };
    });
  }
}
