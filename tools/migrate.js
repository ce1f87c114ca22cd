'use strict';
// Applies hand-written SQL migrations (Prisma's folder layout) because Prisma Migrate's engine cannot
// be downloaded here. It records them in Prisma's own `_prisma_migrations` table with Prisma's
// checksum (sha256 of migration.sql), so `prisma migrate deploy` and this runner stay interchangeable.
//
//   node tools/migrate.js                  every service, URLs from tools/lib/config.js
//   node tools/migrate.js orders pharmacy  some services
//   node tools/migrate.js --url <postgresql://…> --dir <migrations dir>
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { Client } = require('pg');

// Prisma Migrate takes this same advisory lock, so the two never run at once on one database.
const ADVISORY_LOCK_KEY = 72707369;
const LOCK_TIMEOUT = '120s';

const MIGRATIONS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

class MigrationError extends Error {
  constructor(message) {
    super(message);
    this.name = 'MigrationError';
  }
}

const quoteIdent = (name) => `"${name.replace(/"/g, '""')}"`;

function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

function databaseName(url) {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!name) throw new MigrationError(`database URL has no database name: ${redact(url)}`);
  return name;
}

/** The URL without its password, for messages. */
function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}

/** Creates the database when it does not exist; safe when several processes try at once. */
async function ensureDatabase(databaseUrl) {
  const name = databaseName(databaseUrl);
  const admin = new Client({ connectionString: withDatabase(databaseUrl, 'postgres') });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    try {
      await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
      return true;
    } catch (e) {
      // 42P04 duplicate_database, or 23505 when a concurrent CREATE won the catalogue race.
      if (e.code === '42P04' || e.code === '23505') return false;
      throw e;
    }
  } finally {
    await admin.end();
  }
}

/** Migration folders (those holding a migration.sql), in name order = timestamp order. */
function readMigrations(migrationsDir) {
  if (!fs.existsSync(migrationsDir)) throw new MigrationError(`no migrations directory at ${migrationsDir}`);
  return fs
    .readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(migrationsDir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(migrationsDir, name, 'migration.sql'));
      return {
        name,
        sql: sql.toString('utf8'),
        checksum: crypto.createHash('sha256').update(sql).digest('hex'),
      };
    });
}

/**
 * Brings one database up to date with a migrations folder.
 * @param {string} databaseUrl
 * @param {string} migrationsDir
 * @param {{ log?: (line: string) => void }} [options] log receives warnings
 * @returns {Promise<{ created: boolean, applied: string[], alreadyApplied: number }>}
 */
async function migrate(databaseUrl, migrationsDir, options = {}) {
  const log = options.log ?? (() => {});
  const migrations = readMigrations(migrationsDir);
  const created = await ensureDatabase(databaseUrl);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`SET lock_timeout = '${LOCK_TIMEOUT}'`);
    // A session lock around the whole run: a second process waits, then finds nothing left to do.
    await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
    try {
      await client.query(MIGRATIONS_TABLE_DDL);
      const { rows } = await client.query(
        'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL ORDER BY started_at',
      );
      const unfinished = rows.filter((r) => r.finished_at === null);
      if (unfinished.length) {
        throw new MigrationError(
          `${redact(databaseUrl)}: migration ${unfinished.map((r) => r.migration_name).join(', ')} started but never finished ` +
            `(a failed \`prisma migrate deploy\`?). Fix the database, then mark it with \`prisma migrate resolve\` or delete its _prisma_migrations row.`,
        );
      }
      const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
      for (const m of migrations) {
        const recorded = applied.get(m.name);
        if (recorded !== undefined && recorded !== m.checksum) {
          throw new MigrationError(
            `${redact(databaseUrl)}: migration ${m.name} was modified after it was applied ` +
              `(checksum ${recorded} in the database, ${m.checksum} on disk). Applied migrations are immutable: ` +
              `restore the file and put the change in a new migration (a throw-away development database may instead be dropped: set-up recreates it).`,
          );
        }
      }
      const local = new Set(migrations.map((m) => m.name));
      for (const name of applied.keys()) {
        if (!local.has(name))
          log(
            `warning: ${databaseName(databaseUrl)} has migration ${name}, which is not in ${migrationsDir}`,
          );
      }
      const done = [];
      for (const m of migrations.filter((x) => !applied.has(x.name))) {
        await client.query('BEGIN');
        try {
          const startedAt = new Date();
          await client.query(m.sql);
          await client.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
             VALUES ($1, $2, now(), $3, NULL, NULL, $4, 1)`,
            [crypto.randomUUID(), m.checksum, m.name, startedAt],
          );
          await client.query('COMMIT');
        } catch (e) {
          await client.query('ROLLBACK').catch(() => {});
          throw new MigrationError(
            `${databaseName(databaseUrl)}: migration ${m.name} failed and was rolled back: ${e.message}`,
          );
        }
        done.push(m.name);
      }
      return { created, applied: done, alreadyApplied: migrations.length - done.length };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end();
  }
}

/** Migrates the named services' databases (all by default), printing one line each. */
async function migrateServices(services, { log = console.log, env = process.env } = {}) {
  const config = require('./lib/config');
  for (const svc of services ?? config.SERVICES) {
    const url = config.databaseUrl(svc, env);
    const r = await migrate(url, config.migrationsDir(svc), { log: (l) => log(`  ${svc}: ${l}`) });
    const what = r.applied.length ? `applied ${r.applied.length} (${r.applied.join(', ')})` : 'up to date';
    log(`migrate ${svc}: ${r.created ? 'created database, ' : ''}${what} — ${databaseName(url)}`);
  }
}

async function main(argv) {
  const args = argv.slice(2);
  const opt = (flag) => {
    const i = args.indexOf(flag);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const url = opt('--url');
  const dir = opt('--dir');
  if (url || dir) {
    if (!url || !dir) throw new MigrationError('--url and --dir go together');
    const r = await migrate(url, path.resolve(dir), { log: console.log });
    const what = r.applied.length ? `applied ${r.applied.join(', ')}` : 'nothing to apply';
    console.log(
      `migrate: ${r.created ? 'created database, ' : ''}${what} (${r.alreadyApplied} already applied)`,
    );
    return;
  }
  await migrateServices(args.length ? args : undefined);
}

if (require.main === module) {
  main(process.argv).catch((e) => {
    console.error(`migrate failed: ${e.message}`);
    process.exit(1);
  });
}

module.exports = {
  migrate,
  migrateServices,
  ensureDatabase,
  readMigrations,
  MigrationError,
  ADVISORY_LOCK_KEY,
};
