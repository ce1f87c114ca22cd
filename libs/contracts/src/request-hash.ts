import { createHash } from 'node:crypto';

/**
 * The request hash kept with an Idempotency-Key: sha256 of the body in a canonical form, so "the
 * same request again" hashes the same however the client spelled it and any real difference does
 * not. See `canonicalJson` for what counts as the same.
 */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/**
 * JSON with object keys sorted (by UTF-16 code unit) and fields that are `null` or `undefined`
 * left out: in the contract an optional field may be absent or null and means the same either way,
 * so `{ reference: null }` and `{}` are one request. Inside arrays a missing value stays in place
 * as `null` (positions matter).
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
