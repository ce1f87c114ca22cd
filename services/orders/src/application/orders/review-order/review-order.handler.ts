import { Injectable } from '@nestjs/common';
import { CodedError, type OrderStatusName } from '@prescriptchain/contracts';
import { OrdersStore } from '../../ports/orders-store';
import { Clock } from '../clock';
import { announceReviewed } from '../order-messages';

export interface ReviewOrderInput {
  orderId: string;
  decision: 'approve' | 'reject';
  reviewerId: string;
  comments?: string | null;
}

/**
 * From pharmacy, when an admin reviewed the proof: PENDING_REVIEW → FULFILLED (orders.order.fulfilled:
 * accounts opens the pharmacy's settlement for the payout fixed at the claim) or → REJECTED
 * (orders.order.rejected: the same pharmacy may submit again).
 */
@Injectable()
export class ReviewOrderHandler {
  constructor(
    private readonly store: OrdersStore,
    private readonly clock: Clock,
  ) {}

  async execute(input: ReviewOrderInput): Promise<{ orderId: string; status: OrderStatusName }> {
    const now = this.clock.now();
    return this.store.transaction(async (tx) => {
      const order = await tx.lock(input.orderId);
      if (!order) throw new CodedError('ORDER_NOT_FOUND');
      const comments = input.comments ?? null;
      order.review(now, input.decision, input.reviewerId, comments);
      await tx.save(order);
      await announceReviewed(tx, order, { reviewerId: input.reviewerId, comments, at: now });
      return { orderId: order.id, status: order.status };
    });
  }
}
