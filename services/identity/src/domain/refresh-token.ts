/**
 * Refresh tokens are opaque and single-use: each use spends the token and issues its successor in
 * the same family. Presenting a spent token means it was copied — the whole family is revoked, so
 * the thief and the victim both have to sign in again (OAuth 2.0 Security BCP, refresh token rotation).
 */
export interface RefreshTokenRecord {
  id: string;
  familyId: string;
  userId: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

export type RefreshDecision = 'rotate' | 'reused' | 'revoked' | 'expired';

export function decideRefresh(token: RefreshTokenRecord, now: Date): RefreshDecision {
  if (token.revokedAt) return 'revoked';
  if (token.usedAt) return 'reused';
  if (token.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'rotate';
}

export const DEFAULT_REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
