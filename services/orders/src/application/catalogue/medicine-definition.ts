import { CodedError } from '@prescriptchain/contracts';
import {
  type DecoctionMethod,
  type MedicineForm,
  MEDICINE_CATEGORIES,
  type PregnancyLevel,
  type ToxicityLevel,
  herbNameOf,
} from '../../domain/catalogue/medicine';
import { pinyinInitials, pinyinKey, stripTones } from '../../domain/catalogue/pinyin';
import type { CatalogueMedicineRecord } from './medicine-record';

/**
 * Everything an admin defines about a medicine, with the search columns derived from the pinyin.
 * Decimals are canonical strings of grams (`"2.4"`), the price integer cents per gram.
 */
export interface MedicineDefinition {
  name: string;
  herbName: string;
  pinyin: string;
  pinyinPlain: string;
  pinyinKey: string;
  pinyinInitials: string;
  englishName: string;
  latinName: string | null;
  category: string;
  unit: string;
  form: MedicineForm;
  granuleRatio: string | null;
  priceCents: number;
  minDailyDose: string | null;
  maxDailyDose: string;
  decoction: DecoctionMethod | null;
  pregnancy: PregnancyLevel;
  toxicity: ToxicityLevel;
  nzRestricted: boolean;
  restrictionReason: string | null;
}

/** What create accepts (after the contract's zod parse). */
export interface MedicineInput {
  name: string;
  herbName?: string;
  pinyin: string;
  englishName: string;
  latinName?: string | null;
  category: string;
  unit: string;
  form: MedicineForm;
  granuleRatio?: string | null;
  price: number;
  minDailyDose?: string | null;
  maxDailyDose: string;
  decoction?: DecoctionMethod | null;
  pregnancy: PregnancyLevel;
  toxicity: ToxicityLevel;
  nzRestricted: boolean;
  restrictionReason?: string | null;
}

/** The search columns of a pinyin spelling: `Dāng  guī` → `dāng guī`, `dang gui`, `danggui`, `dg`. */
export function pinyinColumns(pinyin: string) {
  const spaced = pinyin.trim().replace(/\s+/g, ' ').toLowerCase();
  const plain = stripTones(spaced).replace(/['’]/g, '');
  return {
    pinyin: spaced,
    pinyinPlain: plain,
    pinyinKey: pinyinKey(plain),
    pinyinInitials: pinyinInitials(plain),
  };
}

const CATEGORY_NAMES: readonly string[] = MEDICINE_CATEGORIES.map((c) => c.en);

/** Rules across fields, as `{ path, message }` details; empty when the definition is sound. */
export function definitionProblems(d: MedicineDefinition): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const need = (ok: boolean, path: string, message: string) => {
    if (!ok) problems.push({ path, message });
  };
  need(CATEGORY_NAMES.includes(d.category), 'category', `must be one of: ${CATEGORY_NAMES.join(', ')}`);
  need(d.pinyinKey.length > 0, 'pinyin', 'must contain pinyin letters');
  if (d.form === 'granule')
    need(d.granuleRatio !== null, 'granuleRatio', 'a granule needs its raw-herb ratio');
  else need(d.granuleRatio === null, 'granuleRatio', 'only granules have a ratio');
  need(
    d.minDailyDose === null || Number(d.minDailyDose) <= Number(d.maxDailyDose),
    'minDailyDose',
    'must not exceed maxDailyDose',
  );
  need(
    !d.nzRestricted || d.restrictionReason !== null,
    'restrictionReason',
    'say why a restricted medicine may not be supplied',
  );
  return problems;
}

export function assertSoundDefinition(d: MedicineDefinition): void {
  const problems = definitionProblems(d);
  if (problems.length) throw new CodedError('VALIDATION_FAILED', 'The medicine is not valid.', problems);
}

export function newMedicineDefinition(input: MedicineInput): MedicineDefinition {
  return {
    name: input.name,
    herbName: herbNameOf({ name: input.name, herbName: input.herbName }),
    ...pinyinColumns(input.pinyin),
    englishName: input.englishName,
    latinName: input.latinName ?? null,
    category: input.category,
    unit: input.unit,
    form: input.form,
    granuleRatio: input.granuleRatio ?? null,
    priceCents: input.price,
    minDailyDose: input.minDailyDose ?? null,
    maxDailyDose: input.maxDailyDose,
    decoction: input.decoction ?? null,
    pregnancy: input.pregnancy,
    toxicity: input.toxicity,
    nzRestricted: input.nzRestricted,
    restrictionReason: input.nzRestricted ? (input.restrictionReason ?? null) : null,
  };
}

const decimal = (n: number | null) => (n === null ? null : String(n));

export function definitionOf(m: CatalogueMedicineRecord): MedicineDefinition {
  return {
    name: m.name,
    herbName: m.herbName,
    pinyin: m.pinyin,
    pinyinPlain: m.pinyinPlain,
    pinyinKey: pinyinKey(m.pinyinPlain),
    pinyinInitials: pinyinInitials(m.pinyinPlain),
    englishName: m.englishName,
    latinName: m.latinName,
    category: m.category,
    unit: m.unit,
    form: m.form,
    granuleRatio: decimal(m.granuleRatio),
    priceCents: m.priceCentsPerGram,
    minDailyDose: decimal(m.minDailyDoseGrams),
    maxDailyDose: String(m.maxDailyDoseGrams),
    decoction: m.decoction,
    pregnancy: m.pregnancy,
    toxicity: m.toxicity,
    nzRestricted: m.nzRestricted,
    restrictionReason: m.restrictionReason,
  };
}

/** A partial edit: `undefined` keeps a field, `null` clears an optional one. */
export type MedicinePatch = { [K in keyof MedicineInput]?: MedicineInput[K] | null };

/**
 * The fields an edit changes (derived ones included) and the medicine as it will be, to validate.
 * Turning a granule into a raw herb drops its ratio, and lifting a restriction drops its reason,
 * unless the edit says otherwise.
 */
export function applyPatch(
  current: MedicineDefinition,
  patch: MedicinePatch,
): { changes: Partial<MedicineDefinition>; next: MedicineDefinition } {
  const changes: Partial<MedicineDefinition> = {};
  const set = <K extends keyof MedicineDefinition>(key: K, value: MedicineDefinition[K] | undefined) => {
    if (value !== undefined) changes[key] = value;
  };
  set('name', patch.name ?? undefined);
  // A rename keeps the herb (当归 → 当归片 is still 当归); null derives it from the name again.
  if (patch.herbName !== undefined) {
    set('herbName', herbNameOf({ name: patch.name ?? current.name, herbName: patch.herbName }));
  }
  if (patch.pinyin != null) Object.assign(changes, pinyinColumns(patch.pinyin));
  set('englishName', patch.englishName ?? undefined);
  set('latinName', patch.latinName);
  set('category', patch.category ?? undefined);
  set('form', patch.form ?? undefined);
  set('granuleRatio', patch.granuleRatio);
  if (patch.form === 'raw' && patch.granuleRatio === undefined) changes.granuleRatio = null;
  set('priceCents', patch.price ?? undefined);
  set('minDailyDose', patch.minDailyDose);
  set('maxDailyDose', patch.maxDailyDose ?? undefined);
  set('decoction', patch.decoction);
  set('pregnancy', patch.pregnancy ?? undefined);
  set('toxicity', patch.toxicity ?? undefined);
  set('nzRestricted', patch.nzRestricted ?? undefined);
  set('restrictionReason', patch.restrictionReason);
  if (patch.nzRestricted === false && patch.restrictionReason === undefined) changes.restrictionReason = null;
  return { changes, next: { ...current, ...changes } };
}
