import type { PageRequest } from '../../../application/ports/pharmacy-store';

/** Timestamps go to PostgreSQL as ISO text cast with `::timestamptz`, so the session time zone never matters. */
export const iso = (d: Date): string => d.toISOString();

/** uuids as one comma-separated parameter: Prisma's raw parameters and arrays do not mix reliably. */
export const idList = (ids: readonly string[]): string => ids.join(',');

/** The OFFSET of a 1-based page. */
export const offsetOf = (page: PageRequest): number => (page.page - 1) * page.limit;

/** `SELECT count(*)::int AS n …` */
export interface CountRow {
  n: number;
}
