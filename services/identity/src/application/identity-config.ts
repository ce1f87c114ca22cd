import {
  type ConfigRule,
  PII_KEY_RULES,
  isProductionEnv,
  refuseShippedValue,
  requireSetting,
  requireWhen,
} from '@prescriptchain/messaging';
import {
  DEFAULT_ACCOUNT_ADDRESS_THROTTLE,
  DEFAULT_ACCOUNT_BACKOFF,
  DEFAULT_IP_THROTTLE,
  type ThrottlePolicy,
} from '../domain/login-throttle';
import { DEFAULT_REFRESH_TOKEN_TTL_SECONDS } from '../domain/refresh-token';

export interface Argon2Params {
  /** KiB. OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/**
 * Admin passwords this repository has ever shipped (compose, .env.example, the launcher). Refused
 * outside development and test, so no deployment runs with a password anyone can read on GitHub.
 */
export const SHIPPED_ADMIN_PASSWORDS: readonly string[] = [
  'prescriptchain-dev-admin',
  'REPLACE_WITH_YOUR_OWN_PASSPHRASE',
  'REPLACE_ME',
];

/**
 * What identity needs outside development and test (checked before start; see checkProductionConfig):
 * the key that encrypts personal data and the identity signing keys, the first admin with a password
 * of the operator's own, and Supabase's keys when it is the auth provider.
 */
export const IDENTITY_PRODUCTION_CONFIG: readonly ConfigRule[] = [
  ...PII_KEY_RULES,
  requireSetting('ADMIN_EMAIL', 'ADMIN_PASSWORD'),
  refuseShippedValue('ADMIN_PASSWORD', SHIPPED_ADMIN_PASSWORDS),
  requireWhen(
    (env) => env.AUTH_PROVIDER?.trim().toLowerCase() === 'supabase',
    requireSetting('SUPABASE_URL', 'SUPABASE_SERVICE_ROLE_KEY'),
  ),
];

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
  /** One account at one client address: slows, then locks that address (LOGIN_LOCK_*). */
  accountAddressThrottle: ThrottlePolicy = { ...DEFAULT_ACCOUNT_ADDRESS_THROTTLE };
  /** One account from everywhere: a bounded back-off for addresses that failed on it; never a lock. */
  accountBackoff: ThrottlePolicy = { ...DEFAULT_ACCOUNT_BACKOFF };
  /** One client address across accounts. */
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
    c.production = isProductionEnv(env);
    c.databaseUrl = env.IDENTITY_DATABASE_URL ?? env.DATABASE_URL ?? c.databaseUrl;
    c.accessTokenTtlSeconds = num('ACCESS_TOKEN_TTL_SECONDS', c.accessTokenTtlSeconds);
    c.refreshTokenTtlSeconds = num('REFRESH_TOKEN_TTL_DAYS', c.refreshTokenTtlSeconds / 86400) * 86400;
    c.jwtIssuer = env.JWT_ISSUER ?? c.jwtIssuer;
    c.jwtAudience = env.JWT_AUDIENCE ?? c.jwtAudience;
    c.signingKeyRotateAfterSeconds =
      num('SIGNING_KEY_ROTATE_DAYS', c.signingKeyRotateAfterSeconds / 86400) * 86400;
    c.signingKeyRetentionSeconds =
      num('SIGNING_KEY_RETENTION_HOURS', c.signingKeyRetentionSeconds / 3600) * 3600;
    c.accountAddressThrottle.lockAfter = num('LOGIN_LOCK_AFTER_FAILURES', c.accountAddressThrottle.lockAfter);
    c.accountAddressThrottle.lockSeconds =
      num('LOGIN_LOCK_MINUTES', c.accountAddressThrottle.lockSeconds / 60) * 60;
    c.accountBackoff.slowAfter = num('LOGIN_BACKOFF_AFTER_FAILURES', c.accountBackoff.slowAfter);
    c.accountBackoff.maxDelaySeconds = num('LOGIN_BACKOFF_MAX_SECONDS', c.accountBackoff.maxDelaySeconds);
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
