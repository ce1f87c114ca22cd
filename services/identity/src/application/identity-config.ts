import { DEFAULT_ACCOUNT_THROTTLE, DEFAULT_IP_THROTTLE, type ThrottlePolicy } from '../domain/login-throttle';
import { DEFAULT_REFRESH_TOKEN_TTL_SECONDS } from '../domain/refresh-token';

export interface Argon2Params {
  /** KiB. OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** Everything tunable about identity, read once from the environment (a DI token). */
export class IdentityConfig {
  production = false;
  databaseUrl = 'postgresql://postgres@127.0.0.1:5432/prescriptchain_identity';
  accessTokenTtlSeconds = 15 * 60;
  refreshTokenTtlSeconds = DEFAULT_REFRESH_TOKEN_TTL_SECONDS;
  jwtIssuer = 'prescriptchain-identity';
  jwtAudience = 'prescriptchain';
  /** The active signing key is replaced after this long. */
  signingKeyRotateAfterSeconds = 30 * 24 * 3600;
  /** How long a rotated-out key keeps verifying; never less than the access-token lifetime. */
  signingKeyRetentionSeconds = 24 * 3600;
  /** How long a process trusts its cached key set before re-reading it (another replica may have rotated). */
  signingKeyCacheSeconds = 60;
  accountThrottle: ThrottlePolicy = { ...DEFAULT_ACCOUNT_THROTTLE };
  ipThrottle: ThrottlePolicy = { ...DEFAULT_IP_THROTTLE };
  /** last_used_at is written at most this often per key, not on every request. */
  apiKeyTouchIntervalSeconds = 60;
  argon2: Argon2Params = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
  admin: { email: string; password: string; fullName: string } | null = null;

  static fromEnv(
    env: NodeJS.ProcessEnv = process.env,
    overrides: Partial<IdentityConfig> = {},
  ): IdentityConfig {
    const c = new IdentityConfig();
    const num = (name: string, fallback: number) => {
      const raw = env[name];
      if (raw === undefined || raw === '') return fallback;
      const n = Number(raw);
      if (!Number.isFinite(n) || n < 0)
        throw new Error(`${name} must be a non-negative number, got "${raw}"`);
      return n;
    };
    c.production = env.NODE_ENV === 'production';
    c.databaseUrl = env.IDENTITY_DATABASE_URL ?? env.DATABASE_URL ?? c.databaseUrl;
    c.accessTokenTtlSeconds = num('ACCESS_TOKEN_TTL_SECONDS', c.accessTokenTtlSeconds);
    c.refreshTokenTtlSeconds = num('REFRESH_TOKEN_TTL_DAYS', c.refreshTokenTtlSeconds / 86400) * 86400;
    c.jwtIssuer = env.JWT_ISSUER ?? c.jwtIssuer;
    c.jwtAudience = env.JWT_AUDIENCE ?? c.jwtAudience;
    c.signingKeyRotateAfterSeconds =
      num('SIGNING_KEY_ROTATE_DAYS', c.signingKeyRotateAfterSeconds / 86400) * 86400;
    c.signingKeyRetentionSeconds =
      num('SIGNING_KEY_RETENTION_HOURS', c.signingKeyRetentionSeconds / 3600) * 3600;
    c.accountThrottle.lockAfter = num('LOGIN_LOCK_AFTER_FAILURES', c.accountThrottle.lockAfter);
    c.accountThrottle.lockSeconds = num('LOGIN_LOCK_MINUTES', c.accountThrottle.lockSeconds / 60) * 60;
    if (env.ADMIN_EMAIL && env.ADMIN_PASSWORD) {
      c.admin = {
        email: env.ADMIN_EMAIL,
        password: env.ADMIN_PASSWORD,
        fullName: env.ADMIN_FULL_NAME ?? 'Administrator',
      };
    }
    return Object.assign(c, overrides);
  }
}
