import { Injectable } from '@nestjs/common';
import type { OrderCaller, OrderView } from '@prescriptchain/contracts';
import { OrdersStore } from '../../ports/orders-store';
import { visibleOrNotFound } from '../order-access';
import { orderView } from '../order-views';

/** GET /orders/:id, scoped to the caller (someone else's order is ORDER_NOT_FOUND). */
@Injectable()
export class GetOrderHandler {
  constructor(private readonly store: OrdersStore) {}

  async execute(caller: OrderCaller, orderId: string): Promise<OrderView> {
    return orderView(visibleOrNotFound(caller, await this.store.findById(orderId)), caller);
  }
}
