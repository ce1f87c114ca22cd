import { CurrencySchema, formatCents, parseCents } from '@prescriptchain/contracts';
import { z } from 'zod';

export { CurrencySchema, formatCents, parseCents };
/**
 * Money at the HTTP edge: `"123.45"` strings with two places going out, at most two coming in,
 * integer cents everywhere behind it (the conversion and its rule: libs/contracts/src/money.ts).
 */

/** A formatted amount going out. */
export const MoneySchema = z
  .string()
  .regex(/^-?\d+\.\d{2}$/)
  .meta({ description: 'A decimal amount with two places, in `currency`.', example: '123.45' });

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
