/**
 * Access-token signing keys rotate without logging anyone out: the new key signs, the key it
 * replaces stays published (JWKS) as `previous` until every token it signed has expired, then retires.
 */
export type SigningKeyStatus = 'active' | 'previous' | 'retired';

export interface SigningKeyMeta {
  kid: string;
  status: SigningKeyStatus;
  createdAt: Date;
  rotatedOutAt: Date | null;
}

export interface RotationPlan {
  /** The active key(s) that become `previous`. */
  demote: string[];
  /** `previous` keys whose tokens can no longer be alive. */
  retire: string[];
}

/**
 * `retentionSeconds` must cover the access-token lifetime; callers pass max(configured, token TTL)
 * so a misconfiguration cannot cut live tokens off.
 */
export function planRotation(keys: SigningKeyMeta[], now: Date, retentionSeconds: number): RotationPlan {
  return {
    demote: keys.filter((k) => k.status === 'active').map((k) => k.kid),
    retire: expiredPrevious(keys, now, retentionSeconds),
  };
}

export function expiredPrevious(keys: SigningKeyMeta[], now: Date, retentionSeconds: number): string[] {
  const cutoff = now.getTime() - retentionSeconds * 1000;
  return keys
    .filter((k) => k.status === 'previous' && (k.rotatedOutAt?.getTime() ?? 0) <= cutoff)
    .map((k) => k.kid);
}

/** Keys whose signatures are still accepted: the active one and those recently rotated out. */
export function verifyingKeys<K extends SigningKeyMeta>(keys: K[]): K[] {
  return keys.filter((k) => k.status === 'active' || k.status === 'previous');
}

/** The newest active key signs (there is one; the newest wins if a race ever left two). */
export function signingKey<K extends SigningKeyMeta>(keys: K[]): K | undefined {
  return keys
    .filter((k) => k.status === 'active')
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
}

export function isDueForRotation(active: SigningKeyMeta, now: Date, rotateAfterSeconds: number): boolean {
  return now.getTime() - active.createdAt.getTime() >= rotateAfterSeconds * 1000;
}
