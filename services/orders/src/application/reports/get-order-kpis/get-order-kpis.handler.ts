import { Injectable } from '@nestjs/common';
import { CodedError, type OrderCaller, type OrderKpis } from '@prescriptchain/contracts';
import { Clock } from '../../orders/clock';
import { type KpiRange, OrderKpisQuery } from '../../ports/order-kpis-query';

const DAY_MS = 24 * 3600_000;
export const DEFAULT_KPI_DAYS = 30;

export interface KpiRangeInput {
  /** ISO date (a whole UTC day) or instant; default `to` − 30 days. */
  from?: string;
  /** ISO date (that day included) or instant; default now. */
  to?: string;
}

/**
 * GET /admin/reports/kpis: the platform's figures over a range, from orders' own data — what was
 * paid (GTV), fulfilled (margin over the payout fixed at the claim), how fast, and by how many
 * practitioners and pharmacies. Admins only (the gateway checks too).
 */
@Injectable()
export class GetOrderKpisHandler {
  constructor(
    private readonly query: OrderKpisQuery,
    private readonly clock: Clock,
  ) {}

  async execute(caller: OrderCaller, input: KpiRangeInput): Promise<OrderKpis> {
    if (caller.role !== 'admin') throw new CodedError('INSUFFICIENT_PERMISSIONS');
    const range = resolveRange(input, this.clock.now());
    const f = await this.query.figures(range);
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      ordersTotal: f.ordersCreated,
      ordersPaid: f.ordersPaid,
      ordersFulfilled: f.ordersFulfilled,
      gtvCents: f.paidTotalCents,
      grossMarginCents: f.fulfilledMarginCents,
      // A cohort share (of the orders paid in the range), so it stays within 0..1 even when orders
      // paid before the range are fulfilled inside it.
      fulfillmentRate: f.ordersPaid === 0 ? null : round(f.paidSinceFulfilled / f.ordersPaid, 4),
      avgFulfillmentHours: f.avgFulfillmentSeconds === null ? null : round(f.avgFulfillmentSeconds / 3600, 2),
      activePractitioners: f.activePractitioners,
      activePharmacies: f.activePharmacies,
      currency: 'NZD',
    };
  }
}

/** `from` inclusive, `to` exclusive; bare dates are whole UTC days (a bare `to` includes its day). */
export function resolveRange(input: KpiRangeInput, now: Date): KpiRange {
  const to = input.to ? instant(input.to, 'end') : now;
  const from = input.from ? instant(input.from, 'start') : new Date(to.getTime() - DEFAULT_KPI_DAYS * DAY_MS);
  if (from.getTime() >= to.getTime()) {
    throw new CodedError('VALIDATION_FAILED', 'from must be before to.', [
      { path: 'from', message: 'must be before to' },
    ]);
  }
  return { from, to };
}

function instant(value: string, edge: 'start' | 'end'): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = new Date(`${value}T00:00:00.000Z`);
    return edge === 'start' ? day : new Date(day.getTime() + DAY_MS);
  }
  return new Date(value);
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;
