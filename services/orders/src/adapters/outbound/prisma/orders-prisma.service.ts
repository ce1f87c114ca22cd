import { type DynamicModule, Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { serviceDatabaseUrl } from '@prescriptchain/messaging';
import { PrismaClient } from '../../../generated/prisma/client';

/** Orders' own database; no other service reads it. */
export class OrdersPrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(databaseUrl: string) {
    super({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}

@Global()
@Module({})
export class OrdersPrismaModule {
  static forRoot(databaseUrl = serviceDatabaseUrl('orders')): DynamicModule {
    return {
      module: OrdersPrismaModule,
      providers: [{ provide: OrdersPrismaService, useFactory: () => new OrdersPrismaService(databaseUrl) }],
      exports: [OrdersPrismaService],
    };
  }
}
