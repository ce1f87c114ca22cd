import { Injectable } from '@nestjs/common';
import { decimalToCents } from '../../../domain/order/order-money';
import type { KpiRange, OrderKpiFigures } from '../../../application/ports/order-kpis-query';
import { OrderKpisQuery } from '../../../application/ports/order-kpis-query';
import { OrdersPrismaService } from './orders-prisma.service';

interface Row {
  orders_created: number;
  active_practitioners: number;
  orders_paid: number;
  paid_total: string;
  paid_since_fulfilled: number;
  orders_fulfilled: number;
  fulfilled_margin: string;
  avg_fulfillment_seconds: number | null;
  active_pharmacies: number;
}

/**
 * The KPI figures in one statement. "Paid/fulfilled in the range" is read from the history (when
 * the move happened), not from the order's current status; money is summed as NUMERIC and read back
 * as text, so no amount passes through a float on its way to integer cents.
 */
@Injectable()
export class PrismaOrderKpisQuery extends OrderKpisQuery {
  constructor(private readonly prisma: OrdersPrismaService) {
    super();
  }

  async figures({ from, to }: KpiRange): Promise<OrderKpiFigures> {
    const [row] = await this.prisma.$queryRaw<Row[]>`
      WITH paid AS (
        SELECT DISTINCT ON (o.id) o.id, o.total_amount
        FROM order_history h JOIN orders o ON o.id = h.order_id
        WHERE h.to_status = 'PAID' AND h.from_status = 'PENDING_PAYMENT' AND h.at >= ${from} AND h.at < ${to}
      ),
      fulfilled AS (
        SELECT DISTINCT ON (o.id) o.id, o.total_amount, o.payout_amount, h.at AS fulfilled_at,
          (SELECT max(p.at) FROM order_history p
            WHERE p.order_id = o.id AND p.to_status = 'PAID' AND p.from_status = 'PENDING_PAYMENT'
              AND p.at <= h.at) AS paid_at
        FROM order_history h JOIN orders o ON o.id = h.order_id
        WHERE h.to_status = 'FULFILLED' AND h.at >= ${from} AND h.at < ${to}
      ),
      created AS (
        SELECT practitioner_id, status FROM orders WHERE created_at >= ${from} AND created_at < ${to}
      )
      SELECT
        (SELECT count(*) FROM created WHERE status <> 'DRAFT')::int AS orders_created,
        (SELECT count(DISTINCT practitioner_id) FROM created)::int AS active_practitioners,
        (SELECT count(*) FROM paid)::int AS orders_paid,
        (SELECT coalesce(sum(total_amount), 0) FROM paid)::text AS paid_total,
        (SELECT count(*) FROM paid WHERE EXISTS (
          SELECT 1 FROM order_history x WHERE x.order_id = paid.id AND x.to_status = 'FULFILLED'
        ))::int AS paid_since_fulfilled,
        (SELECT count(*) FROM fulfilled)::int AS orders_fulfilled,
        (SELECT coalesce(sum(total_amount - coalesce(payout_amount, 0)), 0) FROM fulfilled)::text
          AS fulfilled_margin,
        (SELECT avg(extract(epoch FROM fulfilled_at - paid_at)) FROM fulfilled WHERE paid_at IS NOT NULL)::float8
          AS avg_fulfillment_seconds,
        (SELECT count(DISTINCT h.by) FROM order_history h
          WHERE h.to_status IN ('DISPENSING', 'PENDING_REVIEW') AND h.by LIKE 'pharmacy:%'
            AND h.at >= ${from} AND h.at < ${to})::int AS active_pharmacies
    `;
    return {
      ordersCreated: row.orders_created,
      activePractitioners: row.active_practitioners,
      ordersPaid: row.orders_paid,
      paidTotalCents: decimalToCents(row.paid_total),
      paidSinceFulfilled: row.paid_since_fulfilled,
      ordersFulfilled: row.orders_fulfilled,
      fulfilledMarginCents: decimalToCents(row.fulfilled_margin),
      avgFulfillmentSeconds: row.avg_fulfillment_seconds,
      activePharmacies: row.active_pharmacies,
    };
  }
}
