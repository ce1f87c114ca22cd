import { createHash } from 'node:crypto';

/**
 * The request hash orders keeps with an Idempotency-Key: sha256 of the validated body in a canonical
 * form (keys sorted, absent and null fields alike, defaults applied, quantities canonical), so the
 * same order asked twice hashes the same however the client spelled it, and any real difference
 * (another patient, item, quantity, packs) does not.
 */
export function requestHashOf(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

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
