import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { PG_ADMIN_URL } from '../support/infra';
import { migrate } from '../../tools/migrate';

const run = promisify(execFile);
const MIGRATE_CLI = path.join(__dirname, '..', '..', 'tools', 'migrate.js');

const created: string[] = [];
const tmpDirs: string[] = [];

/** A URL for a database that does not exist yet (the runner must create it); dropped after the suite. */
function freshDatabaseUrl(): string {
  const name = `pctest_migrate_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  created.push(name);
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A migrations folder in Prisma's layout: <dir>/<name>/migration.sql plus migration_lock.toml. */
function migrationsDir(migrations: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-migrations-'));
  tmpDirs.push(dir);
  fs.writeFileSync(path.join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
  for (const [name, sql] of Object.entries(migrations)) addMigration(dir, name, sql);
  return dir;
}

function addMigration(dir: string, name: string, sql: string) {
  fs.mkdirSync(path.join(dir, name), { recursive: true });
  fs.writeFileSync(path.join(dir, name, 'migration.sql'), sql);
}

async function query<T = any>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

const FIRST = '20260101000000_create_thing';
const SECOND = '20260102000000_add_label';

afterAll(async () => {
  for (const name of created) await query(PG_ADMIN_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('migration runner', () => {
  it("creates a missing database and Prisma's _prisma_migrations table, applies folders in order with sha256 checksums", async () => {
    const url = freshDatabaseUrl();
    // The second folder only works after the first: order matters.
    const dir = migrationsDir({
      [SECOND]: 'ALTER TABLE "thing" ADD COLUMN "label" TEXT NOT NULL;',
      [FIRST]: 'CREATE TABLE "thing" ("id" SERIAL PRIMARY KEY);',
    });
    fs.mkdirSync(path.join(dir, 'not_a_migration'));

    const result = await migrate(url, dir);

    expect(result).toEqual({ created: true, applied: [FIRST, SECOND], alreadyApplied: 0 });
    const columns = await query(
      url,
      `SELECT column_name, data_type, character_maximum_length, is_nullable FROM information_schema.columns
        WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'character varying', character_maximum_length: 36, is_nullable: 'NO' },
      {
        column_name: 'checksum',
        data_type: 'character varying',
        character_maximum_length: 64,
        is_nullable: 'NO',
      },
      {
        column_name: 'finished_at',
        data_type: 'timestamp with time zone',
        character_maximum_length: null,
        is_nullable: 'YES',
      },
      {
        column_name: 'migration_name',
        data_type: 'character varying',
        character_maximum_length: 255,
        is_nullable: 'NO',
      },
      { column_name: 'logs', data_type: 'text', character_maximum_length: null, is_nullable: 'YES' },
      {
        column_name: 'rolled_back_at',
        data_type: 'timestamp with time zone',
        character_maximum_length: null,
        is_nullable: 'YES',
      },
      {
        column_name: 'started_at',
        data_type: 'timestamp with time zone',
        character_maximum_length: null,
        is_nullable: 'NO',
      },
      {
        column_name: 'applied_steps_count',
        data_type: 'integer',
        character_maximum_length: null,
        is_nullable: 'NO',
      },
    ]);
    const rows = await query(
      url,
      'SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, rolled_back_at, applied_steps_count FROM "_prisma_migrations" ORDER BY started_at',
    );
    expect(rows).toEqual([
      {
        migration_name: FIRST,
        checksum: sha256(path.join(dir, FIRST, 'migration.sql')),
        finished: true,
        rolled_back_at: null,
        applied_steps_count: 1,
      },
      {
        migration_name: SECOND,
        checksum: sha256(path.join(dir, SECOND, 'migration.sql')),
        finished: true,
        rolled_back_at: null,
        applied_steps_count: 1,
      },
    ]);
    expect(
      await query(
        url,
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'thing' ORDER BY ordinal_position`,
      ),
    ).toEqual([{ column_name: 'id' }, { column_name: 'label' }]);
  });

  it('is idempotent, and applies only folders added since the last run', async () => {
    const url = freshDatabaseUrl();
    const dir = migrationsDir({ [FIRST]: 'CREATE TABLE "thing" ("id" SERIAL PRIMARY KEY);' });
    await migrate(url, dir);

    expect(await migrate(url, dir)).toEqual({ created: false, applied: [], alreadyApplied: 1 });
    addMigration(dir, SECOND, 'ALTER TABLE "thing" ADD COLUMN "label" TEXT;');
    expect(await migrate(url, dir)).toEqual({ created: false, applied: [SECOND], alreadyApplied: 1 });
    expect(await query(url, 'SELECT migration_name FROM "_prisma_migrations" ORDER BY started_at')).toEqual([
      { migration_name: FIRST },
      { migration_name: SECOND },
    ]);
  });

  it('applies each migration exactly once when two processes start at once on a database that does not exist yet', async () => {
    const url = freshDatabaseUrl();
    // Not re-runnable SQL, slowed down: a double apply would fail one process, a lost race would show as two rows.
    const dir = migrationsDir({
      [FIRST]: 'CREATE TABLE "thing" ("id" SERIAL PRIMARY KEY); SELECT pg_sleep(0.3);',
      [SECOND]: 'ALTER TABLE "thing" ADD COLUMN "label" TEXT; SELECT pg_sleep(0.3);',
    });

    const both = await Promise.all(
      [1, 2].map(() => run(process.execPath, [MIGRATE_CLI, '--url', url, '--dir', dir], { timeout: 20_000 })),
    );

    const outputs = both.map((r) => r.stdout.trim()).sort();
    expect(outputs).toEqual([
      expect.stringContaining(`applied ${FIRST}, ${SECOND}`),
      expect.stringContaining('nothing to apply (2 already applied)'),
    ]);
    expect(
      await query(
        url,
        'SELECT migration_name, count(*)::int AS n FROM "_prisma_migrations" GROUP BY 1 ORDER BY 1',
      ),
    ).toEqual([
      { migration_name: FIRST, n: 1 },
      { migration_name: SECOND, n: 1 },
    ]);
  });

  it('refuses to run when an applied migration was edited afterwards, and applies nothing newer', async () => {
    const url = freshDatabaseUrl();
    const dir = migrationsDir({ [FIRST]: 'CREATE TABLE "thing" ("id" SERIAL PRIMARY KEY);' });
    await migrate(url, dir);
    fs.writeFileSync(
      path.join(dir, FIRST, 'migration.sql'),
      'CREATE TABLE "thing" ("id" BIGSERIAL PRIMARY KEY);',
    );
    addMigration(dir, SECOND, 'CREATE TABLE "other" ("id" INT);');

    await expect(migrate(url, dir)).rejects.toThrow(
      new RegExp(`migration ${FIRST} was modified after it was applied`),
    );
    expect(await query(url, `SELECT to_regclass('public.other') AS t`)).toEqual([{ t: null }]);
    expect(await query(url, 'SELECT count(*)::int AS n FROM "_prisma_migrations"')).toEqual([{ n: 1 }]);
  });

  it('rolls a failing migration back completely and records nothing, so it can be fixed and re-run', async () => {
    const url = freshDatabaseUrl();
    const dir = migrationsDir({ [FIRST]: 'CREATE TABLE "thing" ("id" INT); SELECT 1 / 0;' });

    await expect(migrate(url, dir)).rejects.toThrow(
      /20260101000000_create_thing failed and was rolled back: division by zero/,
    );
    expect(await query(url, `SELECT to_regclass('public.thing') AS t`)).toEqual([{ t: null }]);
    expect(await query(url, 'SELECT count(*)::int AS n FROM "_prisma_migrations"')).toEqual([{ n: 0 }]);

    fs.writeFileSync(path.join(dir, FIRST, 'migration.sql'), 'CREATE TABLE "thing" ("id" INT);');
    expect((await migrate(url, dir)).applied).toEqual([FIRST]);
  });
});
