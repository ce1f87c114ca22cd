import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CodedError } from '@prescriptchain/contracts';
import type { Logger } from '@prescriptchain/messaging';
import type { IncomingMessage } from 'node:http';
import { clientIpOf } from '../access/client-ip';
import { principalOf } from '../access/principal';
import { GatewayConfig, type RateLimits } from '../gateway.config';
import { LOGGER } from '../logger.token';
import { GatewayMetrics } from '../operations/gateway-metrics';
import { RateLimiter } from '../ports/rate-limiter';
import { type RateLimitBucket, ROUTE_DEF, type RouteDef } from '../routes/route';

const MINUTE = 60_000;
const WINDOW_MS: Record<RateLimitBucket, number> = {
  auth: MINUTE,
  search: MINUTE,
  orders: MINUTE,
  uploads: 60 * MINUTE,
  filePuts: MINUTE,
};
/** One warning per this long while Redis is away, with how many requests went uncounted. */
const WARN_EVERY_MS = 30_000;

/**
 * The rate limits, from the route table's `rateLimit` tags: `auth` per client
 * address, the others per authenticated user (per address for an anonymous caller). Runs after
 * the access guard, so a user bucket is keyed by who identity says the caller is.
 *
 * Redis unreachable → the request goes through (fail open) and a warning is logged: an outage of
 * the counter store must not take the API down, and sign-in keeps identity's own database-backed
 * lockout per account and per address behind this limit.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private uncounted = 0;
  private lastWarnAt = 0;

  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
    private readonly config: GatewayConfig,
    private readonly metrics: GatewayMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const route = this.reflector.get<RouteDef | undefined>(ROUTE_DEF, context.getHandler());
    const bucket = route?.rateLimit;
    const limit = bucket ? this.config.rateLimits[bucket as keyof RateLimits] : 0;
    if (!bucket || !limit) return true;
    const req = context.switchToHttp().getRequest<IncomingMessage>();
    const user = bucket === 'auth' ? undefined : principalOf(req)?.userId;
    const key = `${bucket}:${user ? `user:${user}` : `ip:${clientIpOf(req) ?? 'unknown'}`}`;
    let decision;
    try {
      decision = await this.limiter.hit(key, limit, WINDOW_MS[bucket]);
    } catch (err) {
      this.failOpen(bucket, err);
      return true;
    }
    if (decision.allowed) return true;
    this.metrics.rateLimited.inc({ bucket });
    throw new CodedError('RATE_LIMIT_EXCEEDED', undefined, {
      retryAfterSeconds: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)),
    });
  }

  private failOpen(bucket: RateLimitBucket, err: unknown): void {
    this.metrics.rateLimitUnavailable.inc({ bucket });
    this.uncounted += 1;
    const now = Date.now();
    if (now - this.lastWarnAt < WARN_EVERY_MS) return;
    this.logger.warn(
      { err, uncounted: this.uncounted },
      'rate limits not enforced: Redis is unreachable; letting requests through (fail open)',
    );
    this.lastWarnAt = now;
    this.uncounted = 0;
  }
}
