import { z } from 'zod';
import { OrderCallerSchema } from './orders.rpc';

/**
 * Business figures orders computes from its own data (orders, their history, the payout fixed when
 * a pharmacy claimed one), for admins (`orders.rpc` queue). Money is integer cents here; the gateway
 * formats `"12.34"` strings with `currency`.
 */
export const ORDERS_REPORTS_RPC = {
  kpis: 'orders.reports.kpis',
} as const;

/** A bare date (`2026-11-01`, a whole UTC day) or an instant with its offset. */
const DateOrInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const OrderKpisRequestSchema = z.object({
  caller: OrderCallerSchema,
  /** Start of the range, inclusive; a bare date starts at 00:00 UTC. Default: 30 days before `to`. */
  from: DateOrInstant.optional(),
  /** End of the range; a bare date includes that whole day (UTC). Default: now. */
  to: DateOrInstant.optional(),
});
export type OrderKpisRequest = z.input<typeof OrderKpisRequestSchema>;

const Count = z.number().int().nonnegative();

export const OrderKpisSchema = z.object({
  /** The range the figures cover: `from` inclusive, `to` exclusive. */
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  /** Orders created in the range, drafts never submitted left out. */
  ordersTotal: Count,
  /** Orders that became PAID in the range. */
  ordersPaid: Count,
  /** Orders that became FULFILLED in the range. */
  ordersFulfilled: Count,
  /** Σ total of the orders paid in the range (gross transaction value). */
  gtvCents: z.number().int().nonnegative(),
  /** Σ (total − payout) over the orders fulfilled in the range; negative if payouts exceed totals. */
  grossMarginCents: z.number().int(),
  /**
   * Of the orders paid in the range, the share fulfilled by now: 0..1 with 4 decimals, null when
   * none was paid.
   */
  fulfillmentRate: z.number().min(0).max(1).nullable(),
  /** Mean hours from PAID to FULFILLED over the orders fulfilled in the range (2 decimals); null when none. */
  avgFulfillmentHours: z.number().nonnegative().nullable(),
  /** Distinct practitioners with an order (draft or not) created in the range. */
  activePractitioners: Count,
  /** Distinct pharmacies that claimed an order with a proof in the range. */
  activePharmacies: Count,
  currency: z.literal('NZD'),
});
export type OrderKpis = z.infer<typeof OrderKpisSchema>;
