import { Injectable } from '@nestjs/common';
import { CodedError, type OrderStatusName } from '@prescriptchain/contracts';
import { OrdersStore } from '../../ports/orders-store';
import { Clock } from '../clock';
import { announcePendingReview } from '../order-messages';

export interface SubmitForReviewInput {
  orderId: string;
  pharmacyId: string;
}

/**
 * From pharmacy, when the holder submits proof: DISPENSING | REJECTED → PENDING_REVIEW under the
 * order's row lock. Any pharmacy but the holder gets ORDER_ALREADY_CLAIMED. The payout stays the one
 * fixed at the claim. A repeat by the holder is a no-op.
 */
@Injectable()
export class SubmitForReviewHandler {
  constructor(
    private readonly store: OrdersStore,
    private readonly clock: Clock,
  ) {}

  async execute(
    input: SubmitForReviewInput,
  ): Promise<{ orderId: string; status: OrderStatusName; pharmacyId: string; payoutCents: number }> {
    return this.store.transaction(async (tx) => {
      const order = await tx.lock(input.orderId);
      if (!order) throw new CodedError('ORDER_NOT_FOUND');
      if (order.submitForReview(this.clock.now(), input.pharmacyId)) {
        await tx.save(order);
        await announcePendingReview(tx, order);
      }
      return {
        orderId: order.id,
        status: order.status,
        pharmacyId: input.pharmacyId,
        payoutCents: order.payoutCents ?? 0,
      };
    });
  }
}
