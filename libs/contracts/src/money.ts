import { z } from 'zod';

/**
 * Money on every wire of the platform: integer cents inside (RPC, messages, domain), decimal strings
 * with at most two fraction digits at the edges (HTTP, NUMERIC(12,2) columns, providers' APIs).
 * Both directions work on the digits as text, never through a float, so no amount is rounded on
 * its way in or out.
 *
 * The rule, the same everywhere: `"12"` is 1200 cents, `"12.5"` and `"12.50"` are 1250, with an
 * optional sign; `"12.500"`, `".5"`, `"12."`, `"1e3"` and anything with spaces inside are refused
 * (a third fraction digit is refused even when it is 0, rather than read as a rounding no one
 * asked for).
 */

/** The largest amount a NUMERIC(12,2) column holds, 9,999,999,999.99, in cents. */
export const MAX_CENTS = 999_999_999_999;

export const CURRENCY = 'NZD';

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d{1,2}))?$/;

function centsOf(text: string): number | null {
  const match = DECIMAL.exec(text);
  if (!match) return null;
  const [, sign, whole, fraction = ''] = match;
  const cents = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
  if (cents > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  const n = Number(cents);
  return sign === '-' && n !== 0 ? -n : n;
}

/**
 * An amount as a client writes it → cents, or null when it is not a decimal with at most two
 * places within ±MAX_CENTS. `"12.5"` → 1250, `"-0.07"` → -7, `"12.500"` → null.
 */
export function parseCents(decimal: string): number | null {
  const cents = centsOf(decimal);
  return cents !== null && Math.abs(cents) <= MAX_CENTS ? cents : null;
}

/** 1250 → `"12.50"`, -7 → `"-0.07"`. Refuses anything but a safe integer (a float here is a bug upstream). */
export function formatCents(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not a whole number of cents: ${cents}`);
  const digits = String(Math.abs(cents)).padStart(3, '0');
  return `${cents < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** Cents → a NUMERIC(12,2) literal or a provider's amount: the same text as {@link formatCents}. */
export const centsToDecimal = formatCents;

/**
 * A stored or received amount → cents: a NUMERIC(12,2) read back as text (`"12.50"`, a SUM of
 * them), a Prisma Decimal (read through `toFixed(2)`), or a provider's amount (surrounding spaces
 * are ignored). Throws a RangeError — never rounds — for more than two decimal places (no fractions
 * of a cent), junk, or an amount beyond a safe integer of cents.
 */
export function decimalToCents(value: string | { toFixed(dp: number): string }): number {
  const text = typeof value === 'string' ? value.trim() : value.toFixed(2);
  const cents = centsOf(text);
  if (cents === null)
    throw new RangeError(
      `not an amount with at most two decimal places (no fractions of a cent): "${text}"`,
    );
  return cents;
}

/** Integer cents on a wire inside the platform, within NUMERIC(12,2). */
export const CentsSchema = z.number().int().nonnegative().max(MAX_CENTS);
/** Signed integer cents (an adjustment, a ledger entry). */
export const SignedCentsSchema = z.number().int().min(-MAX_CENTS).max(MAX_CENTS);
export const CurrencySchema = z.literal(CURRENCY);
