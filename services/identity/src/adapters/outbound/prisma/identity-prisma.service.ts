import { type DynamicModule, Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from '../../../generated/prisma/client';

export type IdentityDb = PrismaClient | Prisma.TransactionClient;

/** Identity's Prisma client over node-postgres; the only one in the process. */
export class IdentityPrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(databaseUrl: string) {
    super({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
  }

  // The last shutdown phase: the outbox flushes in onModuleDestroy and still needs the database.
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}

/**
 * Global so that the messaging kit (outbox relay, inbox) can inject the same client as
 * `prismaToken: IdentityPrismaService` wherever it is imported.
 */
@Global()
@Module({})
export class IdentityPrismaModule {
  static forRoot(databaseUrl: string): DynamicModule {
    return {
      module: IdentityPrismaModule,
      providers: [
        { provide: IdentityPrismaService, useFactory: () => new IdentityPrismaService(databaseUrl) },
      ],
      exports: [IdentityPrismaService],
    };
  }
}

/** A unique-constraint violation (e.g. two registrations of one email racing). */
export const isUniqueViolation = (err: unknown) =>
  err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';
