import type { ErrorKey } from '@prescriptchain/contracts';
import { z } from 'zod';

/** The pieces every `<area>.routes.ts` declares its operations with. */

/** Answers of a route that asks a service: the service is away or too slow. */
export const BACKEND: ErrorKey[] = ['SERVICE_UNAVAILABLE', 'GATEWAY_TIMEOUT'];
export const ADMIN = ['admin'] as const;
export const PRACTITIONER = ['practitioner'] as const;
export const OPERATOR = ['pharmacy_operator'] as const;

export const Timestamp = z.iso.datetime();
export const Id = z.uuid();
export const IdParams = z.object({ id: Id });
/** `from` / `to` of the reports and order lists. */
export const DateOrInstant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .meta({ description: 'A date (a whole UTC day) or an ISO-8601 instant.' });
/** `limit` of every list (gateway/docs/api.md, "Conventions"): 1–100, 20 by default. */
export const limit = z.coerce.number().int().min(1).max(100).default(20);

/**
 * The highest page a list is asked for: with the largest `limit` (100) its offset still fits a
 * 32-bit OFFSET, and no list holds that many rows, so it is always past the end.
 */
export const MAX_PAGE = Math.floor((2 ** 31 - 1) / 100);

/**
 * `page` of every list (gateway/docs/api.md, "Conventions"): any whole number from 1. A page past the last one is
 * an empty list, however far past — 2^31, 2^53 + 1 or 10^20 included: a page beyond `max` is read
 * as `max`, which is past the end of every list (so no offset ever overflows a query).
 */
export const pageQuery = (max = MAX_PAGE) =>
  z.coerce
    .number()
    .min(1)
    .refine(Number.isInteger, 'must be a whole number')
    .transform((page) => Math.min(page, max))
    .default(1);

/** `page` of the lists whose offset is bounded by {@link MAX_PAGE}. */
export const page = pageQuery();
