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

// ------------------------------------------------------------------ contract views → HTTP shapes

/**
 * Money fields whose HTTP name is not `<name>Cents` → `<name>` (orders' `totalCents` is the HTTP
 * `totalAmount`; the catalogue's `price` is cents under the same name).
 */
export type MoneyNames = Readonly<Record<string, string>>;

const wireName = (key: string, names: MoneyNames) => names[key] ?? key.replace(/Cents$/, '');
const isMoney = (key: string, names: MoneyNames) => key.endsWith('Cents') || key in names;

/**
 * The HTTP form of a value read with a contract view: `<name>Cents` integers → `<name>` "12.34"
 * strings (renamed fields of `names` are typed loosely).
 */
export type Wire<T> = T extends readonly (infer E)[]
  ? Wire<E>[]
  : T extends object
    ? {
        [K in keyof T as K extends `${infer N}Cents` ? N : K]: K extends `${string}Cents`
          ? Exclude<T[K], number> | string
          : Wire<T[K]>;
      }
    : T;

/** An integer-cents schema (possibly nullable/optional) as the same money string schema; descriptions kept. */
function moneyOf(schema: z.ZodType): z.ZodType {
  const meta = z.globalRegistry.get(schema);
  let money: z.ZodType;
  if (schema instanceof z.ZodNullable) money = moneyOf(schema.unwrap() as z.ZodType).nullable();
  else if (schema instanceof z.ZodOptional) money = moneyOf(schema.unwrap() as z.ZodType).optional();
  else if (schema instanceof z.ZodNumber) money = MoneySchema;
  else throw new TypeError('a …Cents field of a contract view must be a number of cents');
  return meta ? money.meta(meta) : money;
}

/** A schema with its money fields turned; the same instance when it has none (so shared components stay one). */
function wired(schema: z.ZodType, names: MoneyNames): z.ZodType {
  const meta = z.globalRegistry.get(schema);
  const again = (s: z.ZodType) => (meta ? s.meta(meta) : s);
  if (schema instanceof z.ZodObject) {
    let changed = false;
    const shape: Record<string, z.ZodType> = {};
    for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const money = isMoney(key, names);
      const out = money ? moneyOf(field) : wired(field, names);
      changed ||= out !== field || money;
      shape[money ? wireName(key, names) : key] = out;
    }
    return changed ? again(z.object(shape)) : schema;
  }
  if (schema instanceof z.ZodArray) {
    const element = wired(schema.element as z.ZodType, names);
    return element === schema.element ? schema : again(z.array(element));
  }
  if (schema instanceof z.ZodNullable || schema instanceof z.ZodOptional) {
    const inner = wired(schema.unwrap() as z.ZodType, names);
    if (inner === schema.unwrap()) return schema;
    return again(schema instanceof z.ZodNullable ? inner.nullable() : inner.optional());
  }
  return schema;
}

/**
 * The HTTP shape of a contract view (the ONE money transform of the API): every `<name>Cents`
 * integer becomes `<name>`, a "12.34" string (`names` for the few that are called otherwise);
 * every other field, its constraints and its description, stay as the contract declares them.
 */
export function wireShape<S extends z.ZodObject>(view: S, names: MoneyNames = {}): z.ZodObject<z.ZodRawShape> {
  return wired(view, names) as z.ZodObject<z.ZodRawShape>;
}

/** A reply read with a contract view, in its HTTP form (the values of {@link wireShape}). */
export function toWire<T>(value: T, names: MoneyNames = {}): Wire<T> {
  if (Array.isArray(value)) return value.map((v) => toWire(v, names)) as Wire<T>;
  if (value === null || typeof value !== 'object') return value as Wire<T>;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (isMoney(key, names) && (typeof v === 'number' || v === null || v === undefined))
      out[wireName(key, names)] = typeof v === 'number' ? formatCents(v) : v;
    else out[key] = toWire(v, names);
  }
  return out as Wire<T>;
}
