import { Injectable } from '@nestjs/common';
import { CodedError, type OrderStatusName } from '@prescriptchain/contracts';
import { OrdersStore } from '../../ports/orders-store';
import { Clock } from '../clock';
import { announcePendingReview } from '../order-messages';

export interface ClaimForReviewInput {
  orderId: string;
  pharmacyId: string;
  payoutCents: number;
}

/**
 * From pharmacy, when a proof is submitted: compare-and-set PAID | REJECTED (same pharmacy) →
 * PENDING_REVIEW under the order's row lock, so of two pharmacies racing exactly one wins and the
 * other gets INVALID_ORDER_STATUS. The payout is fixed here. A repeat by the winner is a no-op.
 */
@Injectable()
export class ClaimForReviewHandler {
  constructor(
    private readonly store: OrdersStore,
    private readonly clock: Clock,
  ) {}

  async execute(
    input: ClaimForReviewInput,
  ): Promise<{ orderId: string; status: OrderStatusName; pharmacyId: string }> {
    return this.store.transaction(async (tx) => {
      const order = await tx.lock(input.orderId);
      if (!order) throw new CodedError('ORDER_NOT_FOUND');
      if (order.claimForReview(this.clock.now(), input.pharmacyId, input.payoutCents)) {
        await tx.save(order);
        await announcePendingReview(tx, order);
      }
      return { orderId: order.id, status: order.status, pharmacyId: input.pharmacyId };
    });
  }
}
