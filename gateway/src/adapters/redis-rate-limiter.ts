import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { type RateLimitDecision, RateLimiter } from '../ports/rate-limiter';

/**
 * Sliding-window log, atomically in one script: drop the timestamps older than the window, count
 * the rest, add this request only when under the limit (a refused request does not extend the
 * wait). Redis's own clock, so replicas with skewed clocks agree. Returns
 * { allowed (1|0), remaining, retryAfterMs }.
 */
const SLIDING_WINDOW = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, limit - count - 1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local retry = tonumber(oldest[2]) + window - now
if retry < 1 then retry = 1 end
return {0, 0, retry}
`;

type WithScript = Redis & {
  slidingWindow(
    key: string,
    limit: number,
    windowMs: number,
    member: string,
  ): Promise<[number, number, number]>;
};

export interface RedisRateLimiterOptions {
  url: string;
  /** Prepended to every key (one namespace per deployment, or per test). */
  keyPrefix: string;
  /** Per command; past it the request is decided without Redis. Default 500. */
  commandTimeoutMs?: number;
}

/** RateLimiter on Redis (ioredis). Fails fast while Redis is away instead of queueing commands. */
export class RedisRateLimiter extends RateLimiter {
  private readonly redis: WithScript;
  private started?: Promise<void>;

  constructor(options: RedisRateLimiterOptions) {
    super();
    this.redis = new Redis(options.url, {
      lazyConnect: true,
      keyPrefix: options.keyPrefix,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      // A socket that never connected is not waited on for long at shutdown.
      disconnectTimeout: 200,
      commandTimeout: options.commandTimeoutMs ?? 500,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    }) as WithScript;
    // Connection errors surface as rejected hits; without a listener ioredis would print each one.
    this.redis.on('error', () => undefined);
    this.redis.defineCommand('slidingWindow', { numberOfKeys: 1, lua: SLIDING_WINDOW });
  }

  async hit(key: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
    // The first hit connects (a gateway with every limit off never does); ioredis reconnects by
    // itself after that, and a command sent while it is away fails at once.
    this.started ??= this.redis.connect().catch(() => undefined);
    await this.started;
    const [allowed, remaining, retryAfterMs] = await this.redis.slidingWindow(
      key,
      limit,
      windowMs,
      randomUUID(),
    );
    return { allowed: allowed === 1, remaining, retryAfterMs };
  }

  async close(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}
