import { z } from 'zod';

/**
 * Money at the HTTP edge (api-v1.md "Conventions"): `"123.45"` strings with two places, integer
 * cents everywhere behind it. Both directions work on the digits as text, never through a float,
 * so no amount can be rounded on its way in or out.
 */

/** NUMERIC(12,2): at most ten digits before the point. */
const DECIMAL = /^([+-]?)(\d{1,10})(?:\.(\d{1,2}))?$/;

/** `"12.5"` → 1250, `"-0.07"` → -7; null when it is not a decimal with at most two places. */
export function parseCents(decimal: string): number | null {
  const match = DECIMAL.exec(decimal);
  if (!match) return null;
  const [, sign, whole, fraction = ''] = match;
  const cents = Number(whole + fraction.padEnd(2, '0')); // an integer of at most 12 digits: exact
  return sign === '-' && cents !== 0 ? -cents : cents;
}

/** 1250 → `"12.50"`, -7 → `"-0.07"`. Refuses anything but a safe integer (a float here is a bug upstream). */
export function formatCents(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not an amount in cents: ${cents}`);
  const digits = String(Math.abs(cents)).padStart(3, '0');
  return `${cents < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** A formatted amount going out. */
export const MoneySchema = z
  .string()
  .regex(/^-?\d+\.\d{2}$/)
  .meta({ description: 'A decimal amount with two places, in `currency`.', example: '123.45' });

export const CurrencySchema = z.literal('NZD');

export interface MoneyInputOptions {
  /** Accept a leading `-` (an adjustment). Default false. */
  signed?: boolean;
  /** Inclusive bounds in cents. */
  minCents?: number;
  maxCents: number;
  nonZero?: boolean;
}

/**
 * An amount coming in: a JSON string like `"12.50"` (a JSON number is refused: it may already
 * have been rounded by the client), validated and turned into integer cents.
 */
export function moneyInput(opts: MoneyInputOptions) {
  const { signed = false, minCents = signed ? -opts.maxCents : 0, maxCents, nonZero = false } = opts;
  const example = signed ? '"-12.50"' : '"12.50"';
  return z
    .string()
    .refine((s) => (signed || /^\d/.test(s)) && parseCents(s) !== null, {
      message: `must be a decimal amount as a string, like ${example}, with at most two decimal places`,
      abort: true,
    })
    .transform((s) => parseCents(s) as number)
    .refine((c) => !nonZero || c !== 0, 'must not be zero')
    .refine((c) => c >= minCents, `must be at least ${formatCents(minCents)}`)
    .refine((c) => c <= maxCents, `must be at most ${formatCents(maxCents)}`)
    .meta({
      description: `A decimal amount in NZD as a string with at most two decimal places${signed ? ' (signed)' : ''}.`,
      example: JSON.parse(example),
    });
}
