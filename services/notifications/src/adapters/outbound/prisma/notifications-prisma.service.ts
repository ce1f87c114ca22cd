import { type DynamicModule, Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { serviceDatabaseUrl } from '@prescriptchain/messaging';
import { PrismaClient } from '../../../generated/prisma/client';

/** Notifications' own database; no other service reads it. */
export class NotificationsPrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(databaseUrl: string) {
    super({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}

@Global()
@Module({})
export class NotificationsPrismaModule {
  static forRoot(databaseUrl = serviceDatabaseUrl('notifications')): DynamicModule {
    return {
      module: NotificationsPrismaModule,
      providers: [{ provide: NotificationsPrismaService, useFactory: () => new NotificationsPrismaService(databaseUrl) }],
      exports: [NotificationsPrismaService],
    };
  }
}
