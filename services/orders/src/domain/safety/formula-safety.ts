import { CodedError } from '@prescriptchain/contracts';
import { herbNameOf, type CatalogueMedicine } from '../catalogue/medicine';
import { INCOMPATIBILITY_RULES, type IncompatibilityRule } from './incompatibility-rules';

/**
 * Formula safety: what is checked before any money moves (`POST /orders`, `POST /orders/check`). The dose model:
 * `quantityGrams` is per pack, and one pack is one day's decoction (一剂 = 一日量) unless the
 * prescription says a pack lasts longer (`daysPerPack`, e.g. 2 for 一剂分两日服). So the daily dose of a
 * line is quantityGrams ÷ daysPerPack; how many times a day it is drunk (dosesPerDay) splits that
 * daily amount and does not change it, and `packs` is the number of days, not the daily amount.
 */

export type SafetyRule =
  'EIGHTEEN_INCOMPATIBLE' | 'NINETEEN_ANTAGONISM' | 'PREGNANCY' | 'MAX_DAILY_DOSE' | 'NZ_RESTRICTED';

export interface SafetyViolation {
  rule: SafetyRule;
  /** The formula's medicines involved, in formula order. */
  medicineIds: string[];
  /** English, naming the herbs in Chinese and English. */
  message: string;
  /** Everything but NZ_RESTRICTED may be overridden with a safetyOverrideReason. */
  overridable: boolean;
}

/** What the rules need to know of a medicine. herbName may be absent (derived from the name). */
export type SafetyMedicine = Pick<
  CatalogueMedicine,
  'name' | 'englishName' | 'form' | 'granuleRatio' | 'maxDailyDoseGrams' | 'pregnancy' | 'nzRestricted'
> & {
  id: string;
  herbName?: string | null;
  restrictionReason?: string | null;
};

export interface FormulaItem {
  medicineId: string;
  /** Grams of this medicine (granule grams for granules) in one pack. */
  quantityGrams: number;
}

export interface FormulaToCheck {
  items: readonly FormulaItem[];
  /** Number of packs dispensed (days of treatment at one pack a day); does not change the daily dose. */
  packs: number;
  /** Days one pack lasts; default 1 (one pack = one day's decoction). */
  daysPerPack?: number;
  /** Whether the patient is pregnant (patientInfo.pregnant). */
  pregnant: boolean;
}

const OVERRIDABLE: Record<SafetyRule, boolean> = {
  NZ_RESTRICTED: false,
  EIGHTEEN_INCOMPATIBLE: true,
  NINETEEN_ANTAGONISM: true,
  PREGNANCY: true,
  MAX_DAILY_DOSE: true,
};

// Float slack for doses like 2.4 g written as 2.4000000000000004.
const EPSILON = 1e-9;

interface Line {
  medicine: SafetyMedicine;
  herb: string;
  dailyGrams: number;
}

/** `当归 (Chinese Angelica Root)` */
const label = (m: SafetyMedicine) => `${m.name} (${m.englishName})`;
const grams = (n: number) => `${Number(n.toFixed(3))} g`;
const listOf = (parts: string[]) =>
  parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;

function validate(formula: FormulaToCheck): number {
  const daysPerPack = formula.daysPerPack ?? 1;
  const bad: string[] = [];
  if (!formula.items.length) bad.push('a formula needs at least one item');
  if (!Number.isInteger(formula.packs) || formula.packs < 1)
    bad.push('packs must be a whole number of at least 1');
  if (!(Number.isFinite(daysPerPack) && daysPerPack > 0)) bad.push('daysPerPack must be positive');
  for (const item of formula.items) {
    if (!(Number.isFinite(item.quantityGrams) && item.quantityGrams > 0)) {
      bad.push(`quantity of ${item.medicineId} must be a positive number of grams`);
    }
  }
  if (bad.length)
    throw new CodedError(
      'VALIDATION_FAILED',
      bad.join('; '),
      bad.map((message) => ({ message })),
    );
  return daysPerPack;
}

function resolve(
  formula: FormulaToCheck,
  medicineById: (medicineId: string) => SafetyMedicine | undefined,
  daysPerPack: number,
): Line[] {
  const unknown: string[] = [];
  const lines: Line[] = [];
  for (const item of formula.items) {
    const medicine = medicineById(item.medicineId);
    if (!medicine) {
      unknown.push(item.medicineId);
      continue;
    }
    lines.push({ medicine, herb: herbNameOf(medicine), dailyGrams: item.quantityGrams / daysPerPack });
  }
  if (unknown.length) {
    throw new CodedError('VALIDATION_FAILED', `Unknown medicine: ${unknown.join(', ')}`, [
      { medicineIds: unknown, message: 'These medicines are not in the catalogue.' },
    ]);
  }
  return lines;
}

/** One entry per distinct medicine, in formula order (a medicine may be written on two lines). */
function distinct(lines: Line[]): Line[] {
  const seen = new Set<string>();
  return lines.filter((l) => !seen.has(l.medicine.id) && seen.add(l.medicine.id));
}

function violation(rule: SafetyRule, medicines: SafetyMedicine[], message: string): SafetyViolation {
  return { rule, medicineIds: medicines.map((m) => m.id), message, overridable: OVERRIDABLE[rule] };
}

function restricted(lines: Line[]): SafetyViolation[] {
  return distinct(lines)
    .filter((l) => l.medicine.nzRestricted)
    .map(({ medicine }) =>
      violation(
        'NZ_RESTRICTED',
        [medicine],
        `${label(medicine)} may not be supplied in New Zealand${
          medicine.restrictionReason ? `: ${medicine.restrictionReason}` : '.'
        } This cannot be overridden.`,
      ),
    );
}

function incompatibilities(lines: Line[]): SafetyViolation[] {
  const unique = distinct(lines);
  const members = (rule: IncompatibilityRule, side: 'a' | 'b') =>
    unique.filter((l) => rule[side].members.includes(l.herb)).map((l) => l.medicine);
  const found: SafetyViolation[] = [];
  for (const rule of INCOMPATIBILITY_RULES) {
    const a = members(rule, 'a');
    const b = members(rule, 'b');
    if (!a.length || !b.length) continue;
    const involved = unique.map((l) => l.medicine).filter((m) => a.includes(m) || b.includes(m));
    const verb = rule.kind === 'EIGHTEEN_INCOMPATIBLE' ? 'is incompatible with' : 'antagonises';
    const classic =
      rule.kind === 'EIGHTEEN_INCOMPATIBLE'
        ? '十八反 (eighteen incompatibilities)'
        : '十九畏 (nineteen antagonisms)';
    found.push(
      violation(
        rule.kind,
        involved,
        `${classic} ${rule.label}: ${listOf(a.map(label))} ${verb} ${listOf(b.map(label))}; ` +
          `${rule.a.zh} (${rule.a.en}) and ${rule.b.zh} (${rule.b.en}) are not to be prescribed together.`,
      ),
    );
  }
  return found;
}

function pregnancy(lines: Line[], pregnant: boolean): SafetyViolation[] {
  if (!pregnant) return [];
  return distinct(lines)
    .filter((l) => l.medicine.pregnancy !== 'none')
    .map(({ medicine }) =>
      violation(
        'PREGNANCY',
        [medicine],
        medicine.pregnancy === 'contraindicated'
          ? `${label(medicine)} is contraindicated in pregnancy (孕妇禁用) and the patient is pregnant.`
          : `${label(medicine)} is to be used with caution in pregnancy (孕妇慎用) and the patient is pregnant.`,
      ),
    );
}

/**
 * Per herb, summed over every line and form: each line uses its share of its own product's maximum
 * (granule grams against the granule maximum), so raw and granule lines of one herb add up.
 */
function maxDose(lines: Line[], daysPerPack: number): SafetyViolation[] {
  const byHerb = new Map<string, Line[]>();
  for (const line of lines) byHerb.set(line.herb, [...(byHerb.get(line.herb) ?? []), line]);
  const found: SafetyViolation[] = [];
  const perDay = daysPerPack === 1 ? '' : ` (One pack lasts ${daysPerPack} days.)`;
  for (const [herb, herbLines] of byHerb) {
    const share = herbLines.reduce((sum, l) => sum + l.dailyGrams / l.medicine.maxDailyDoseGrams, 0);
    if (share <= 1 + EPSILON) continue;
    const medicines = distinct(herbLines).map((l) => l.medicine);
    const forms = new Set(medicines.map((m) => m.form));
    const daily = (form: 'raw' | 'granule') =>
      herbLines.filter((l) => l.medicine.form === form).reduce((sum, l) => sum + l.dailyGrams, 0);
    let message: string;
    if (forms.size === 1 && medicines.length === 1) {
      const m = medicines[0];
      const what = m.form === 'granule' ? ' of granules' : '';
      message =
        `${label(m)}: ${grams(daily(m.form))}${what} a day is above the maximum daily dose of ` +
        `${grams(m.maxDailyDoseGrams)}${what}` +
        (m.form === 'granule' && m.granuleRatio
          ? ` (${grams(daily('granule') * m.granuleRatio)} of raw herb at ${m.granuleRatio}:1).`
          : '.');
    } else {
      // Several products of one herb: report in raw-herb grams, the unit practitioners think in.
      const rawMax = Math.min(
        ...medicines.map((m) =>
          m.form === 'granule' ? m.maxDailyDoseGrams * (m.granuleRatio ?? 1) : m.maxDailyDoseGrams,
        ),
      );
      const rawEquivalent = herbLines.reduce(
        (sum, l) =>
          sum +
          (l.medicine.form === 'granule' ? l.dailyGrams * (l.medicine.granuleRatio ?? 1) : l.dailyGrams),
        0,
      );
      message =
        `${herb} is prescribed as ${listOf(medicines.map(label))}: together ${grams(rawEquivalent)} of raw herb ` +
        `(or its granule equivalent) a day, above the maximum daily dose of ${grams(rawMax)}.`;
    }
    found.push(violation('MAX_DAILY_DOSE', medicines, message + perDay));
  }
  return found;
}

/**
 * Checks a formula against the NZ supply restrictions, 十八反, 十九畏, pregnancy cautions (only when
 * the patient is pregnant) and each herb's maximum daily dose. Returns every violation found, most
 * serious first; an empty list means the formula is safe to price and pay for.
 */
export function checkFormula(
  formula: FormulaToCheck,
  medicineById: (medicineId: string) => SafetyMedicine | undefined,
): SafetyViolation[] {
  const daysPerPack = validate(formula);
  const lines = resolve(formula, medicineById, daysPerPack);
  return [
    ...restricted(lines),
    ...incompatibilities(lines),
    ...pregnancy(lines, formula.pregnant),
    ...maxDose(lines, daysPerPack),
  ];
}

export interface SafetyDecision {
  /** Violations accepted on the practitioner's reason: keep them on the order's audit trail. */
  overridden: SafetyViolation[];
  overrideReason: string | null;
}

/**
 * Decides whether an order may go ahead. Throws PRESCRIPTION_SAFETY (422) with every violation in
 * `details` when a restricted herb is present (never overridable) or when other violations exist
 * without a non-blank safetyOverrideReason.
 */
export function enforceFormulaSafety(
  violations: readonly SafetyViolation[],
  safetyOverrideReason?: string | null,
): SafetyDecision {
  const reason = safetyOverrideReason?.trim() || null;
  if (!violations.length) return { overridden: [], overrideReason: null };
  const blocked = violations.some((v) => !v.overridable);
  if (blocked || !reason) {
    throw new CodedError(
      'PRESCRIPTION_SAFETY',
      blocked
        ? 'The formula contains medicines that may not be supplied in New Zealand.'
        : 'The formula failed safety checks; give a safetyOverrideReason to prescribe it anyway.',
      violations.map(({ rule, medicineIds, message, overridable }) => ({
        rule,
        medicineIds,
        message,
        overridable,
      })),
    );
  }
  return { overridden: [...violations], overrideReason: reason };
}
