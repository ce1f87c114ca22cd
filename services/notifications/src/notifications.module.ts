import { type DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@prescriptchain/messaging';
import {
  NotificationsPrismaModule,
  NotificationsPrismaService,
} from './adapters/outbound/prisma/notifications-prisma.service';
import { NotificationsCoreModule, type NotificationsCoreOptions } from './notifications-core.module';

export interface NotificationsModuleOptions extends NotificationsCoreOptions {
  /** Default: NOTIFICATIONS_DATABASE_URL. */
  databaseUrl?: string;
  /** Default: AMQP_URL. */
  amqpUrl?: string;
}

const wiring = (options: NotificationsModuleOptions = {}) => [
  NotificationsPrismaModule.forRoot(options.databaseUrl),
  MessagingModule.forService({
    service: 'notifications',
    prismaToken: NotificationsPrismaService,
    url: options.amqpUrl,
  }),
  NotificationsCoreModule.forRoot(options),
];

/** The only place ports are bound to adapters (with NotificationsCoreModule). */
@Module({ imports: wiring() })
export class NotificationsModule {
  /** The same wiring against another database, broker or e-mail sender (integration tests). */
  static withOptions(options: NotificationsModuleOptions): DynamicModule {
    return { module: ConfiguredNotificationsModule, imports: wiring(options) };
  }
}

@Module({})
class ConfiguredNotificationsModule {}
