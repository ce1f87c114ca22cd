import { randomInt } from 'node:crypto';
import {
  API_KEY_PREFIX_ALPHABET,
  API_KEY_SECRET_ALPHABET,
  assertMayHoldApiKeys,
  assertValidExpiry,
  formatApiKey,
  isApiKeyUsable,
  parseApiKey,
} from './api-key';

const randomString = (alphabet: string, n: number) =>
  Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');

const codeOf = (fn: () => void) => {
  try {
    fn();
    return 'ok';
  } catch (e) {
    return (e as { key: string }).key;
  }
};

describe('API key format', () => {
  const prefix = randomString(API_KEY_PREFIX_ALPHABET, 8);
  const secret = randomString(API_KEY_SECRET_ALPHABET, 40);

  it('is pc_live_<prefix>_<secret> and parses back into its parts', () => {
    const key = formatApiKey(prefix, secret);
    expect(key).toBe(`pc_live_${prefix}_${secret}`);
    expect(parseApiKey(key)).toEqual({ prefix, secret });
  });

  it('rejects anything that is not exactly that shape', () => {
    for (const bad of [
      '',
      `pc_test_${prefix}_${secret}`,
      `pc_live_${prefix}${secret}`,
      `pc_live_${prefix.toUpperCase()}_${secret}`,
      `pc_live_${prefix}_${secret.slice(1)}`,
      `pc_live_${prefix}_${secret}x`,
      `pc_live_${prefix}_${secret.slice(1)}-`,
    ]) {
      expect(parseApiKey(bad)).toBeNull();
    }
  });

  it('refuses to format parts outside the alphabets', () => {
    expect(() => formatApiKey('short', secret)).toThrow();
    expect(() => formatApiKey(prefix, `${secret.slice(1)}_`)).toThrow();
  });

  it('is only for pharmacy operators and admins', () => {
    expect(codeOf(() => assertMayHoldApiKeys('practitioner'))).toBe('INSUFFICIENT_PERMISSIONS');
    expect(codeOf(() => assertMayHoldApiKeys('pharmacy_operator'))).toBe('ok');
    expect(codeOf(() => assertMayHoldApiKeys('admin'))).toBe('ok');
  });

  it('stops being usable when revoked or expired', () => {
    const now = new Date('2026-11-22T00:00:00Z');
    expect(isApiKeyUsable({ revokedAt: null, expiresAt: null }, now)).toBe(true);
    expect(isApiKeyUsable({ revokedAt: now, expiresAt: null }, now)).toBe(false);
    expect(isApiKeyUsable({ revokedAt: null, expiresAt: now }, now)).toBe(false);
    expect(isApiKeyUsable({ revokedAt: null, expiresAt: new Date(now.getTime() + 1) }, now)).toBe(true);
  });

  it('takes only an expiry in the future', () => {
    const now = new Date('2026-11-22T00:00:00Z');
    expect(codeOf(() => assertValidExpiry(now, now))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => assertValidExpiry(null, now))).toBe('ok');
  });
});
