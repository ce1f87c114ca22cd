import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const MIN_KEY_BYTES = 32;
const HEX_DIGEST = /^[0-9a-f]{64}$/;

/** As `isProductionEnv` (config/production-config.ts): NODE_ENV unset, `development` or `test` is development; anything else is not. */
const isDevelopment = (env: NodeJS.ProcessEnv) =>
  !env.NODE_ENV || env.NODE_ENV === 'development' || env.NODE_ENV === 'test';

/**
 * The keyed hash of a prescription's 6-digit verification code: HMAC-SHA256 over
 * `${orderId}:${code}` with VERIFICATION_CODE_HMAC_KEY. Orders writes it (and publishes it in
 * orders.order.paid); pharmacy checks a typed code against it. Six digits are a million guesses, so
 * a plain hash is reversed at once by anyone holding a copy of the database; with the key held only
 * in the two services' environments, a database dump reveals nothing. Never log the key or a code.
 */
export class VerificationCodeHmac {
  private constructor(
    private readonly key: Buffer,
    /** True when the built-in development key is in use (never in production). */
    readonly isDevelopmentKey: boolean,
  ) {}

  /**
   * VERIFICATION_CODE_HMAC_KEY = base64 of at least 32 random bytes (`openssl rand -base64 32`),
   * the same in orders and pharmacy. Outside production, unset, a fixed development key is used
   * (and `warn` says so); in production a missing or short key is a start-up error.
   */
  static fromEnv(
    env: NodeJS.ProcessEnv = process.env,
    warn: (message: string) => void = () => {},
  ): VerificationCodeHmac {
    const raw = env.VERIFICATION_CODE_HMAC_KEY?.trim();
    if (!raw) {
      if (!isDevelopment(env)) {
        throw new Error(
          'VERIFICATION_CODE_HMAC_KEY must be set outside development (base64 of ≥ 32 random bytes, shared by orders and pharmacy)',
        );
      }
      warn(
        'VERIFICATION_CODE_HMAC_KEY is not set: using the built-in development key. Never use it with real data.',
      );
      return VerificationCodeHmac.developmentKey();
    }
    const key = Buffer.from(raw, 'base64');
    if (key.length < MIN_KEY_BYTES) {
      throw new Error(`VERIFICATION_CODE_HMAC_KEY must be base64 of at least ${MIN_KEY_BYTES} bytes`);
    }
    return new VerificationCodeHmac(key, false);
  }

  static withKey(key: Buffer): VerificationCodeHmac {
    if (key.length < MIN_KEY_BYTES) throw new Error(`the key must be at least ${MIN_KEY_BYTES} bytes`);
    return new VerificationCodeHmac(Buffer.from(key), false);
  }

  /** Derived from a constant: stable across restarts and shared by every local process. Not a secret. */
  static developmentKey(): VerificationCodeHmac {
    const key = createHash('sha256').update('prescriptchain development verification-code key (not secret)');
    return new VerificationCodeHmac(key.digest(), true);
  }

  /** Lower-case hex HMAC-SHA256 of `${orderId}:${code}`. */
  digest(orderId: string, code: string): string {
    return createHmac('sha256', this.key).update(`${orderId.toLowerCase()}:${code}`).digest('hex');
  }

  /** Whether `code` is the order's code, in constant time; false for a malformed code or digest. */
  matches(orderId: string, code: string, expectedDigest: string | null | undefined): boolean {
    if (!expectedDigest || !HEX_DIGEST.test(expectedDigest) || !/^\d{6}$/.test(code)) return false;
    return timingSafeEqual(
      Buffer.from(expectedDigest, 'hex'),
      Buffer.from(this.digest(orderId, code), 'hex'),
    );
  }
}
