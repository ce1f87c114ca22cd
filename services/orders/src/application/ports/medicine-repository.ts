import type { MedicineSortField } from '@prescriptchain/contracts';
import type { CatalogueMedicine } from '../../domain/catalogue/medicine';
import type { MedicineDefinition } from '../catalogue/medicine-definition';
import type { CatalogueMedicineRecord, MedicineStatus } from '../catalogue/medicine-record';

export interface MedicineFilter {
  category?: string;
  includeRetired: boolean;
}

export interface MedicineSort {
  field: MedicineSortField;
  direction: 'asc' | 'desc';
}

export interface SeedOutcome {
  /** False when another process had already applied this hash. */
  applied: boolean;
  inserted: number;
  updated: number;
}

/** The catalogue's table: search, admin edits and the start-up seed. */
export abstract class MedicineRepository {
  /**
   * Medicines that may match `query` (a superset, found with pg_trgm); the caller ranks them with
   * scoreMatch and drops those that score 0.
   */
  abstract searchCandidates(query: string, filter: MedicineFilter): Promise<CatalogueMedicineRecord[]>;

  abstract list(
    filter: MedicineFilter,
    sort: MedicineSort,
    page: { page: number; limit: number },
  ): Promise<{ items: CatalogueMedicineRecord[]; total: number }>;

  abstract get(id: string): Promise<CatalogueMedicineRecord | null>;

  /** Throws CodedError CONFLICT when the SKU is taken. */
  abstract create(sku: string, definition: MedicineDefinition): Promise<CatalogueMedicineRecord>;

  /**
   * Writes only the given fields; a change to the facts (anything but `status`) marks the row
   * admin-edited, so the seed leaves it alone from then on. Null when there is no such medicine.
   */
  abstract update(
    id: string,
    changes: Partial<MedicineDefinition> & { status?: MedicineStatus },
  ): Promise<CatalogueMedicineRecord | null>;

  /** The hash of the seed data the table was last seeded from. */
  abstract seedHash(): Promise<string | null>;

  /**
   * Upserts the seed by SKU and records `hash`, atomically and once across concurrent processes.
   * Never un-retires a medicine and never overwrites one an admin has edited.
   */
  abstract applySeed(hash: string, medicines: readonly CatalogueMedicine[]): Promise<SeedOutcome>;
}
