import type { DynamicModule, INestMicroservice, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AmqpTransport, type AmqpTransportOptions } from '../amqp/amqp.transport';
import { MessagingExceptionFilter } from '../amqp/messaging-exception.filter';

export interface ServiceMicroserviceOptions extends AmqpTransportOptions {
  /** Options for NestFactory.createMicroservice (logger, bufferLogs...). */
  nest?: Omit<NonNullable<Parameters<typeof NestFactory.createMicroservice>[1]>, 'strategy'>;
  /** Close gracefully on SIGTERM/SIGINT. Default true. */
  shutdownHooks?: boolean;
}

/**
 * A service's Nest microservice on AmqpTransport, wired the one way we want: CodedErrors reach the
 * transport intact (MessagingExceptionFilter), the transport counts into the same
 * MessagingMetrics.forService(service) as MessagingModule, shutdown hooks drain in-flight handlers
 * and flush the outbox. Call `listen()`.
 *
 *   const app = await createServiceMicroservice(AccountsModule, { service: 'accounts', url: env.AMQP_URL });
 *   await app.listen();
 */
export async function createServiceMicroservice(
  module: Type<unknown> | DynamicModule,
  options: ServiceMicroserviceOptions,
): Promise<INestMicroservice> {
  const { nest, shutdownHooks = true, ...transportOptions } = options;
  const transport = new AmqpTransport(transportOptions);
  const app = await NestFactory.createMicroservice(module, { ...nest, strategy: transport });
  app.useGlobalFilters(new MessagingExceptionFilter());
  if (shutdownHooks) app.enableShutdownHooks();
  return app;
}
