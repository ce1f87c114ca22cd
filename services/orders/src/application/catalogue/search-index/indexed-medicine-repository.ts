import type { CatalogueMedicine } from '../../../domain/catalogue/medicine';
import {
  type MedicineFilter,
  MedicineRepository,
  type MedicineSort,
  type SeedOutcome,
} from '../../ports/medicine-repository';
import type { MedicineDefinition } from '../medicine-definition';
import type { CatalogueMedicineRecord, MedicineStatus } from '../medicine-record';
import type { CatalogueSearchIndexService } from './catalogue-search-index.service';

/**
 * The medicines table as the catalogue's use cases see it: every write (admin create/edit/retire,
 * the start-up seed) returns only once this replica's search index holds it, so a search right
 * after a write on the same replica is never stale.
 */
export class IndexedMedicineRepository extends MedicineRepository {
  constructor(
    private readonly table: MedicineRepository,
    private readonly index: CatalogueSearchIndexService,
  ) {
    super();
  }

  searchCandidates(query: string, filter: MedicineFilter): Promise<CatalogueMedicineRecord[]> {
    return this.table.searchCandidates(query, filter);
  }

  list(filter: MedicineFilter, sort: MedicineSort, page: { page: number; limit: number }) {
    return this.table.list(filter, sort, page);
  }

  get(id: string): Promise<CatalogueMedicineRecord | null> {
    return this.table.get(id);
  }

  async create(sku: string, definition: MedicineDefinition): Promise<CatalogueMedicineRecord> {
    const created = await this.table.create(sku, definition);
    await this.index.changed();
    return created;
  }

  async update(
    id: string,
    changes: Partial<MedicineDefinition> & { status?: MedicineStatus },
  ): Promise<CatalogueMedicineRecord | null> {
    const updated = await this.table.update(id, changes);
    if (updated) await this.index.changed();
    return updated;
  }

  seedHash(): Promise<string | null> {
    return this.table.seedHash();
  }

  async applySeed(hash: string, medicines: readonly CatalogueMedicine[]): Promise<SeedOutcome> {
    const outcome = await this.table.applySeed(hash, medicines);
    if (outcome.applied) await this.index.changed();
    return outcome;
  }
}
