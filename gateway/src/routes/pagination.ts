import { z } from 'zod';

/**
 * The highest page a list is asked for: with the largest `limit` (100) its offset still fits a
 * 32-bit OFFSET, and no list holds that many rows, so it is always past the end.
 */
export const MAX_PAGE = Math.floor((2 ** 31 - 1) / 100);

/**
 * `page` of every list (api-v1 Conventions): any whole number from 1. A page past the last one is
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
