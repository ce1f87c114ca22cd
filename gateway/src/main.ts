import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { checkProductionConfig, createLogger, nestLoggerFor } from '@prescriptchain/messaging';
import { AppModule } from './app.module';
import { GATEWAY_PRODUCTION_CONFIG, GatewayConfig } from './gateway.config';
import { GATEWAY_APP_OPTIONS, setupHttpApp } from './http/http-app.setup';

const logger = createLogger('gateway');

async function bootstrap() {
  checkProductionConfig('gateway', GATEWAY_PRODUCTION_CONFIG);
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    ...GATEWAY_APP_OPTIONS,
    logger: nestLoggerFor(logger),
  });
  setupHttpApp(app);
  // process.exit after the hooks: pino flushes on exit, and the exit code is 0 for a clean stop.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  const { port } = app.get(GatewayConfig);
  await app.listen(port);
  logger.info({ port }, 'gateway listening');
}

bootstrap().catch((err) => {
  logger.fatal({ err }, 'gateway failed to start');
  process.exit(1);
});
