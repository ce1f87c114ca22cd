import seedJson from '../../../data/medicines.json';
import {
  type CatalogueMedicine,
  DECOCTION_METHODS,
  DOSE_SOURCES,
  MEDICINE_CATEGORIES,
  MEDICINE_FORMS,
  PREGNANCY_LEVELS,
  TOXICITY_LEVELS,
} from './medicine';

const CATEGORY_NAMES: readonly string[] = MEDICINE_CATEGORIES.map((c) => c.en);
const SKU_PATTERN = /^(RAW|GRN)-[A-Z]+$/;

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
const isPositive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
const oneOf = (list: readonly (string | null)[], v: unknown) => list.includes(v as string);

/**
 * Problems with one catalogue entry, as readable sentences; empty when it is sound. Shared by the
 * loader (fail fast on a broken data file) and by whoever imports medicines later.
 */
export function medicineProblems(entry: unknown): string[] {
  if (typeof entry !== 'object' || entry === null) return ['is not an object'];
  const m = entry as Record<string, unknown>;
  const problems: string[] = [];
  const need = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  need(typeof m.sku === 'string' && SKU_PATTERN.test(m.sku), 'sku must look like RAW-XXX or GRN-XXX');
  for (const key of ['name', 'herbName', 'pinyin', 'pinyinPlain', 'englishName', 'latinName'] as const) {
    need(isText(m[key]), `${key} must be non-empty text`);
  }
  need(isText(m.name) && /^[\u3400-\u9fff]+$/.test(m.name), 'name must be Chinese characters');
  need(
    isText(m.pinyinPlain) && /^[a-z]+( [a-z]+)*$/.test(m.pinyinPlain),
    'pinyinPlain must be a-z syllables',
  );
  need(oneOf(CATEGORY_NAMES, m.category), 'category must be one of MEDICINE_CATEGORIES');
  need(m.unit === 'g', 'unit must be "g"');
  need(oneOf(MEDICINE_FORMS, m.form), 'form must be raw or granule');
  if (m.form === 'granule') need(isPositive(m.granuleRatio), 'a granule needs a positive granuleRatio');
  else need(m.granuleRatio === null, 'a raw herb has granuleRatio null');
  need(
    Number.isSafeInteger(m.priceCentsPerGram) && (m.priceCentsPerGram as number) > 0,
    'priceCentsPerGram must be a positive integer',
  );
  need(isPositive(m.minDailyDoseGrams), 'minDailyDoseGrams must be positive');
  need(isPositive(m.maxDailyDoseGrams), 'maxDailyDoseGrams must be positive');
  need(
    !isPositive(m.minDailyDoseGrams) ||
      !isPositive(m.maxDailyDoseGrams) ||
      m.minDailyDoseGrams <= m.maxDailyDoseGrams,
    'minDailyDoseGrams must not exceed maxDailyDoseGrams',
  );
  need(oneOf(DOSE_SOURCES, m.doseSource), 'doseSource must be ChP2020 or textbook');
  need(
    m.decoction === null || oneOf(DECOCTION_METHODS, m.decoction),
    'decoction must be null or a decoction method',
  );
  need(oneOf(PREGNANCY_LEVELS, m.pregnancy), 'pregnancy must be none, caution or contraindicated');
  need(oneOf(TOXICITY_LEVELS, m.toxicity), 'toxicity must be none, mild, toxic or severe');
  need(typeof m.nzRestricted === 'boolean', 'nzRestricted must be a boolean');
  need(
    m.nzRestricted === true ? isText(m.restrictionReason) : m.restrictionReason === null,
    'restrictionReason is required exactly when nzRestricted',
  );
  return problems;
}

/** Validates a whole catalogue (each entry and SKU uniqueness); throws listing every problem. */
export function parseMedicineCatalogue(data: unknown): CatalogueMedicine[] {
  if (!Array.isArray(data)) throw new Error('The medicine catalogue must be an array');
  const problems: string[] = [];
  const skus = new Set<string>();
  data.forEach((entry, i) => {
    const label = (entry as { sku?: unknown } | null)?.sku ?? `#${i}`;
    for (const p of medicineProblems(entry)) problems.push(`${String(label)}: ${p}`);
    const sku = (entry as { sku?: unknown } | null)?.sku;
    if (typeof sku === 'string') {
      if (skus.has(sku)) problems.push(`${sku}: duplicate sku`);
      skus.add(sku);
    }
  });
  if (problems.length) throw new Error(`Invalid medicine catalogue:\n${problems.join('\n')}`);
  return data as CatalogueMedicine[];
}

/** The catalogue shipped in services/orders/data/medicines.json, validated once on load. */
export const SEED_MEDICINES: readonly CatalogueMedicine[] = Object.freeze(parseMedicineCatalogue(seedJson));
