import { z } from 'zod';
import { CurrencySchema } from '../money';
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
  from: z.iso.datetime().meta({ description: 'Start of the range covered, inclusive.' }),
  to: z.iso.datetime().meta({ description: 'End of the range covered, exclusive.' }),
  ordersTotal: Count.meta({
    description: 'Orders created in the range (drafts never submitted left out).',
  }),
  ordersPaid: Count.meta({ description: 'Orders paid in the range.' }),
  ordersFulfilled: Count.meta({ description: 'Orders fulfilled (proof approved) in the range.' }),
  gtvCents: z.number().int().nonnegative().meta({
    description: 'Gross transaction value: Σ total of the orders paid in the range.',
  }),
  /** Negative if payouts exceed totals. */
  grossMarginCents: z.number().int().meta({
    description:
      "Σ (total − the pharmacy's payout fixed at its claim) over the orders fulfilled in the range.",
  }),
  fulfillmentRate: z.number().min(0).max(1).nullable().meta({
    description:
      'Of the orders paid in the range, the share fulfilled by now: a number 0..1 with 4 decimals (not a money amount); null when none was paid.',
    example: 0.8333,
  }),
  avgFulfillmentHours: z.number().nonnegative().nullable().meta({
    description:
      'Mean hours from PAID to FULFILLED over the orders fulfilled in the range (2 decimals); null when none.',
  }),
  activePractitioners: Count.meta({
    description: 'Distinct practitioners with an order created in the range.',
  }),
  activePharmacies: Count.meta({
    description: 'Distinct pharmacies that claimed an order with a proof in the range.',
  }),
  currency: CurrencySchema,
});
export type OrderKpis = z.infer<typeof OrderKpisSchema>;
