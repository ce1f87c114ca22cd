import type { DynamicModule, Type } from '@nestjs/common';
import type { ServiceName } from '@prescriptchain/contracts';
import { createLogger, nestLoggerFor } from '../observability/logger';
import { shutdownTelemetry } from '../observability/telemetry';
import { createServiceMicroservice } from './create-service-microservice';

/** `<SERVICE>_DATABASE_URL`, defaulting to the local `prescriptchain_<service>` database. */
export function serviceDatabaseUrl(service: ServiceName, env: NodeJS.ProcessEnv = process.env): string {
  return (
    env[`${service.toUpperCase()}_DATABASE_URL`] ||
    `postgresql://postgres@127.0.0.1:5432/prescriptchain_${service}`
  );
}

const numbers = (raw: string | undefined) =>
  raw
    ?.split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n >= 0);

/**
 * A service process's whole life: JSON logs, the microservice on AmqpTransport, and on SIGTERM or
 * SIGINT a graceful stop (stop consuming, finish in-flight handlers, flush the outbox, close
 * connections, flush traces) ending with exit code 0. A failed start exits 1 with one log line.
 * A service's main calls checkProductionConfig before it loads its module (see production-config).
 */
export async function runService(
  module: Type<unknown> | DynamicModule,
  { service }: { service: ServiceName },
) {
  const env = process.env;
  const logger = createLogger(service);
  try {
    const app = await createServiceMicroservice(module, {
      service,
      url: env.AMQP_URL || 'amqp://guest:guest@127.0.0.1:5672',
      prefetch: env.MESSAGING_PREFETCH ? Number(env.MESSAGING_PREFETCH) : undefined,
      retryDelaysMs: numbers(env.MESSAGING_RETRY_DELAYS_MS),
      logger,
      shutdownHooks: false,
      nest: { logger: nestLoggerFor(logger) },
    });
    let stopping = false;
    const stop = async (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping');
      try {
        await app.close();
        await shutdownTelemetry();
        logger.info({}, 'stopped');
        process.exit(0);
      } catch (err) {
        logger.error({ err }, 'unclean stop');
        process.exit(1);
      }
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    await app.listen();
    logger.info({}, `${service} listening`);
  } catch (err) {
    logger.fatal({ err }, `${service} failed to start`);
    await shutdownTelemetry().catch(() => undefined);
    process.exit(1);
  }
}
