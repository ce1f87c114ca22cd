import { type DynamicModule, Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { serviceDatabaseUrl } from '@prescriptchain/messaging';
import { PrismaClient } from '../../../generated/prisma/client';

/** Pharmacy' own database; no other service reads it. */
export class PharmacyPrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(databaseUrl: string) {
    super({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}

@Global()
@Module({})
export class PharmacyPrismaModule {
  static forRoot(databaseUrl = serviceDatabaseUrl('pharmacy')): DynamicModule {
    return {
      module: PharmacyPrismaModule,
      providers: [
        { provide: PharmacyPrismaService, useFactory: () => new PharmacyPrismaService(databaseUrl) },
      ],
      exports: [PharmacyPrismaService],
    };
  }
}
