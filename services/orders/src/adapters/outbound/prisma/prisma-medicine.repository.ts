import { Injectable } from '@nestjs/common';
import { CodedError } from '@prescriptchain/contracts';
import type { MedicineCatalogue } from '../../../application/ports/medicine-catalogue';
import type { MedicineDefinition } from '../../../application/catalogue/medicine-definition';
import type { CatalogueMedicineRecord, MedicineStatus } from '../../../application/catalogue/medicine-record';
import type {
  MedicineFilter,
  MedicineRepository,
  MedicineSort,
  SeedOutcome,
} from '../../../application/ports/medicine-repository';
import type {
  CatalogueMedicine,
  DecoctionMethod,
  DoseSource,
  MedicineForm,
  PregnancyLevel,
  ToxicityLevel,
} from '../../../domain/catalogue/medicine';
import { pinyinInitials, pinyinKey } from '../../../domain/catalogue/pinyin';
import { type Medicine, Prisma } from '../../../generated/prisma/client';
import { OrdersPrismaService } from './orders-prisma.service';
import type { CatalogueBatch, CatalogueIndexSource } from '../../../application/ports/catalogue-index-source';
import {
  type CandidateRow,
  catalogueBatch,
  catalogueChangedSince,
  searchCandidates,
} from './catalogue-search.query';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEED_ID = 'medicines';
/** pg_advisory_xact_lock key: one seeding process at a time (two replicas booting together). */
const SEED_LOCK_KEY = 7_270_736_901;

const SORT_COLUMNS = {
  name: 'name',
  pinyinName: 'pinyinPlain',
  englishName: 'englishName',
  price: 'pricePerUnit',
  category: 'category',
  sku: 'sku',
} as const satisfies Record<MedicineSort['field'], keyof Medicine>;

/** Medicines by id (`$1` a uuid[] literal of checked ids): every column, decimals as exact text (a CandidateRow). */
const BY_IDS_SQL = `SELECT id::text AS "id", sku, name, herb_name AS "herbName", pinyin, pinyin_plain AS "pinyinPlain",
  pinyin_key AS "pinyinKey", pinyin_initials AS "pinyinInitials", english_name AS "englishName",
  latin_name AS "latinName", category, unit, form, granule_ratio::text AS "granuleRatio",
  price_per_unit::text AS "pricePerUnit", min_daily_dose::text AS "minDailyDose",
  max_daily_dose::text AS "maxDailyDose", dose_source AS "doseSource", decoction, pregnancy, toxicity,
  nz_restricted AS "nzRestricted", restriction_reason AS "restrictionReason", status,
  admin_edited_at AS "adminEditedAt", created_at AS "createdAt", updated_at AS "updatedAt"
  FROM medicines WHERE id = ANY($1::uuid[])`;

/** NUMERIC(12,2) ↔ integer cents, without a float in between. */
const toCents = (d: Prisma.Decimal) => Number(d.times(100).toFixed(0));
const fromCents = (cents: number) => `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
const toNumber = (d: Prisma.Decimal | null) => (d === null ? null : d.toNumber());

function toRecord(row: Medicine): CatalogueMedicineRecord {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    herbName: row.herbName,
    pinyin: row.pinyin,
    pinyinPlain: row.pinyinPlain,
    englishName: row.englishName,
    latinName: row.latinName,
    category: row.category,
    unit: row.unit,
    form: row.form as MedicineForm,
    granuleRatio: toNumber(row.granuleRatio),
    priceCentsPerGram: toCents(row.pricePerUnit),
    minDailyDoseGrams: toNumber(row.minDailyDose),
    maxDailyDoseGrams: row.maxDailyDose.toNumber(),
    doseSource: row.doseSource as DoseSource | null,
    decoction: row.decoction as DecoctionMethod | null,
    pregnancy: row.pregnancy as PregnancyLevel,
    toxicity: row.toxicity as ToxicityLevel,
    nzRestricted: row.nzRestricted,
    restrictionReason: row.restrictionReason,
    status: row.status as MedicineStatus,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const decimalOrNull = (text: string | null) => (text === null ? null : new Prisma.Decimal(text));

function fromCandidate(row: CandidateRow): CatalogueMedicineRecord {
  return toRecord({
    ...row,
    granuleRatio: decimalOrNull(row.granuleRatio),
    pricePerUnit: new Prisma.Decimal(row.pricePerUnit),
    minDailyDose: decimalOrNull(row.minDailyDose),
    maxDailyDose: new Prisma.Decimal(row.maxDailyDose),
  });
}

/** MedicineDefinition fields → columns; only those present (an edit writes what it changes). */
function toColumns(d: Partial<MedicineDefinition>): Prisma.MedicineUpdateInput {
  const { priceCents, ...rest } = d;
  return { ...rest, ...(priceCents === undefined ? {} : { pricePerUnit: fromCents(priceCents) }) };
}

const isPrismaError = (err: unknown, code: string) =>
  err instanceof Prisma.PrismaClientKnownRequestError && err.code === code;

/** The medicines table: search candidates, admin edits, the start-up seed and lookups by id. */
@Injectable()
export class PrismaMedicineRepository implements MedicineRepository, MedicineCatalogue, CatalogueIndexSource {
  constructor(private readonly prisma: OrdersPrismaService) {}

  async findByIds(ids: readonly string[]): Promise<Map<string, CatalogueMedicineRecord>> {
    const wanted = [...new Set(ids.filter((id) => UUID.test(id)))];
    if (!wanted.length) return new Map();
    // Raw SQL (decimals as text): pricing reads this on every order, and the model query's
    // overhead was a visible part of it.
    const rows = await this.prisma.$queryRawUnsafe<CandidateRow[]>(BY_IDS_SQL, `{${wanted.join(',')}}`);
    return new Map(rows.map((row) => [row.id, fromCandidate(row)]));
  }

  async searchCandidates(query: string, filter: MedicineFilter): Promise<CatalogueMedicineRecord[]> {
    return (await searchCandidates(this.prisma, query, filter)).map(fromCandidate);
  }

  async catalogueBatch(afterId: string | null, limit: number): Promise<CatalogueBatch> {
    const { rows, watermark } = await catalogueBatch(this.prisma, afterId, limit);
    return { rows: rows.map(fromCandidate), watermark };
  }

  async changedSince(watermark: string): Promise<CatalogueBatch> {
    const { rows, watermark: next } = await catalogueChangedSince(this.prisma, watermark);
    return { rows: rows.map(fromCandidate), watermark: next };
  }

  async list(
    filter: MedicineFilter,
    sort: MedicineSort,
    { page, limit }: { page: number; limit: number },
  ): Promise<{ items: CatalogueMedicineRecord[]; total: number }> {
    const where: Prisma.MedicineWhereInput = {
      ...(filter.includeRetired ? {} : { status: 'active' }),
      ...(filter.category ? { category: filter.category } : {}),
    };
    const [rows, total] = await Promise.all([
      this.prisma.medicine.findMany({
        where,
        // The SKU is unique: a stable order, so pages neither skip nor repeat rows.
        orderBy: [{ [SORT_COLUMNS[sort.field]]: sort.direction }, { sku: 'asc' }],
        skip: (page - 1) * limit,
        take: limit,
      }),
      this.prisma.medicine.count({ where }),
    ]);
    return { items: rows.map(toRecord), total };
  }

  async get(id: string): Promise<CatalogueMedicineRecord | null> {
    if (!UUID.test(id)) return null;
    const row = await this.prisma.medicine.findUnique({ where: { id } });
    return row ? toRecord(row) : null;
  }

  async create(sku: string, definition: MedicineDefinition): Promise<CatalogueMedicineRecord> {
    try {
      const row = await this.prisma.medicine.create({
        data: {
          sku,
          ...(toColumns(definition) as Omit<Prisma.MedicineCreateInput, 'sku'>),
          adminEditedAt: new Date(),
        },
      });
      return toRecord(row);
    } catch (err) {
      if (isPrismaError(err, 'P2002'))
        throw new CodedError('CONFLICT', `SKU ${sku} is already in the catalogue.`, [
          { path: 'sku', message: 'is taken' },
        ]);
      throw err;
    }
  }

  async update(
    id: string,
    changes: Partial<MedicineDefinition> & { status?: MedicineStatus },
  ): Promise<CatalogueMedicineRecord | null> {
    if (!UUID.test(id)) return null;
    try {
      const { status, ...definition } = changes;
      // Retiring is not an edit of the facts: the seed may still correct a retired medicine.
      const edited = Object.keys(definition).length > 0;
      const row = await this.prisma.medicine.update({
        where: { id },
        data: { ...toColumns(definition), status, ...(edited ? { adminEditedAt: new Date() } : {}) },
      });
      return toRecord(row);
    } catch (err) {
      if (isPrismaError(err, 'P2025')) return null;
      throw err;
    }
  }

  async seedHash(): Promise<string | null> {
    return (await this.prisma.catalogueSeed.findUnique({ where: { id: SEED_ID } }))?.hash ?? null;
  }

  async applySeed(hash: string, medicines: readonly CatalogueMedicine[]): Promise<SeedOutcome> {
    const rows = medicines.map((m) => ({
      sku: m.sku,
      name: m.name,
      herb_name: m.herbName,
      pinyin: m.pinyin,
      pinyin_plain: m.pinyinPlain,
      pinyin_key: pinyinKey(m.pinyinPlain),
      pinyin_initials: pinyinInitials(m.pinyinPlain),
      english_name: m.englishName,
      latin_name: m.latinName,
      category: m.category,
      unit: m.unit,
      form: m.form,
      granule_ratio: m.granuleRatio,
      price_cents: m.priceCentsPerGram,
      min_daily_dose: m.minDailyDoseGrams,
      max_daily_dose: m.maxDailyDoseGrams,
      dose_source: m.doseSource,
      decoction: m.decoction,
      pregnancy: m.pregnancy,
      toxicity: m.toxicity,
      nz_restricted: m.nzRestricted,
      restriction_reason: m.restrictionReason,
    }));
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY}::bigint)`;
        const current = await tx.catalogueSeed.findUnique({ where: { id: SEED_ID } });
        if (current?.hash === hash) return { applied: false, inserted: 0, updated: 0 };
        // One statement for the whole file. The seed never touches `status` (a retired medicine
        // stays retired), skips rows an admin has edited, and leaves identical rows alone.
        const written = await tx.$queryRaw<{ inserted: boolean }[]>`
          INSERT INTO medicines AS m (sku, name, herb_name, pinyin, pinyin_plain, pinyin_key, pinyin_initials,
            english_name, latin_name, category, unit, form, granule_ratio, price_per_unit, min_daily_dose,
            max_daily_dose, dose_source, decoction, pregnancy, toxicity, nz_restricted, restriction_reason)
          SELECT s.sku, s.name, s.herb_name, s.pinyin, s.pinyin_plain, s.pinyin_key, s.pinyin_initials,
            s.english_name, s.latin_name, s.category, s.unit, s.form, s.granule_ratio, s.price_cents / 100.0,
            s.min_daily_dose, s.max_daily_dose, s.dose_source, s.decoction, s.pregnancy, s.toxicity,
            s.nz_restricted, s.restriction_reason
          FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS s(sku text, name text, herb_name text,
            pinyin text, pinyin_plain text, pinyin_key text, pinyin_initials text, english_name text,
            latin_name text, category text, unit text, form text, granule_ratio numeric, price_cents bigint,
            min_daily_dose numeric, max_daily_dose numeric, dose_source text, decoction text, pregnancy text,
            toxicity text, nz_restricted boolean, restriction_reason text)
          ON CONFLICT (sku) DO UPDATE SET
            name = EXCLUDED.name, herb_name = EXCLUDED.herb_name, pinyin = EXCLUDED.pinyin,
            pinyin_plain = EXCLUDED.pinyin_plain, pinyin_key = EXCLUDED.pinyin_key,
            pinyin_initials = EXCLUDED.pinyin_initials, english_name = EXCLUDED.english_name,
            latin_name = EXCLUDED.latin_name, category = EXCLUDED.category, unit = EXCLUDED.unit,
            form = EXCLUDED.form, granule_ratio = EXCLUDED.granule_ratio,
            price_per_unit = EXCLUDED.price_per_unit, min_daily_dose = EXCLUDED.min_daily_dose,
            max_daily_dose = EXCLUDED.max_daily_dose, dose_source = EXCLUDED.dose_source,
            decoction = EXCLUDED.decoction, pregnancy = EXCLUDED.pregnancy, toxicity = EXCLUDED.toxicity,
            nz_restricted = EXCLUDED.nz_restricted, restriction_reason = EXCLUDED.restriction_reason,
            updated_at = CURRENT_TIMESTAMP
          WHERE m.admin_edited_at IS NULL
            AND (m.name, m.herb_name, m.pinyin, m.pinyin_plain, m.pinyin_key, m.pinyin_initials, m.english_name,
                 m.latin_name, m.category, m.unit, m.form, m.granule_ratio, m.price_per_unit, m.min_daily_dose,
                 m.max_daily_dose, m.dose_source, m.decoction, m.pregnancy, m.toxicity, m.nz_restricted,
                 m.restriction_reason)
            IS DISTINCT FROM
                (EXCLUDED.name, EXCLUDED.herb_name, EXCLUDED.pinyin, EXCLUDED.pinyin_plain, EXCLUDED.pinyin_key,
                 EXCLUDED.pinyin_initials, EXCLUDED.english_name, EXCLUDED.latin_name, EXCLUDED.category,
                 EXCLUDED.unit, EXCLUDED.form, EXCLUDED.granule_ratio, EXCLUDED.price_per_unit,
                 EXCLUDED.min_daily_dose, EXCLUDED.max_daily_dose, EXCLUDED.dose_source, EXCLUDED.decoction,
                 EXCLUDED.pregnancy, EXCLUDED.toxicity, EXCLUDED.nz_restricted, EXCLUDED.restriction_reason)
          RETURNING (xmax = 0) AS inserted`;
        await tx.catalogueSeed.upsert({
          where: { id: SEED_ID },
          create: { id: SEED_ID, hash, medicineCount: medicines.length },
          update: { hash, medicineCount: medicines.length, appliedAt: new Date() },
        });
        // Fresh planner statistics, or the first searches after a bulk load ignore the trigram indexes.
        if (written.length) await tx.$executeRaw`ANALYZE medicines`;
        const inserted = written.filter((w) => w.inserted).length;
        return { applied: true, inserted, updated: written.length - inserted };
      },
      { timeout: 60_000, maxWait: 60_000 },
    );
  }
}
