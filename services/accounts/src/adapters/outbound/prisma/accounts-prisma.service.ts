import { type DynamicModule, Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { serviceDatabaseUrl } from '@prescriptchain/messaging';
import { PrismaClient } from '../../../generated/prisma/client';

/** Accounts' own database; no other service reads it. */
export class AccountsPrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(databaseUrl: string) {
    super({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}

@Global()
@Module({})
export class AccountsPrismaModule {
  static forRoot(databaseUrl = serviceDatabaseUrl('accounts')): DynamicModule {
    return {
      module: AccountsPrismaModule,
      providers: [
        { provide: AccountsPrismaService, useFactory: () => new AccountsPrismaService(databaseUrl) },
      ],
      exports: [AccountsPrismaService],
    };
  }
}
