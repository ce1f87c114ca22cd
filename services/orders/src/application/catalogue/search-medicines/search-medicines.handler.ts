import { Injectable, Optional } from '@nestjs/common';
import {
  type CatalogueCaller,
  CodedError,
  type MedicinePage,
  type MedicineSortField,
} from '@prescriptchain/contracts';
import { rankMedicines } from '../../../domain/catalogue/medicine-search';
import { MedicineRepository, type MedicineSort } from '../../ports/medicine-repository';
import { medicineView } from '../medicine-record';
import { CatalogueSearchIndexService } from '../search-index/catalogue-search-index.service';

export interface SearchMedicinesInput {
  q?: string;
  category?: string;
  page: number;
  limit: number;
  /** `field:asc|desc`, already checked by the contract. */
  sort?: string;
  includeRetired: boolean;
  caller?: CatalogueCaller;
}

const DEFAULT_SORT: MedicineSort = { field: 'pinyinName', direction: 'asc' };

/**
 * GET /medicines. With `q`: this replica's in-memory index ranks every visible medicine with H6's
 * scoreMatch (best first) and cuts the page, so `total` counts real matches only; until the index is
 * ready (start-up) or while it cannot reach the database, the database proposes candidates
 * (pg_trgm) and scoreMatch ranks those. Without `q`: a plain sorted page straight from the database.
 */
@Injectable()
export class SearchMedicinesHandler {
  constructor(
    private readonly medicines: MedicineRepository,
    @Optional() private readonly index?: CatalogueSearchIndexService,
  ) {}

  async execute(input: SearchMedicinesInput): Promise<MedicinePage> {
    if (input.includeRetired && input.caller?.role !== 'admin') {
      throw new CodedError('INSUFFICIENT_PERMISSIONS', 'Only admins can list retired medicines.');
    }
    const filter = { category: input.category, includeRetired: input.includeRetired };
    const { page, limit } = input;
    const q = input.q?.trim();
    if (q) {
      const indexed = this.index?.search(q, filter, { offset: (page - 1) * limit, limit });
      if (indexed) return { items: indexed.items.map(medicineView), total: indexed.total, page, limit };
      const candidates = await this.medicines.searchCandidates(q, filter);
      const ranked = rankMedicines(q, candidates, candidates.length);
      const items = ranked.slice((page - 1) * limit, page * limit);
      return { items: items.map(medicineView), total: ranked.length, page, limit };
    }
    const { items, total } = await this.medicines.list(filter, parseSort(input.sort), { page, limit });
    return { items: items.map(medicineView), total, page, limit };
  }
}

function parseSort(sort: string | undefined): MedicineSort {
  if (!sort) return DEFAULT_SORT;
  const [field, direction] = sort.split(':') as [MedicineSortField, 'asc' | 'desc'];
  return { field, direction };
}
