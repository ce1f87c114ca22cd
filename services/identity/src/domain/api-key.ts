import { CodedError } from '@prescriptchain/contracts';
import type { Role } from './user.entity';

/**
 * `pc_live_<prefix>_<secret>`: the prefix identifies the key (kept, shown in lists), the secret
 * proves it (shown once, only its hash is stored). Both use unambiguous URL-safe alphabets.
 */
export const API_KEY_PREFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const API_KEY_PREFIX_LENGTH = 8;
export const API_KEY_SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** 40 base-62 characters ≈ 238 bits. */
export const API_KEY_SECRET_LENGTH = 40;

const PATTERN = new RegExp(
  `^pc_live_([${API_KEY_PREFIX_ALPHABET}]{${API_KEY_PREFIX_LENGTH}})_([A-Za-z0-9]{${API_KEY_SECRET_LENGTH}})$`,
);

export function formatApiKey(prefix: string, secret: string): string {
  const key = `pc_live_${prefix}_${secret}`;
  if (!PATTERN.test(key)) throw new Error('API key parts do not match the key format');
  return key;
}

export function parseApiKey(raw: string): { prefix: string; secret: string } | null {
  const m = PATTERN.exec(raw.trim());
  return m ? { prefix: m[1], secret: m[2] } : null;
}

/** Keys are for integrations (pharmacy point-of-sale systems) and admins' tooling. */
export function assertMayHoldApiKeys(role: Role): void {
  if (role !== 'pharmacy_operator' && role !== 'admin') throw new CodedError('INSUFFICIENT_PERMISSIONS');
}

export interface ApiKeyState {
  revokedAt: Date | null;
  expiresAt: Date | null;
}

export function isApiKeyUsable(key: ApiKeyState, now: Date): boolean {
  if (key.revokedAt) return false;
  return !key.expiresAt || key.expiresAt.getTime() > now.getTime();
}

export function assertValidExpiry(expiresAt: Date | null, now: Date): void {
  if (expiresAt && expiresAt.getTime() <= now.getTime()) {
    throw new CodedError('VALIDATION_FAILED', undefined, [
      { path: 'expiresAt', message: 'must be in the future' },
    ]);
  }
}
