import type { Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { createLogger } from '@prescriptchain/messaging';
import { Writable } from 'node:stream';
import { AppModule } from '../../src/app.module';
import { GatewayConfig } from '../../src/gateway.config';
import { GATEWAY_APP_OPTIONS, setupHttpApp } from '../../src/http/http-app.setup';
import { LOGGER } from '../../src/logger.token';
import { BackendRpc } from '../../src/ports/backend-rpc';
import { FakeBackendRpc } from './fake-backend-rpc';

export interface TestApp {
  app: NestExpressApplication;
  rpc: FakeBackendRpc;
  /** Parsed JSON log lines the gateway wrote. */
  logs: Record<string, unknown>[];
}

/** The gateway as main.ts builds it, in-process, with a fake BackendRpc and captured logs. */
export async function createTestApp(
  opts: { config?: Partial<GatewayConfig>; controllers?: Type[]; rpc?: FakeBackendRpc } = {},
): Promise<TestApp> {
  const rpc = opts.rpc ?? new FakeBackendRpc();
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
    .overrideProvider(GatewayConfig)
    .useValue(new GatewayConfig({ readyDeadlineMs: 200, ...opts.config }))
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
