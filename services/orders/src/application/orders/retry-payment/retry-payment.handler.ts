import { Injectable } from '@nestjs/common';
import type { OrderCaller, OrderView } from '@prescriptchain/contracts';
import { OrdersStore } from '../../ports/orders-store';
import { Clock } from '../clock';
import { ownedOrNotFound } from '../order-access';
import { requestDebit } from '../order-messages';
import { orderView } from '../order-views';
import { OrdersConfig } from '../orders-config';

/**
 * POST /orders/:id/retry-payment: PAYMENT_FAILED → PENDING_PAYMENT and a new debit request for the
 * same amount (the price was fixed when payment was first asked for). accounts debits an order at
 * most once, and a rejected attempt debited nothing, so a retry can never charge twice.
 */
@Injectable()
export class RetryPaymentHandler {
  constructor(
    private readonly store: OrdersStore,
    private readonly config: OrdersConfig,
    private readonly clock: Clock,
  ) {}

  async execute(caller: OrderCaller, orderId: string): Promise<OrderView> {
    const now = this.clock.now();
    return this.store.transaction(async (tx) => {
      const order = ownedOrNotFound(caller, await tx.lock(orderId));
      order.requestPayment(now, this.config.paymentDeadline(now), caller.userId);
      await tx.save(order);
      await requestDebit(tx, order);
      return orderView(order, caller);
    });
  }
}
