import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AmqpRpcClient, createLogger, type Logger } from '@prescriptchain/messaging';
import { ClinicAccountsController } from './accounts/clinic-accounts.controller';
import { PaymentSessionsController } from './accounts/payment-sessions.controller';
import { PaymentWebhookController } from './accounts/payment-webhook.controller';
import { SettlementsController } from './accounts/settlements.controller';
import { AccessEvents, NoAccessEvents } from './access/access-events';
import { AccessGuard } from './access/access.guard';
import { AccessTokenVerifier } from './access/access-token-verifier';
import { Authenticator } from './access/authenticator';
import { PrincipalCache } from './access/principal-cache';
import { AmqpAccessEvents } from './adapters/amqp-access-events';
import { AmqpBackendRpc } from './adapters/amqp-backend-rpc';
import { RedisRateLimiter } from './adapters/redis-rate-limiter';
import { GatewayConfig } from './gateway.config';
import { EnvelopeInterceptor } from './http/envelope.interceptor';
import { ErrorEnvelopeFilter } from './http/error-envelope.filter';
import { GracefulShutdown } from './http/graceful-shutdown';
import { HttpDrain } from './http/http-drain';
import { RouteValidationInterceptor } from './http/route-validation.interceptor';
import { AccountController } from './identity/account.controller';
import { AuthController } from './identity/auth.controller';
import { IdentityAdminController } from './identity/identity-admin.controller';
import { LOGGER } from './logger.token';
import { DocsController } from './operations/docs.controller';
import { GatewayMetrics } from './operations/gateway-metrics';
import { HealthController } from './operations/health.controller';
import { NotificationsController } from './notifications/notifications.controller';
import { MetricsController } from './operations/metrics.controller';
import { ORDERS_HTTP } from './orders/orders-http';
import { PHARMACY_CONTROLLERS } from './pharmacy/pharmacy.controllers';
import { ServiceProbe } from './operations/service-probe';
import { BackendRpc } from './ports/backend-rpc';
import { RateLimiter } from './ports/rate-limiter';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';

@Module({
  controllers: [
    HealthController,
    MetricsController,
    DocsController,
    AuthController,
    AccountController,
    IdentityAdminController,
    ClinicAccountsController,
    PaymentWebhookController,
    PaymentSessionsController,
    SettlementsController,
    NotificationsController,
    ...ORDERS_HTTP.controllers,
    ...PHARMACY_CONTROLLERS,
  ],
  providers: [
    { provide: GatewayConfig, useFactory: () => GatewayConfig.fromEnv() },
    { provide: LOGGER, useFactory: () => createLogger('gateway') },
    {
      provide: BackendRpc,
      inject: [GatewayConfig, GatewayMetrics, LOGGER],
      useFactory: (config: GatewayConfig, metrics: GatewayMetrics, logger: Logger) => {
        const client = new AmqpRpcClient({
          url: config.amqpUrl,
          name: 'gateway',
          defaultDeadlineMs: config.rpcDeadlineMs,
          logger,
        });
        // Connect in the background: the gateway serves (and reports not ready) while the broker is away.
        client
          .connect()
          .catch((err) => logger.warn({ err }, 'broker not reachable yet; retrying in the background'));
        return new AmqpBackendRpc(client, metrics, config.rpcDeadlineMs);
      },
    },
    {
      provide: RateLimiter,
      inject: [GatewayConfig],
      useFactory: (config: GatewayConfig) =>
        new RedisRateLimiter({ url: config.redisUrl, keyPrefix: config.rateLimitKeyPrefix }),
    },
    {
      provide: AccessEvents,
      inject: [GatewayConfig, GatewayMetrics, LOGGER],
      useFactory: (config: GatewayConfig, metrics: GatewayMetrics, logger: Logger) => {
        metrics.accessEventsLive.set(0);
        // Cache off: nothing to invalidate, so no subscription; every request asks identity.
        if (config.principalCacheTtlMs === 0) return new NoAccessEvents();
        return new AmqpAccessEvents({
          url: config.amqpUrl,
          logger,
          onLive: (live) => metrics.accessEventsLive.set(live ? 1 : 0),
        }).start();
      },
    },
    {
      provide: AccessTokenVerifier,
      inject: [BackendRpc, GatewayConfig],
      useFactory: (rpc: BackendRpc, config: GatewayConfig) =>
        new AccessTokenVerifier(rpc, { issuer: config.jwtIssuer, audience: config.jwtAudience }),
    },
    {
      provide: PrincipalCache,
      inject: [GatewayConfig],
      useFactory: (config: GatewayConfig) =>
        new PrincipalCache({ ttlMs: config.principalCacheTtlMs, maxEntries: config.principalCacheMax }),
    },
    Authenticator,
    GatewayMetrics,
    ServiceProbe,
    ...ORDERS_HTTP.providers,
    HttpDrain,
    GracefulShutdown,
    // Guards run in this order, before the interceptors: who is calling, then how often.
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    // Outermost first: the envelope wraps what validation let through.
    { provide: APP_INTERCEPTOR, useClass: EnvelopeInterceptor },
    { provide: APP_INTERCEPTOR, useClass: RouteValidationInterceptor },
    { provide: APP_FILTER, useClass: ErrorEnvelopeFilter },
  ],
})
export class AppModule {}
