import { randomBytes } from 'node:crypto';
import { PiiCipher } from './pii-cipher';

const b64 = () => randomBytes(32).toString('base64');

describe(PiiCipher.name, () => {
  it('round-trips text and stores it as kid:iv:tag:data without the plaintext', () => {
    const sut = PiiCipher.fromEnv({ PII_ENCRYPTION_KEYS: `k1:${b64()}`, PII_ENCRYPTION_KEY_ID: 'k1' });
    const stored = sut.encrypt('+64 21 555 0199');
    expect(stored.split(':')).toHaveLength(4);
    expect(stored.startsWith('k1:')).toBe(true);
    expect(stored).not.toContain('555');
    expect(sut.decrypt(stored)).toBe('+64 21 555 0199');
  });

  it('uses a fresh IV each time, so equal values do not look equal at rest', () => {
    const sut = PiiCipher.developmentKey();
    expect(sut.encrypt('same')).not.toBe(sut.encrypt('same'));
  });

  it('decrypts old rows with the key they name after the active key changes', () => {
    const k1 = b64();
    const before = PiiCipher.fromEnv({ PII_ENCRYPTION_KEYS: `k1:${k1}` });
    const oldRow = before.encrypt('LIC-12345');
    const after = PiiCipher.fromEnv({
      PII_ENCRYPTION_KEYS: `k1:${k1},k2:${b64()}`,
      PII_ENCRYPTION_KEY_ID: 'k2',
    });
    expect(after.encrypt('x').startsWith('k2:')).toBe(true);
    expect(after.decrypt(oldRow)).toBe('LIC-12345');
  });

  it('refuses tampered ciphertext (GCM authentication)', () => {
    const sut = PiiCipher.developmentKey();
    const [kid, iv, tag, data] = sut.encrypt('LIC-12345').split(':');
    const flipped = Buffer.from(data, 'base64');
    flipped[0] ^= 1;
    expect(() => sut.decrypt([kid, iv, tag, flipped.toString('base64')].join(':'))).toThrow();
  });

  it('refuses a row encrypted with a key it does not have', () => {
    const a = PiiCipher.fromEnv({ PII_ENCRYPTION_KEYS: `a:${b64()}` });
    const b = PiiCipher.fromEnv({ PII_ENCRYPTION_KEYS: `b:${b64()}` });
    expect(() => b.decrypt(a.encrypt('x'))).toThrow(/unknown key "a"/);
  });

  it('falls back to a stable development key with a warning, but never in production', () => {
    const warn = jest.fn();
    const dev = PiiCipher.fromEnv({ NODE_ENV: 'development' }, warn);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(PiiCipher.fromEnv({}).decrypt(dev.encrypt('x'))).toBe('x');
    expect(() => PiiCipher.fromEnv({ NODE_ENV: 'production' })).toThrow(/must be set in production/);
  });

  it('rejects misconfigured keys at start-up', () => {
    expect(() => PiiCipher.fromEnv({ PII_ENCRYPTION_KEYS: 'k1:c2hvcnQ=' })).toThrow(/32 bytes/);
    expect(() => PiiCipher.fromEnv({ PII_ENCRYPTION_KEYS: `k1:${b64()},k2:${b64()}` })).toThrow(/KEY_ID/);
    expect(() =>
      PiiCipher.fromEnv({ PII_ENCRYPTION_KEYS: `k1:${b64()}`, PII_ENCRYPTION_KEY_ID: 'k9' }),
    ).toThrow(/not among/);
  });
});
