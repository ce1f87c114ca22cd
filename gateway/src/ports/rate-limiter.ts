export interface RateLimitDecision {
  allowed: boolean;
  /** Requests still allowed in the current window after this one. */
  remaining: number;
  /** When refused: how long until one more request would be allowed. */
  retryAfterMs: number;
}

/**
 * Counts requests per key in a sliding window shared by every gateway replica. Rejects when the
 * store cannot be reached (the caller decides whether that lets the request through).
 */
export abstract class RateLimiter {
  /** Counts one request for `key` unless `limit` were already counted within the last `windowMs`. */
  abstract hit(key: string, limit: number, windowMs: number): Promise<RateLimitDecision>;
  abstract close(): Promise<void>;
}
