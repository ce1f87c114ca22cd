import { CodedError, MAX_CENTS } from '@prescriptchain/contracts';

export { centsToDecimal, decimalToCents } from '@prescriptchain/contracts';

/**
 * Exact arithmetic for order pricing. Quantities are decimal grams with at most 3 places, held as
 * integer milligrams (bigint); prices are integer cents per gram; a line costs
 * unitPrice × quantity × packs, rounded half-up to the cent once per line. No float ever touches money.
 */

const GRAMS = /^(\d{1,6})(?:\.(\d{1,3}))?$/;
const MG_PER_GRAM = 1000n;
/** A sane ceiling for one herb in one pack (100 kg), well inside NUMERIC(12,3). */
export const MAX_QUANTITY_MG = 100_000_000n;
/** What NUMERIC(12,2) holds: 9,999,999,999.99. */
export const MAX_TOTAL_CENTS = MAX_CENTS;

/**
 * Milligrams for a quantity of grams written as `"12.5"`, `"9"`, or a JSON number with at most three
 * decimals (numbers are read through their shortest decimal spelling, so 12.5 is exactly 12.500).
 * Throws VALIDATION_FAILED naming `path` for anything else, zero or negative.
 */
export function parseGramsToMg(input: string | number, path = 'quantity'): bigint {
  const text = typeof input === 'number' ? (Number.isFinite(input) ? String(input) : '') : input.trim();
  const match = GRAMS.exec(text);
  const fail = (message: string) => {
    throw new CodedError('VALIDATION_FAILED', `${path}: ${message}`, [{ path, message }]);
  };
  if (!match) return fail('must be a positive number of grams with at most 3 decimals');
  const mg = BigInt(match[1]) * MG_PER_GRAM + BigInt((match[2] ?? '').padEnd(3, '0') || '0');
  if (mg <= 0n) return fail('must be greater than 0');
  if (mg > MAX_QUANTITY_MG) return fail('is more than 100000 g');
  return mg;
}

/** `12500n` → `"12.5"`, `9000n` → `"9"`: the shortest exact decimal. */
export function formatMg(mg: bigint): string {
  const whole = mg / MG_PER_GRAM;
  const fraction = (mg % MG_PER_GRAM).toString().padStart(3, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole.toString();
}

/** Σ is done by the caller; one line: cents/g × mg × packs ÷ 1000, rounded half-up (all positive). */
export function lineTotalCents(unitPriceCentsPerGram: number, quantityMg: bigint, packs: number): number {
  if (!Number.isSafeInteger(unitPriceCentsPerGram) || unitPriceCentsPerGram < 0) {
    throw new RangeError('unit price must be whole, non-negative cents');
  }
  if (!Number.isSafeInteger(packs) || packs < 1) throw new RangeError('packs must be a whole number ≥ 1');
  const exact = BigInt(unitPriceCentsPerGram) * quantityMg * BigInt(packs);
  const cents = exact / MG_PER_GRAM + ((exact % MG_PER_GRAM) * 2n >= MG_PER_GRAM ? 1n : 0n);
  return toSafeNumber(cents);
}

export function sumCents(amounts: readonly number[]): number {
  return toSafeNumber(amounts.reduce((sum, c) => sum + BigInt(c), 0n));
}

/** `"12.500"` (a NUMERIC(12,3) read back) → milligrams. */
export function decimalToMg(decimal: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,3}))?$/.exec(decimal.trim());
  if (!m) throw new RangeError(`not a gram amount: ${decimal}`);
  return BigInt(m[1]) * MG_PER_GRAM + BigInt((m[2] ?? '').padEnd(3, '0') || '0');
}

function toSafeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError('amount out of range');
  }
  return Number(value);
}
