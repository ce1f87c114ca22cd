import {
  Controller,
  type DynamicModule,
  Inject,
  Injectable,
  type InjectionToken,
  Module,
  type ModuleMetadata,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type Type,
} from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { type PingReply, RPC } from '@prescriptchain/contracts';
import { AmqpConnection } from '../amqp/amqp.connection';
import type { ServiceQueueOwner } from '../amqp/service.topology';
import { Inbox } from '../inbox/inbox';
import type { MessagingLogger } from '../logger';
import { MessagingMetrics } from '../metrics/messaging.metrics';
import { Outbox, type OutboxOptions } from '../outbox/outbox';
import type { SqlClient } from '../sql/sql-client';

export interface MessagingModuleOptions {
  service: ServiceQueueOwner;
  /** DI token of the service's PrismaClient (anything with `$executeRawUnsafe/$queryRawUnsafe/$transaction`). */
  prismaToken: InjectionToken;
  /** The module exporting `prismaToken`, unless it is global. */
  imports?: ModuleMetadata['imports'];
  /** Broker URL. Default: `process.env.AMQP_URL`. */
  url?: string;
  /** Relay tuning (batch size, sweep period, retention...). */
  outbox?: Omit<OutboxOptions, 'db' | 'connection' | 'service' | 'metrics' | 'inbox' | 'logger'>;
  /** Answer `<service>.system.ping` with this service's messaging counters. Default true. */
  ping?: boolean;
  logger?: MessagingLogger;
}

/** Starts the relay once the app is up; on shutdown publishes what is pending, then disconnects. */
@Injectable()
class MessagingLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(AmqpConnection) private readonly connection: AmqpConnection,
  ) {}

  onApplicationBootstrap(): void {
    this.outbox.start();
  }

  // The earliest shutdown hook: the flush needs the database client still connected.
  async onModuleDestroy(): Promise<void> {
    await this.outbox.stop();
    await this.connection.close();
  }
}

function pingController(service: ServiceQueueOwner): Type<unknown> {
  @Controller()
  class MessagingPingController {
    constructor(@Inject(MessagingMetrics) private readonly metrics: MessagingMetrics) {}

    @MessagePattern(RPC.ping(service))
    async ping(): Promise<PingReply> {
      return { service, status: 'up', messaging: await this.metrics.snapshot() };
    }
  }
  return MessagingPingController;
}

/**
 * Wires one service's messaging: Outbox (relay started on bootstrap, flushed on shutdown), Inbox,
 * MessagingMetrics, the outbox's AmqpConnection and the ping RPC. Global, so use-case modules can
 * inject Outbox / Inbox directly. Consuming is AmqpTransport's job (see createServiceMicroservice).
 */
@Module({})
export class MessagingModule {
  static forService(options: MessagingModuleOptions): DynamicModule {
    const url = options.url ?? process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
    if (!url) throw new Error('MessagingModule: no broker URL (set AMQP_URL or pass url)');
    return {
      module: MessagingModule,
      global: true,
      imports: options.imports ?? [],
      controllers: options.ping === false ? [] : [pingController(options.service)],
      providers: [
        { provide: MessagingMetrics, useFactory: () => MessagingMetrics.forService(options.service) },
        {
          provide: AmqpConnection,
          useFactory: () => new AmqpConnection({ url, name: `${options.service}-outbox`, logger: options.logger }),
        },
        { provide: Inbox, useFactory: (db: SqlClient) => new Inbox(db), inject: [options.prismaToken] },
        {
          provide: Outbox,
          useFactory: (db: SqlClient, connection: AmqpConnection, metrics: MessagingMetrics, inbox: Inbox) =>
            new Outbox({ ...options.outbox, db, connection, service: options.service, metrics, inbox, logger: options.logger }),
          inject: [options.prismaToken, AmqpConnection, MessagingMetrics, Inbox],
        },
        MessagingLifecycle,
      ],
      exports: [MessagingMetrics, AmqpConnection, Inbox, Outbox],
    };
  }
}
