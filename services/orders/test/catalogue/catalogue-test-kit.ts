import path from 'node:path';
import { type Abstract, type INestApplicationContext, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/infra';
import { migrate } from '../../../../tools/migrate';
import {
  OrdersPrismaModule,
  OrdersPrismaService,
} from '../../src/adapters/outbound/prisma/orders-prisma.service';
import { CatalogueModule } from '../../src/catalogue.module';

export const MIGRATIONS = path.join(__dirname, '..', '..', 'prisma', 'migrations');

export interface CatalogueKit {
  db: TestDatabase;
  app: INestApplicationContext;
  prisma: OrdersPrismaService;
  get<T>(type: Type<T> | Abstract<T>): T;
  close(): Promise<void>;
}

/** A migrated throw-away database and the CatalogueModule on it (seeded at init, as at start-up). */
export async function startCatalogue(prefix: string): Promise<CatalogueKit> {
  const db = await createTestDatabase(prefix);
  await migrate(db.url, MIGRATIONS);
  @Module({ imports: [OrdersPrismaModule.forRoot(db.url), CatalogueModule] })
  class TestModule {}
  const app = await NestFactory.createApplicationContext(TestModule, {
    logger: false,
    abortOnError: false,
  }).catch(async (err: unknown) => {
    await db.drop();
    throw err;
  });
  return {
    db,
    app,
    prisma: app.get(OrdersPrismaService),
    get: (type) => app.get(type),
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
