import { resolve } from 'node:path';
import { type ConfigRule, requireSetting } from '@prescriptchain/messaging';
import { z } from 'zod';
import { parseTrustProxy, type TrustProxy } from './access/client-ip';

/**
 * What the gateway needs outside development and test (checked before start; see
 * checkProductionConfig): /metrics names every route, service and failure rate, so it is never
 * open to the internet there — Prometheus scrapes it with METRICS_TOKEN as a bearer token.
 */
export const GATEWAY_PRODUCTION_CONFIG: readonly ConfigRule[] = [requireSetting('METRICS_TOKEN')];

const csv = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  );

const EnvSchema = z.object({
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  BODY_LIMIT: z.string().min(1).default('1mb'),
  CORS_ORIGINS: csv,
  AMQP_URL: z.string().min(1).default('amqp://guest:guest@127.0.0.1:5672'),
  RPC_DEADLINE_MS: z.coerce.number().int().positive().default(5000),
  READY_DEADLINE_MS: z.coerce.number().int().positive().default(1000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  ORDER_WAIT_MS: z.coerce.number().int().min(0).default(5000),
  ORDER_PLACE_DEADLINE_MS: z.coerce.number().int().positive().default(30_000),
  TRUST_PROXY: z.string().optional(),
  REDIS_URL: z.string().min(1).default('redis://127.0.0.1:6379'),
  RATE_LIMIT_KEY_PREFIX: z.string().default('prescriptchain:gateway:rl:'),
  // The buckets of the route table (`rateLimit`, gateway/docs/api.md); 0 turns a limit off.
  RATE_LIMIT_AUTH_PER_MIN: z.coerce.number().int().min(0).default(5),
  RATE_LIMIT_SEARCH_PER_MIN: z.coerce.number().int().min(0).default(100),
  RATE_LIMIT_ORDERS_PER_MIN: z.coerce.number().int().min(0).default(10),
  RATE_LIMIT_UPLOADS_PER_HOUR: z.coerce.number().int().min(0).default(20),
  PORTAL_DIR: z.string().optional(),
  // PUT /files/upload/:token per client address (the URL is the credential: no user to key on).
  RATE_LIMIT_FILE_PUTS_PER_MIN: z.coerce.number().int().min(0).default(30),
  METRICS_TOKEN: z.string().trim().optional(),
  // Access tokens are verified here against identity's JWKS: the same issuer and audience as identity's.
  JWT_ISSUER: z.string().min(1).default('prescriptchain-identity'),
  JWT_AUDIENCE: z.string().min(1).default('prescriptchain'),
  // How long a principal identity answered is reused (invalidated by identity's events); 0 = never.
  PRINCIPAL_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(30_000),
  PRINCIPAL_CACHE_MAX: z.coerce.number().int().min(1).default(10_000),
});

/** The built web portal (`gateway/portal/dist`), next to the gateway's src/ or dist/. */
export const DEFAULT_PORTAL_DIR = resolve(__dirname, '..', 'portal', 'dist');

/** Requests allowed per window and bucket (auth, search, orders: per minute; uploads: per hour); 0 = off. */
export interface RateLimits {
  auth: number;
  search: number;
  orders: number;
  uploads: number;
  /** PUT /files/upload/:token per client address, per minute. */
  filePuts: number;
}

const rateLimitsOf = (e: z.infer<typeof EnvSchema>): RateLimits => ({
  auth: e.RATE_LIMIT_AUTH_PER_MIN,
  search: e.RATE_LIMIT_SEARCH_PER_MIN,
  orders: e.RATE_LIMIT_ORDERS_PER_MIN,
  uploads: e.RATE_LIMIT_UPLOADS_PER_HOUR,
  filePuts: e.RATE_LIMIT_FILE_PUTS_PER_MIN,
});

export type GatewayConfigValues = Omit<Partial<GatewayConfig>, 'rateLimits'> & {
  rateLimits?: Partial<RateLimits>;
};

/** The gateway's settings, read once from the environment (DI token and value). */
export class GatewayConfig {
  readonly port: number;
  /** body-parser size syntax (`1mb`, `100kb`). */
  readonly bodyLimit: string;
  /** Allowed CORS origins; empty = no cross-origin access. */
  readonly corsOrigins: string[];
  readonly amqpUrl: string;
  readonly rpcDeadlineMs: number;
  readonly readyDeadlineMs: number;
  /** After this, connections still open at shutdown are cut. */
  readonly shutdownTimeoutMs: number;
  /** How long POST /orders (and submit, retry-payment) waits for the payment outcome before answering 202. */
  readonly orderWaitMs: number;
  /**
   * How long the gateway waits for orders to take a payment step at all (create, submit,
   * retry-payment: the RPC's deadline, so also how long the request may sit in orders' queue before
   * the broker drops it). Longer than RPC_DEADLINE_MS: under a burst the steps queue up behind each
   * other, and each one that is taken is answered (202 once ORDER_WAIT_MS has passed) instead of
   * timing out with no order to follow. Past it the answer is 504; a retry with the same
   * Idempotency-Key then answers with the order if the step was taken after all.
   */
  readonly orderPlaceDeadlineMs: number;
  /** Express `trust proxy`: whose X-Forwarded-For names the client. Off by default. */
  readonly trustProxy: TrustProxy;
  readonly redisUrl: string;
  /** Namespace of the rate-limit counters in Redis. */
  readonly rateLimitKeyPrefix: string;
  readonly rateLimits: RateLimits;
  /** Where the built web portal is (index.html + assets/); served at `/`. */
  readonly portalDir: string;
  /** When set, GET /metrics answers only `Authorization: Bearer <metricsToken>` (else 401). */
  readonly metricsToken: string | null;
  /** The `iss` and `aud` every access token must carry (identity's JWT_ISSUER / JWT_AUDIENCE). */
  readonly jwtIssuer: string;
  readonly jwtAudience: string;
  /** Reuse of a principal identity answered, as long as identity's events can invalidate it; 0 = off. */
  readonly principalCacheTtlMs: number;
  /** Principals (users) cached at most. */
  readonly principalCacheMax: number;

  constructor(values: GatewayConfigValues = {}) {
    const env = EnvSchema.parse({});
    this.port = values.port ?? env.GATEWAY_PORT;
    this.bodyLimit = values.bodyLimit ?? env.BODY_LIMIT;
    this.corsOrigins = values.corsOrigins ?? env.CORS_ORIGINS;
    this.amqpUrl = values.amqpUrl ?? env.AMQP_URL;
    this.rpcDeadlineMs = values.rpcDeadlineMs ?? env.RPC_DEADLINE_MS;
    this.readyDeadlineMs = values.readyDeadlineMs ?? env.READY_DEADLINE_MS;
    this.shutdownTimeoutMs = values.shutdownTimeoutMs ?? env.SHUTDOWN_TIMEOUT_MS;
    this.orderWaitMs = values.orderWaitMs ?? env.ORDER_WAIT_MS;
    this.orderPlaceDeadlineMs = values.orderPlaceDeadlineMs ?? env.ORDER_PLACE_DEADLINE_MS;
    this.trustProxy = values.trustProxy ?? parseTrustProxy(env.TRUST_PROXY);
    this.redisUrl = values.redisUrl ?? env.REDIS_URL;
    this.rateLimitKeyPrefix = values.rateLimitKeyPrefix ?? env.RATE_LIMIT_KEY_PREFIX;
    this.rateLimits = { ...rateLimitsOf(env), ...values.rateLimits };
    this.portalDir = values.portalDir ?? DEFAULT_PORTAL_DIR;
    this.metricsToken = values.metricsToken !== undefined ? values.metricsToken : env.METRICS_TOKEN || null;
    this.jwtIssuer = values.jwtIssuer ?? env.JWT_ISSUER;
    this.jwtAudience = values.jwtAudience ?? env.JWT_AUDIENCE;
    this.principalCacheTtlMs = values.principalCacheTtlMs ?? env.PRINCIPAL_CACHE_TTL_MS;
    this.principalCacheMax = values.principalCacheMax ?? env.PRINCIPAL_CACHE_MAX;
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
    const e = EnvSchema.parse(env);
    return new GatewayConfig({
      port: e.GATEWAY_PORT,
      bodyLimit: e.BODY_LIMIT,
      corsOrigins: e.CORS_ORIGINS,
      amqpUrl: e.AMQP_URL,
      rpcDeadlineMs: e.RPC_DEADLINE_MS,
      readyDeadlineMs: e.READY_DEADLINE_MS,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
      orderWaitMs: e.ORDER_WAIT_MS,
      orderPlaceDeadlineMs: e.ORDER_PLACE_DEADLINE_MS,
      trustProxy: parseTrustProxy(e.TRUST_PROXY),
      redisUrl: e.REDIS_URL,
      rateLimitKeyPrefix: e.RATE_LIMIT_KEY_PREFIX,
      rateLimits: rateLimitsOf(e),
      portalDir: e.PORTAL_DIR ? resolve(e.PORTAL_DIR) : DEFAULT_PORTAL_DIR,
      metricsToken: e.METRICS_TOKEN || null,
      jwtIssuer: e.JWT_ISSUER,
      jwtAudience: e.JWT_AUDIENCE,
      principalCacheTtlMs: e.PRINCIPAL_CACHE_TTL_MS,
      principalCacheMax: e.PRINCIPAL_CACHE_MAX,
    });
  }
}
