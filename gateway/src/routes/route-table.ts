import { ACCOUNTS_ROUTES } from './accounts.routes';
import { CATALOGUE_ROUTES } from './catalogue.routes';
import { IDENTITY_ROUTES } from './identity.routes';
import { NOTIFICATIONS_ROUTES } from './notifications.routes';
import { OPERATIONS_ROUTES } from './operations.routes';
import { ORDERS_ROUTES } from './orders.routes';
import { PHARMACY_ROUTES } from './pharmacy.routes';
import { REPORTS_ROUTES } from './reports.routes';
import type { RouteDef } from './route';

export { API_PREFIX } from './route';
export { ReadinessSchema } from './operations.routes';

/**
 * Every HTTP operation of the gateway, one file per area (gateway/docs/api.md, generated from this table). A new area is one
 * `<area>.routes.ts` and one entry here; bind each operation with `@Route(ROUTES.x)`. Tests check
 * that the Nest routes, the OpenAPI document and the access guard all follow this table.
 */
export const ROUTE_AREAS = {
  operations: OPERATIONS_ROUTES,
  identity: IDENTITY_ROUTES,
  accounts: ACCOUNTS_ROUTES,
  notifications: NOTIFICATIONS_ROUTES,
  catalogue: CATALOGUE_ROUTES,
  orders: ORDERS_ROUTES,
  reports: REPORTS_ROUTES,
  pharmacy: PHARMACY_ROUTES,
} satisfies Record<string, Record<string, RouteDef>>;

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;
type Merged<A extends Record<string, Record<string, RouteDef>>> = UnionToIntersection<A[keyof A]>;

/** The areas merged; a key, operationId or method + path used twice is a start-up error, not a silent override. */
export function mergeRouteAreas<A extends Record<string, Record<string, RouteDef>>>(areas: A): Merged<A> {
  const all: Record<string, RouteDef> = {};
  const seen = new Set<string>();
  for (const [area, routes] of Object.entries(areas) as [string, Record<string, RouteDef>][]) {
    for (const [key, route] of Object.entries(routes)) {
      for (const id of [`key ${key}`, `id ${route.id}`, `${route.method} ${route.path}`]) {
        if (seen.has(id)) throw new Error(`route table: ${id} is defined twice (area ${area})`);
        seen.add(id);
      }
      all[key] = route;
    }
  }
  return all as Merged<A>;
}

export const ROUTES = mergeRouteAreas(ROUTE_AREAS);
export const ROUTE_LIST: readonly RouteDef[] = Object.values(ROUTES);
