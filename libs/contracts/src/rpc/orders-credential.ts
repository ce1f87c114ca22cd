import { z } from 'zod';

/**
 * The prescription credential as orders issues it and pharmacy checks it (offline, from the public
 * keys orders publishes). Both sides import this file, so the formats cannot drift apart.
 *
 * platformOrderId: `PC-7K3M-9QX2-H` — 8 random Crockford base32 symbols and one check symbol.
 * The check makes Σ weight(i) × value(i) ≡ 0 (mod 37) over all nine symbols with the distinct
 * weights 1..9: 37 is prime and larger than any difference of two symbol values, so every
 * single-symbol typo and every transposition of two different symbols (adjacent or not, the check
 * symbol included) changes the sum. Bodies whose check value would be 32..36 are not issued, so the
 * check symbol is always an ordinary, typeable base32 symbol.
 */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const PLATFORM_ORDER_ID_PREFIX = 'PC';
const BODY_LENGTH = 8;
const MODULUS = 37;
const CHECK_WEIGHT = BODY_LENGTH + 1;

const VALUE = new Map([...CROCKFORD_ALPHABET].map((c, i) => [c, i]));

/** Crockford's reading of ambiguous input: O is 0, I and L are 1; case, spaces and hyphens do not count. */
function symbols(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

const weightedSum = (values: readonly number[]) => values.reduce((sum, v, i) => sum + (i + 1) * v, 0);

/** The check value (0..36; only 0..31 can be written as a symbol) completing the sum to 0 mod 37. */
function checkValue(body: readonly number[]): number {
  const partial = weightedSum(body);
  let check = 0;
  while ((partial + CHECK_WEIGHT * check) % MODULUS !== 0) check++;
  return check;
}

const format = (nine: string) =>
  `${PLATFORM_ORDER_ID_PREFIX}-${nine.slice(0, 4)}-${nine.slice(4, 8)}-${nine[8]}`;

/**
 * A new platformOrderId from a source of random symbol values (0..31, e.g. `() => randomInt(32)`).
 * Draws again when the body's check value has no symbol (5 in 37 bodies).
 */
export function generatePlatformOrderId(randomSymbolValue: () => number): string {
  for (;;) {
    const body = Array.from({ length: BODY_LENGTH }, randomSymbolValue);
    if (body.some((v) => !Number.isInteger(v) || v < 0 || v >= CROCKFORD_ALPHABET.length)) {
      throw new RangeError('randomSymbolValue must return integers 0..31');
    }
    const check = checkValue(body);
    if (check < CROCKFORD_ALPHABET.length) {
      return format([...body, check].map((v) => CROCKFORD_ALPHABET[v]).join(''));
    }
  }
}

/**
 * The canonical `PC-XXXX-XXXX-C` for what a person typed (`pc 7k3m 9qx2 h`, `7K3M9QX2H`, with O/I/L
 * for 0/1/1), or null when it is not a platformOrderId or its check symbol does not match (a typo).
 */
export function parsePlatformOrderId(input: string): string | null {
  if (typeof input !== 'string' || input.length > 64) return null;
  let s = symbols(input);
  if (
    s.length === BODY_LENGTH + 1 + PLATFORM_ORDER_ID_PREFIX.length &&
    s.startsWith(PLATFORM_ORDER_ID_PREFIX)
  ) {
    s = s.slice(PLATFORM_ORDER_ID_PREFIX.length);
  }
  if (s.length !== BODY_LENGTH + 1) return null;
  const values = [...s].map((c) => VALUE.get(c));
  if (values.some((v) => v === undefined)) return null;
  if (weightedSum(values as number[]) % MODULUS !== 0) return null;
  return format(s);
}

/** Whether the input is a platformOrderId with a matching check symbol. */
export const isValidPlatformOrderId = (input: string): boolean => parsePlatformOrderId(input) !== null;

/** The QR payload: a compact EdDSA JWS (`alg: EdDSA`, `kid` of an orders credential key). */
export const CREDENTIAL_TOKEN_TYPE = 'pc-credential+jwt';
export const CREDENTIAL_TOKEN_ALGORITHM = 'EdDSA';

/** Claims of the QR token: order id, platform order id, expiry (seconds since the epoch). */
export const CredentialClaimsSchema = z.object({
  oid: z.uuid(),
  pid: z.string().refine(isValidPlatformOrderId, 'not a platformOrderId'),
  exp: z.number().int().positive(),
});
export type CredentialClaims = z.infer<typeof CredentialClaimsSchema>;

/** A public Ed25519 key that verifies credential tokens (RFC 8037 OKP JWK). */
export const CredentialJwkSchema = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().min(1),
  kid: z.string().min(1),
  alg: z.literal('EdDSA'),
  use: z.literal('sig'),
});
export type CredentialJwk = z.infer<typeof CredentialJwkSchema>;
