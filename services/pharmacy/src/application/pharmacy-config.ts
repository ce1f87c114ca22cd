import { resolve } from 'node:path';
import {
  type ConfigRule,
  PII_KEY_RULES,
  isProductionEnv,
  requireSetting,
  requireWhen,
  serviceDatabaseUrl,
} from '@prescriptchain/messaging';
import { type CodeAttemptPolicy, DEFAULT_CODE_ATTEMPT_POLICY } from '../domain/code-attempt-policy';
import { FileUrlSigner } from './files/file-url-signer';

const positiveInt = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new Error(`${name} must be a positive whole number, got "${raw}"`);
  return n;
};

const httpUrl = (env: NodeJS.ProcessEnv, name: string): string | null => {
  const raw = env[name]?.trim();
  if (!raw) return null;
  if (!/^https?:\/\/[^\s]+$/.test(raw)) throw new Error(`${name} must be an http(s) URL, got "${raw}"`);
  return raw.replace(/\/$/, '');
};

const usesSupabaseStorage = (env: NodeJS.ProcessEnv) =>
  Boolean(env.SUPABASE_URL?.trim() && env.SUPABASE_SERVICE_ROLE_KEY?.trim());

/**
 * What pharmacy needs outside development and test (checked before start; see checkProductionConfig):
 * the personal-data key, the verification codes' HMAC key it shares with orders, and the secret that
 * signs file URLs unless Supabase Storage signs them.
 */
export const PHARMACY_PRODUCTION_CONFIG: readonly ConfigRule[] = [
  ...PII_KEY_RULES,
  requireSetting('VERIFICATION_CODE_HMAC_KEY'),
  requireWhen((env) => !usesSupabaseStorage(env), requireSetting('FILES_URL_SECRET')),
];

/** Everything pharmacy reads from its environment, checked once at start-up. */
export class PharmacyConfig {
  databaseUrl!: string;
  amqpUrl!: string;
  /** Mapbox permanent geocoding; null = admins give coordinates. */
  mapbox!: { accessToken: string; origin: string | null; timeoutMs: number } | null;
  /** Supabase Storage; null = local disk. */
  supabase!: { url: string; serviceRoleKey: string; bucket: string; timeoutMs: number } | null;
  filesDir!: string;
  filesUrlSecret!: string;
  filesUrlSecretIsDevelopment!: boolean;
  uploadUrlTtlSeconds!: number;
  downloadUrlTtlSeconds!: number;
  /** How the local store's URLs start: the gateway serves `<prefix>/upload/<token>` and `<prefix>/download/<token>`. */
  filesUrlPrefix!: string;
  codeAttempts!: CodeAttemptPolicy;
  /** A `claiming` proof untouched this long is retried by the sweeper. */
  claimStaleAfterMs!: number;
  claimSweepEveryMs!: number;
  /** Deadline of RPCs to orders. */
  ordersRpcDeadlineMs!: number;

  static fromEnv(
    env: NodeJS.ProcessEnv = process.env,
    overrides: Partial<PharmacyConfig> = {},
  ): PharmacyConfig {
    const cfg = new PharmacyConfig();
    cfg.databaseUrl = serviceDatabaseUrl('pharmacy', env);
    cfg.amqpUrl = env.AMQP_URL?.trim() || 'amqp://guest:guest@127.0.0.1:5672';

    const mapboxToken = env.MAPBOX_ACCESS_TOKEN?.trim();
    cfg.mapbox = mapboxToken
      ? {
          accessToken: mapboxToken,
          origin: httpUrl(env, 'MAPBOX_API_ORIGIN'),
          timeoutMs: positiveInt(env, 'MAPBOX_TIMEOUT_MS', 5_000),
        }
      : null;

    const supabaseUrl = httpUrl(env, 'SUPABASE_URL');
    const supabaseKey = env.SUPABASE_SERVICE_ROLE_KEY?.trim();
    if (Boolean(supabaseUrl) !== Boolean(supabaseKey)) {
      throw new Error(
        'Supabase Storage needs both SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY (or neither, for local disk)',
      );
    }
    cfg.supabase =
      supabaseUrl && supabaseKey
        ? {
            url: supabaseUrl,
            serviceRoleKey: supabaseKey,
            bucket: env.SUPABASE_STORAGE_BUCKET?.trim() || 'fulfillment-proofs',
            timeoutMs: positiveInt(env, 'SUPABASE_TIMEOUT_MS', 10_000),
          }
        : null;

    cfg.filesDir = resolve(env.FILES_DIR?.trim() || '.data/files');
    const secret = env.FILES_URL_SECRET?.trim();
    if (!secret && isProductionEnv(env) && !cfg.supabase) {
      throw new Error('FILES_URL_SECRET must be set in production (it signs upload and download URLs)');
    }
    cfg.filesUrlSecret = secret || FileUrlSigner.developmentSecret();
    cfg.filesUrlSecretIsDevelopment = !secret;
    cfg.uploadUrlTtlSeconds = positiveInt(env, 'FILE_UPLOAD_URL_TTL_SECONDS', 15 * 60);
    cfg.downloadUrlTtlSeconds = positiveInt(env, 'FILE_DOWNLOAD_URL_TTL_SECONDS', 15 * 60);
    cfg.filesUrlPrefix = '/api/v1/files';

    cfg.codeAttempts = {
      maxFailuresPerOrder: positiveInt(
        env,
        'SCAN_CODE_MAX_FAILURES_PER_ORDER',
        DEFAULT_CODE_ATTEMPT_POLICY.maxFailuresPerOrder,
      ),
      windowMs:
        positiveInt(env, 'SCAN_CODE_WINDOW_SECONDS', DEFAULT_CODE_ATTEMPT_POLICY.windowMs / 1000) * 1000,
      maxFailuresPerPharmacy: positiveInt(
        env,
        'SCAN_CODE_MAX_FAILURES_PER_PHARMACY',
        DEFAULT_CODE_ATTEMPT_POLICY.maxFailuresPerPharmacy,
      ),
    };
    cfg.claimStaleAfterMs = positiveInt(env, 'PROOF_CLAIM_STALE_AFTER_MS', 30_000);
    cfg.claimSweepEveryMs = positiveInt(env, 'PROOF_CLAIM_SWEEP_MS', 15_000);
    cfg.ordersRpcDeadlineMs = positiveInt(env, 'ORDERS_RPC_DEADLINE_MS', 5_000);
    return Object.assign(cfg, overrides);
  }
}
