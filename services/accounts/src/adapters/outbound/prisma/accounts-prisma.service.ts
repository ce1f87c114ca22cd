import { type DynamicModule, Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { serviceDatabaseUrl } from '@prescriptchain/messaging';
import { PrismaClient } from '../../../generated/prisma/client';

/** Accounts' own database; no other service reads it. */
export class AccountsPrismaService extends PrismaClient implements OnApplicationShutdown {
  /**
   * The connections Prisma queries on, shared with the debit's plain `pg` transactions (the hot path,
   * without Prisma's interactive-transaction machinery). Ended by `$disconnect`.
   */
  readonly pool: Pool;

  constructor(databaseUrl: string) {
    const pool = new Pool({ connectionString: databaseUrl });
    // A dropped idle connection is replaced by the pool; the next query reports any real outage.
    pool.on('error', () => undefined);
    super({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
    this.pool = pool;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
    // A client that never queried through Prisma has not handed it the pool to dispose of.
    if (!this.pool.ended) await this.pool.end();
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
