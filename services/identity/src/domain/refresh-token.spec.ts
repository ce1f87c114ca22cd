import { type RefreshTokenRecord, decideRefresh } from './refresh-token';

const now = new Date('2026-11-22T12:00:00Z');
const token = (over: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord => ({
  id: 't',
  familyId: 'f',
  userId: 'u',
  expiresAt: new Date('2026-12-01T00:00:00Z'),
  usedAt: null,
  revokedAt: null,
  ...over,
});

describe('refresh token rotation', () => {
  it('rotates an unspent, unexpired token', () => {
    expect(decideRefresh(token(), now)).toBe('rotate');
  });

  it('treats a spent token presented again as reuse (the family must be revoked)', () => {
    expect(decideRefresh(token({ usedAt: new Date('2026-11-22T11:00:00Z') }), now)).toBe('reused');
  });

  it('refuses a token of a revoked family, even one never used', () => {
    expect(decideRefresh(token({ revokedAt: new Date('2026-11-22T11:00:00Z') }), now)).toBe('revoked');
  });

  it('refuses an expired token, at the exact expiry instant too', () => {
    expect(decideRefresh(token({ expiresAt: now }), now)).toBe('expired');
  });
});
