import { z } from 'zod';
import { CurrencySchema, MoneySchema } from '../http/money';
import { API_PREFIX, defineRoute, type RouteDef } from './route';
import { BACKEND, DateOrInstant } from './atoms';

const Count = z.number().int().nonnegative();

// ------------------------------------------------------------------ data shapes (api-v1.md "Notifications and reports")

export const KpisSchema = z
  .object({
    from: z.iso.datetime().meta({ description: 'Start of the range covered, inclusive.' }),
    to: z.iso.datetime().meta({ description: 'End of the range covered, exclusive.' }),
    ordersTotal: Count.meta({
      description: 'Orders created in the range (drafts never submitted left out).',
    }),
    ordersPaid: Count.meta({ description: 'Orders paid in the range.' }),
    ordersFulfilled: Count.meta({ description: 'Orders fulfilled (proof approved) in the range.' }),
    gtv: MoneySchema.meta({
      description: 'Gross transaction value: Σ total of the orders paid in the range.',
    }),
    grossMargin: MoneySchema.meta({
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
  })
  .meta({ id: 'Kpis' });

// ------------------------------------------------------------------ routes

export const REPORTS_ROUTES = {
  getKpis: defineRoute({
    id: 'getKpis',
    method: 'get',
    path: `${API_PREFIX}/admin/reports/kpis`,
    access: ['admin'],
    summary:
      'Platform KPIs over a range (default: the last 30 days): a bare `to` date includes that day; `from` must be before `to`',
    tags: ['admin'],
    query: z.object({ from: DateOrInstant.optional(), to: DateOrInstant.optional() }),
    response: { status: 200, data: KpisSchema },
    errors: BACKEND,
  }),
} satisfies Record<string, RouteDef>;
