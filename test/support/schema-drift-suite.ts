import path from 'node:path';
import { migrate } from '../../tools/migrate';
import { schemaDrift } from '../../tools/lib/schema-drift';
import { createTestDatabase, type TestDatabase } from './infra';

/**
 * A service's migrations are hand-written SQL: this suite applies every one to a throw-away database
 * and checks that they and the service's prisma/schema.prisma describe the same tables.
 */
export function describeSchemaDrift(service: string, serviceDir: string): void {
  describe(`${service} database schema`, () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase(`drift_${service}`);
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('matches prisma/schema.prisma after every migration is applied (tables, columns, types, nullability, keys)', async () => {
      const prisma = path.join(serviceDir, 'prisma');
      await migrate(db.url, path.join(prisma, 'migrations'));
      expect(
        await schemaDrift({ databaseUrl: db.url, schemaPath: path.join(prisma, 'schema.prisma') }),
      ).toEqual([]);
    });
  });
}
