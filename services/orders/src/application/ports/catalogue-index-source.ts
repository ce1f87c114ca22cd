import type { CatalogueMedicineRecord } from '../catalogue/medicine-record';

/**
 * Medicines read for the in-memory search index, each batch with a watermark: every change made by
 * a transaction the database had not finished when the batch was read has a change mark at or
 * above it, so `changedSince(watermark)` misses nothing however transactions interleave.
 */
export interface CatalogueBatch {
  rows: CatalogueMedicineRecord[];
  /** Opaque (a transaction id as decimal text). */
  watermark: string;
}

export abstract class CatalogueIndexSource {
  /** Up to `limit` medicines (retired ones included) with ids after `afterId`, by id. */
  abstract catalogueBatch(afterId: string | null, limit: number): Promise<CatalogueBatch>;

  /** The medicines created or changed at or after `watermark` (a superset: unchanged ones may come too). */
  abstract changedSince(watermark: string): Promise<CatalogueBatch>;
}
