import { randomUUID } from 'node:crypto';
import { CodedError } from '@prescriptchain/contracts';
import type { CatalogueMedicine } from '../../src/domain/catalogue/medicine';
import { SEED_MEDICINES } from '../../src/domain/catalogue/seed-catalogue';
import type { MedicineCatalogue } from '../../src/application/ports/medicine-catalogue';
import { type MedicineDefinition, definitionOf } from '../../src/application/catalogue/medicine-definition';
import type {
  CatalogueMedicineRecord,
  MedicineStatus,
} from '../../src/application/catalogue/medicine-record';
import type {
  MedicineFilter,
  MedicineRepository,
  MedicineSort,
  SeedOutcome,
} from '../../src/application/ports/medicine-repository';

/** An in-memory catalogue for unit specs; every visible medicine is a search candidate. */
export class FakeMedicineRepository implements MedicineRepository, MedicineCatalogue {
  readonly rows = new Map<string, CatalogueMedicineRecord>();
  hash: string | null = null;

  static withSeed(filter: (m: CatalogueMedicine) => boolean = () => true): FakeMedicineRepository {
    const repo = new FakeMedicineRepository();
    for (const m of SEED_MEDICINES.filter(filter)) repo.add(m);
    return repo;
  }

  add(m: CatalogueMedicine, status: MedicineStatus = 'active'): CatalogueMedicineRecord {
    const now = new Date();
    const record: CatalogueMedicineRecord = {
      ...m,
      id: randomUUID(),
      latinName: m.latinName,
      doseSource: m.doseSource,
      status,
      createdAt: now,
      updatedAt: now,
    };
    this.rows.set(record.id, record);
    return record;
  }

  bySku(sku: string): CatalogueMedicineRecord {
    const found = [...this.rows.values()].find((m) => m.sku === sku);
    if (!found) throw new Error(`no ${sku}`);
    return found;
  }

  private visible(filter: MedicineFilter) {
    return [...this.rows.values()].filter(
      (m) =>
        (filter.includeRetired || m.status === 'active') &&
        (!filter.category || m.category === filter.category),
    );
  }

  async findByIds(ids: readonly string[]) {
    return new Map(ids.filter((id) => this.rows.has(id)).map((id) => [id, this.rows.get(id)!]));
  }

  async searchCandidates(_query: string, filter: MedicineFilter) {
    return this.visible(filter);
  }

  async list(filter: MedicineFilter, sort: MedicineSort, { page, limit }: { page: number; limit: number }) {
    const key = (m: CatalogueMedicineRecord) =>
      sort.field === 'price'
        ? m.priceCentsPerGram
        : sort.field === 'pinyinName'
          ? m.pinyinPlain
          : m[sort.field];
    const sorted = this.visible(filter).sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      const order = x < y ? -1 : x > y ? 1 : a.sku.localeCompare(b.sku);
      return sort.direction === 'asc' ? order : -order;
    });
    return { items: sorted.slice((page - 1) * limit, page * limit), total: sorted.length };
  }

  async get(id: string) {
    return this.rows.get(id) ?? null;
  }

  async create(sku: string, d: MedicineDefinition) {
    if ([...this.rows.values()].some((m) => m.sku === sku)) throw new CodedError('CONFLICT');
    const record = this.toRecord(randomUUID(), sku, d, 'active');
    this.rows.set(record.id, record);
    return record;
  }

  async update(id: string, changes: Partial<MedicineDefinition> & { status?: MedicineStatus }) {
    const current = this.rows.get(id);
    if (!current) return null;
    const { status, ...fields } = changes;
    const next = this.toRecord(
      id,
      current.sku,
      { ...definitionOf(current), ...fields },
      status ?? current.status,
    );
    this.rows.set(id, next);
    return next;
  }

  async seedHash() {
    return this.hash;
  }

  async applySeed(hash: string, medicines: readonly CatalogueMedicine[]): Promise<SeedOutcome> {
    this.hash = hash;
    for (const m of medicines) this.add(m);
    return { applied: true, inserted: medicines.length, updated: 0 };
  }

  private toRecord(
    id: string,
    sku: string,
    d: MedicineDefinition,
    status: MedicineStatus,
  ): CatalogueMedicineRecord {
    const num = (s: string | null) => (s === null ? null : Number(s));
    return {
      id,
      sku,
      name: d.name,
      herbName: d.herbName,
      pinyin: d.pinyin,
      pinyinPlain: d.pinyinPlain,
      englishName: d.englishName,
      latinName: d.latinName,
      category: d.category,
      unit: d.unit,
      form: d.form,
      granuleRatio: num(d.granuleRatio),
      priceCentsPerGram: d.priceCents,
      minDailyDoseGrams: num(d.minDailyDose),
      maxDailyDoseGrams: Number(d.maxDailyDose),
      doseSource: null,
      decoction: d.decoction,
      pregnancy: d.pregnancy,
      toxicity: d.toxicity,
      nzRestricted: d.nzRestricted,
      restrictionReason: d.restrictionReason,
      status,
      createdAt: new Date(),
      updatedAt: new Date(),
    };
  }
}
