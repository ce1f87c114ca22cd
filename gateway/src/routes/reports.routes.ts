import { OrderKpisSchema } from '@prescriptchain/contracts';
import { z } from 'zod';
import { wireShape } from '../http/money';
import { API_PREFIX, defineRoute, type RouteDef } from './route';
import { BACKEND, DateOrInstant } from './atoms';

// ------------------------------------------------------------------ data shapes

export const KpisSchema = wireShape(OrderKpisSchema).meta({ id: 'Kpis' });

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
