import { createHash, randomBytes } from 'node:crypto';
import { VerificationCodeHmac } from './verification-code-hmac';

const ORDER = '7e1d2c3b-4a5f-4e6d-8c7b-9a0f1e2d3c44';

describe(VerificationCodeHmac.name, () => {
  it('accepts the right code and refuses any other, a malformed code or digest', () => {
    const hmac = VerificationCodeHmac.withKey(randomBytes(32));
    const digest = hmac.digest(ORDER, '042917');
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(hmac.matches(ORDER, '042917', digest)).toBe(true);
    expect(hmac.matches(ORDER, '042918', digest)).toBe(false);
    expect(hmac.matches('8f1e2d3c-4b5a-4c6d-9e7f-000000000120', '042917', digest)).toBe(false);
    expect(hmac.matches(ORDER, '42917', digest)).toBe(false);
    expect(hmac.matches(ORDER, '042917', 'not-hex')).toBe(false);
    expect(hmac.matches(ORDER, '042917', null)).toBe(false);
  });

  it('is keyed: without the key, the digest is not the plain sha256 anyone could brute-force', () => {
    const a = VerificationCodeHmac.withKey(randomBytes(32));
    const b = VerificationCodeHmac.withKey(randomBytes(32));
    const plain = createHash('sha256').update(`${ORDER}:042917`).digest('hex');
    expect(a.digest(ORDER, '042917')).not.toBe(b.digest(ORDER, '042917'));
    expect(a.digest(ORDER, '042917')).not.toBe(plain);
  });

  it('reads the key from VERIFICATION_CODE_HMAC_KEY and refuses a short one', () => {
    const key = randomBytes(32).toString('base64');
    const fromEnv = VerificationCodeHmac.fromEnv({ VERIFICATION_CODE_HMAC_KEY: key });
    expect(fromEnv.isDevelopmentKey).toBe(false);
    expect(fromEnv.digest(ORDER, '000001')).toBe(
      VerificationCodeHmac.withKey(Buffer.from(key, 'base64')).digest(ORDER, '000001'),
    );
    expect(() => VerificationCodeHmac.fromEnv({ VERIFICATION_CODE_HMAC_KEY: 'c2hvcnQ=' })).toThrow(
      /32 bytes/,
    );
  });

  it('uses the development key only outside production, and says so', () => {
    const warn = jest.fn();
    expect(VerificationCodeHmac.fromEnv({ NODE_ENV: 'test' }, warn).isDevelopmentKey).toBe(true);
    expect(VerificationCodeHmac.fromEnv({}, warn).isDevelopmentKey).toBe(true);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('VERIFICATION_CODE_HMAC_KEY'));
    expect(() => VerificationCodeHmac.fromEnv({ NODE_ENV: 'production' })).toThrow(
      /VERIFICATION_CODE_HMAC_KEY/,
    );
    expect(() => VerificationCodeHmac.fromEnv({ NODE_ENV: 'staging' })).toThrow(/VERIFICATION_CODE_HMAC_KEY/);
  });
});
