import { type DynamicModule, Inject, Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import { Outbox } from '@prescriptchain/messaging';
import { DirectoryConsumer } from './adapters/inbound/amqp/directory.consumer';
import { NotifyConsumer } from './adapters/inbound/amqp/notify.consumer';
import { NotificationsRpcController } from './adapters/inbound/rpc/notifications-rpc.controller';
import { DeliveryDispatchPoller } from './adapters/inbound/scheduler/delivery-dispatch.poller';
import { createEmailSender } from './adapters/outbound/email/email-sender.factory';
import { NotificationsPrismaService } from './adapters/outbound/prisma/notifications-prisma.service';
import { PrismaNotificationsStore } from './adapters/outbound/prisma/prisma-notifications.store';
import { Clock } from './application/clock';
import { RecordDirectoryHandler } from './application/directory/record-directory.handler';
import { DispatchDeliveriesHandler } from './application/dispatch-deliveries/dispatch-deliveries.handler';
import { ListDeliveriesHandler } from './application/list-deliveries/list-deliveries.handler';
import { MarkReadHandler } from './application/mark-read/mark-read.handler';
import { type NotificationsConfig, notificationsConfigFromEnv } from './application/notifications-config';
import { NOTIFICATIONS_CONFIG } from './application/notifications-config.token';
import { NotifyHandler } from './application/notify/notify.handler';
import { PollNotificationsHandler } from './application/poll-notifications/poll-notifications.handler';
import { EmailSender } from './application/ports/email-sender';
import { NotificationsStore } from './application/ports/notifications-store';

export interface NotificationsCoreOptions {
  /** Default: read from the environment when the app starts. */
  config?: NotificationsConfig;
  /** Default: chosen by the config (SendGrid, SMTP or a mail directory). */
  emailSender?: EmailSender;
  clock?: Clock;
}

/** Closes the e-mail sender's connections with the app. */
@Injectable()
class EmailSenderLifecycle implements OnModuleDestroy {
  constructor(@Inject(EmailSender) private readonly sender: EmailSender) {}
  async onModuleDestroy(): Promise<void> {
    await this.sender.close();
  }
}

/**
 * Notifications' use cases bound to their adapters. Needs NotificationsPrismaService and the
 * messaging kit's Outbox (both global, from notifications.module.ts).
 */
@Module({})
export class NotificationsCoreModule {
  static forRoot(options: NotificationsCoreOptions = {}): DynamicModule {
    return {
      module: NotificationsCoreModule,
      controllers: [DirectoryConsumer, NotifyConsumer, NotificationsRpcController],
      providers: [
        { provide: NOTIFICATIONS_CONFIG, useFactory: () => options.config ?? notificationsConfigFromEnv() },
        { provide: Clock, useValue: options.clock ?? new Clock() },
        {
          provide: EmailSender,
          useFactory: (config: NotificationsConfig) => options.emailSender ?? createEmailSender(config.mail),
          inject: [NOTIFICATIONS_CONFIG],
        },
        {
          provide: NotificationsStore,
          useFactory: (prisma: NotificationsPrismaService, outbox: Outbox, config: NotificationsConfig) =>
            // A dispatch transaction holds its rows while the batch is being sent.
            new PrismaNotificationsStore(prisma, outbox, {
              transactionTimeoutMs: config.dispatch.sendTimeoutMs + 15_000,
            }),
          inject: [NotificationsPrismaService, Outbox, NOTIFICATIONS_CONFIG],
        },
        RecordDirectoryHandler,
        NotifyHandler,
        DispatchDeliveriesHandler,
        PollNotificationsHandler,
        MarkReadHandler,
        ListDeliveriesHandler,
        DeliveryDispatchPoller,
        EmailSenderLifecycle,
      ],
      exports: [
        NotificationsStore,
        EmailSender,
        DispatchDeliveriesHandler,
        DeliveryDispatchPoller,
        NOTIFICATIONS_CONFIG,
      ],
    };
  }
}
