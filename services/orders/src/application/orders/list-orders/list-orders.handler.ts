import { Injectable } from '@nestjs/common';
import {
  CodedError,
  type OrderCaller,
  type OrderListView,
  type OrderStatusName,
} from '@prescriptchain/contracts';
import { OrdersStore, type OrderListQuery } from '../../ports/orders-store';
import { scopeOf } from '../order-access';
import { orderView } from '../order-views';

export interface ListOrdersInput {
  status?: OrderStatusName;
  page: number;
  limit: number;
  /** `field:asc|desc` over createdAt, updatedAt, totalAmount, status. */
  sort: string;
  /** ISO date or date-time; a bare date `dateTo` includes that whole day (UTC). */
  dateFrom?: string;
  dateTo?: string;
}

/** GET /orders: the caller's own (practitioner), their pharmacy's claimed (operator), or all (admin). */
@Injectable()
export class ListOrdersHandler {
  constructor(private readonly store: OrdersStore) {}

  async execute(caller: OrderCaller, input: ListOrdersInput): Promise<OrderListView> {
    const [field, direction] = input.sort.split(':') as [OrderListQuery['sort']['field'], 'asc' | 'desc'];
    const createdFrom = input.dateFrom ? instant(input.dateFrom, 'start') : undefined;
    const createdTo = input.dateTo ? instant(input.dateTo, 'end') : undefined;
    if (createdFrom && createdTo && createdFrom > createdTo) {
      throw new CodedError('VALIDATION_FAILED', 'dateFrom is after dateTo.', [
        { path: 'dateFrom', message: 'must not be after dateTo' },
      ]);
    }
    const { orders, total } = await this.store.list({
      scope: scopeOf(caller),
      status: input.status,
      createdFrom,
      createdTo,
      sort: { field, direction },
      page: input.page,
      limit: input.limit,
    });
    return { items: orders.map((o) => orderView(o, caller)), total, page: input.page, limit: input.limit };
  }
}

function instant(value: string, edge: 'start' | 'end'): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return new Date(`${value}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`);
  }
  return new Date(value);
}
