import {
  type SigningKeyMeta,
  isDueForRotation,
  planRotation,
  signingKey,
  verifyingKeys,
} from './signing-key-ring';

const day = 86_400_000;
const t0 = new Date('2026-11-22T00:00:00Z');
const ago = (ms: number) => new Date(t0.getTime() - ms);

const keys: SigningKeyMeta[] = [
  { kid: 'current', status: 'active', createdAt: ago(10 * day), rotatedOutAt: null },
  { kid: 'recent', status: 'previous', createdAt: ago(40 * day), rotatedOutAt: ago(10 * day) },
  { kid: 'old', status: 'previous', createdAt: ago(80 * day), rotatedOutAt: ago(40 * day) },
  { kid: 'gone', status: 'retired', createdAt: ago(120 * day), rotatedOutAt: ago(80 * day) },
];

describe('signing key ring', () => {
  it('rotation demotes the active key and retires previous keys past the retention', () => {
    expect(planRotation(keys, t0, 20 * 86_400)).toEqual({ demote: ['current'], retire: ['old'] });
  });

  it('keeps every previous key whose tokens may still be alive', () => {
    expect(planRotation(keys, t0, 60 * 86_400).retire).toEqual([]);
  });

  it('verifies with the active and previous keys, never retired ones', () => {
    expect(verifyingKeys(keys).map((k) => k.kid)).toEqual(['current', 'recent', 'old']);
  });

  it('signs with the newest active key', () => {
    const two = [
      ...keys,
      { kid: 'newer', status: 'active' as const, createdAt: ago(day), rotatedOutAt: null },
    ];
    expect(signingKey(two)?.kid).toBe('newer');
    expect(signingKey([])).toBeUndefined();
  });

  it('is due for rotation once the active key reaches its age', () => {
    expect(isDueForRotation(keys[0], t0, 10 * 86_400)).toBe(true);
    expect(isDueForRotation(keys[0], t0, 11 * 86_400)).toBe(false);
  });
});
