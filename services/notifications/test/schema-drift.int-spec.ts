import path from 'node:path';
import { createTestDatabase, TestDatabase } from '../../../test/support/infra';
import { migrate } from '../../../tools/migrate';
import { schemaDrift } from '../../../tools/lib/schema-drift';

// Migrations are hand-written SQL: this keeps them and prisma/schema.prisma describing the same tables.
describe('notifications database schema', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('drift_notifications');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('matches prisma/schema.prisma after every migration is applied (tables, columns, types, nullability, keys)', async () => {
    const prisma = path.join(__dirname, '..', 'prisma');
    await migrate(db.url, path.join(prisma, 'migrations'));
    expect(
      await schemaDrift({ databaseUrl: db.url, schemaPath: path.join(prisma, 'schema.prisma') }),
    ).toEqual([]);
  });
});
