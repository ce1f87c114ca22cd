export { centsToDecimal, decimalToCents } from '@prescriptchain/contracts';

/**
 * Money is integer cents (NUMERIC(12,2) text ↔ cents is the contract's conversion, re-exported
 * above); quantities are decimal strings ("12.5" grams). Arithmetic goes through BigInt so no
 * float ever touches an amount.
 */

/** `"12.345"` → { units: 12345n, scale: 3 }. Throws on anything but a plain non-negative decimal. */
export function parseDecimal(value: string): { units: bigint; scale: number } {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) throw new RangeError(`not a non-negative decimal: "${value}"`);
  const fraction = m[2] ?? '';
  return { units: BigInt(m[1] + fraction), scale: fraction.length };
}

/** Rounds `numerator / 10^scale` half-up (values are non-negative). */
function roundHalfUp(numerator: bigint, scale: number): bigint {
  const divisor = 10n ** BigInt(scale);
  return (numerator * 2n + divisor) / (2n * divisor);
}

/**
 * One line's payout: quantity (per pack, in the medicine's unit) × packs × the declared price per
 * unit, rounded half-up to a cent once for the line.
 */
export function linePayoutCents(quantity: string, packs: number, priceCentsPerUnit: number): number {
  if (!Number.isSafeInteger(packs) || packs < 0) throw new RangeError('packs must be a non-negative integer');
  if (!Number.isSafeInteger(priceCentsPerUnit) || priceCentsPerUnit < 0) {
    throw new RangeError('price must be non-negative integer cents');
  }
  const q = parseDecimal(quantity);
  return toSafeNumber(roundHalfUp(q.units * BigInt(packs) * BigInt(priceCentsPerUnit), q.scale));
}

function toSafeNumber(n: bigint): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER))
    throw new RangeError('amount too large');
  return Number(n);
}
