/**
 * NUMERIC(12,2) ↔ integer cents by string arithmetic, never through a JavaScript float (0.29 * 100
 * is 28.999999999999996). Prisma hands NUMERIC columns back as Decimal objects, which print exactly.
 */

/** 12345 → "123.45", -5 → "-0.05". */
export function centsToDecimal(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new Error(`not a whole number of cents: ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const digits = String(Math.abs(cents)).padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** "123.45", "123.4", "123", a Prisma Decimal → 12345; more than two decimal places is an error, not a rounding. */
export function decimalToCents(value: string | { toFixed(dp: number): string }): number {
  const text = typeof value === 'string' ? value.trim() : value.toFixed(2);
  const m = /^(-?)(\d+)(?:\.(\d{1,2})(0*))?$/.exec(text);
  if (!m) throw new Error(`not an amount with at most two decimal places: ${text}`);
  const [, sign, whole, frac = ''] = m;
  const cents = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  if (!Number.isSafeInteger(cents)) throw new Error(`amount out of range: ${text}`);
  return sign && cents !== 0 ? -cents : cents;
}
