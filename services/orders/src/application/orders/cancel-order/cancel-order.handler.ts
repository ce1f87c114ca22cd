import { Injectable } from '@nestjs/common';
import { CodedError, type OrderCaller, type OrderView } from '@prescriptchain/contracts';
import { OrdersStore } from '../../ports/orders-store';
import { Clock } from '../clock';
import { isOwner, visibleOrNotFound } from '../order-access';
import { announceCancelled, requestRefund } from '../order-messages';
import { orderView } from '../order-views';

/**
 * POST /orders/:id/cancel (owner or admin). A paid order (PAID, or REJECTED by an admin) is refunded
 * in full: accounts.refund.requested goes out in the cancelling transaction, once. Once a pharmacy
 * holds the order (DISPENSING, PENDING_REVIEW, REJECTED) its prescriber can no longer cancel it.
 */
@Injectable()
export class CancelOrderHandler {
  constructor(
    private readonly store: OrdersStore,
    private readonly clock: Clock,
  ) {}

  async execute(caller: OrderCaller, orderId: string, reason: string): Promise<OrderView> {
    const now = this.clock.now();
    return this.store.transaction(async (tx) => {
      const order = visibleOrNotFound(caller, await tx.lock(orderId));
      if (caller.role !== 'admin' && !isOwner(caller, order)) {
        throw new CodedError(
          'INSUFFICIENT_PERMISSIONS',
          'Only the prescriber or an admin may cancel an order.',
        );
      }
      const refund = order.cancel(now, caller.userId, reason, { asAdmin: caller.role === 'admin' });
      await tx.save(order);
      // The typed reason stays on the order's own history; messages (and so the ledger) get codes.
      if (refund) await requestRefund(tx, order, 'ORDER_CANCELLED');
      await announceCancelled(tx, order, {
        by: caller.userId,
        reason: isOwner(caller, order) ? 'CANCELLED_BY_PRESCRIBER' : 'CANCELLED_BY_ADMIN',
        at: now,
        refundRequested: refund,
      });
      return orderView(order, caller);
    });
  }
}
