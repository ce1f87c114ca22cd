import type { Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { createLogger } from '@prescriptchain/messaging';
import { Writable } from 'node:stream';
import { AccessEvents, NoAccessEvents } from '../../src/access/access-events';
import { AppModule } from '../../src/app.module';
import { GatewayConfig, type GatewayConfigValues } from '../../src/gateway.config';
import { GATEWAY_APP_OPTIONS, setupHttpApp } from '../../src/http/http-app.setup';
import { LOGGER } from '../../src/logger.token';
import { BackendRpc } from '../../src/ports/backend-rpc';
import { FakeBackendRpc } from './fake-backend-rpc';

export interface TestApp<R extends BackendRpc = FakeBackendRpc> {
  app: NestExpressApplication;
  rpc: R;
  /** Parsed JSON log lines the gateway wrote. */
  logs: Record<string, unknown>[];
}

export interface TestAppOptions<R extends BackendRpc = FakeBackendRpc> {
  config?: GatewayConfigValues;
  /** Extra (test-only) controllers. */
  controllers?: Type[];
  rpc?: R;
  /**
   * Identity's events for the principal cache, e.g. a real AmqpAccessEvents on the test's vhost.
   * Default: none (never live), so every authenticated request asks the (fake) identity.
   */
  accessEvents?: AccessEvents;
}

/** Rate limits stay off unless a test turns one on (other suites would trip over the defaults). */
const NO_RATE_LIMITS = { auth: 0, search: 0, orders: 0, uploads: 0, filePuts: 0 };

/**
 * The gateway as main.ts builds it, in-process, with captured logs and a fake BackendRpc (or the
 * given one, e.g. the real AMQP client). Its rate limiter is the real Redis one.
 */
export async function createTestApp<R extends BackendRpc = FakeBackendRpc>(
  opts: TestAppOptions<R> = {},
): Promise<TestApp<R>> {
  const rpc = opts.rpc ?? (new FakeBackendRpc() as BackendRpc as R);
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      cb();
    },
  });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule],
    controllers: opts.controllers ?? [],
  })
    .overrideProvider(BackendRpc)
    .useValue(rpc)
    .overrideProvider(AccessEvents)
    .useValue(opts.accessEvents ?? new NoAccessEvents())
    .overrideProvider(GatewayConfig)
    .useValue(
      new GatewayConfig({
        readyDeadlineMs: 200,
        ...opts.config,
        rateLimits: { ...NO_RATE_LIMITS, ...opts.config?.rateLimits },
      }),
    )
    .overrideProvider(LOGGER)
    .useValue(createLogger('gateway', { destination: sink, level: 'debug' }))
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    ...GATEWAY_APP_OPTIONS,
    logger: false,
  });
  setupHttpApp(app);
  await app.init();
  return { app, rpc, logs };
}
