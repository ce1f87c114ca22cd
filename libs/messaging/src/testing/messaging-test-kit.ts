/**
 * Test support for the messaging kit's integration suites (not exported from the package): a
 * PostgreSQL client with Prisma's raw-SQL shape, the messaging tables, a raw capture queue.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as amqplib from 'amqplib';
import { Pool, type PoolClient } from 'pg';
import { type TestDatabase, createTestDatabase, eventually, rabbitMgmt } from '../../../../test/support/infra';
import type { MessagingLogger } from '../logger';
import type { SqlClient, SqlExecutor } from '../sql/sql-client';

export const MESSAGING_TABLES_SQL = readFileSync(join(__dirname, '..', 'sql', 'messaging-tables.sql'), 'utf8');

/** `pg` behind the same three methods a Prisma 7 client offers (`$executeRawUnsafe` → affected rows). */
export class PgSqlClient implements SqlClient {
  readonly pool: Pool;
  constructor(url: string) {
    this.pool = new Pool({ connectionString: url, max: 10 });
    // Idle clients are killed when a suite drops its database; that must not crash the run.
    this.pool.on('error', () => undefined);
  }
  async $executeRawUnsafe(query: string, ...values: any[]): Promise<number> {
    return (await this.pool.query(query, values)).rowCount ?? 0;
  }
  async $queryRawUnsafe<T = unknown>(query: string, ...values: any[]): Promise<T> {
    return (await this.pool.query(query, values)).rows as T;
  }
  async $transaction<R>(fn: (tx: SqlExecutor) => Promise<R>): Promise<R> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(executorOn(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
  end(): Promise<void> {
    return this.pool.end();
  }
}

function executorOn(client: PoolClient): SqlExecutor {
  return {
    $executeRawUnsafe: async (query, ...values) => (await client.query(query, values)).rowCount ?? 0,
    $queryRawUnsafe: async <T>(query: string, ...values: any[]) => (await client.query(query, values)).rows as T,
  };
}

export interface MessagingDb {
  database: TestDatabase;
  sql: PgSqlClient;
  drop(): Promise<void>;
}

/** A fresh database with the outbox/inbox tables (plus any extra DDL the suite needs). */
export async function createMessagingDb(prefix: string, extraDdl = ''): Promise<MessagingDb> {
  const database = await createTestDatabase(prefix);
  const sql = new PgSqlClient(database.url);
  await sql.pool.query(MESSAGING_TABLES_SQL + extraDdl);
  return {
    database,
    sql,
    async drop() {
      await sql.end().catch(() => undefined);
      await database.drop();
    },
  };
}

/** Records what the kit logs, so suites stay quiet and can assert on warnings. */
export function recordingLogger(): MessagingLogger & { lines: { level: string; msg: string; obj: Record<string, unknown> }[] } {
  const lines: { level: string; msg: string; obj: Record<string, unknown> }[] = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg: string) => {
    lines.push({ level, msg, obj });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export interface CapturedQueue {
  messages: amqplib.ConsumeMessage[];
  channel: amqplib.Channel;
  close(): Promise<void>;
}

/** A plain amqplib consumer on a fresh exclusive queue bound to `exchange` with `bindingKey`. */
export async function captureQueue(url: string, exchange: string, bindingKey = '#'): Promise<CapturedQueue> {
  const conn = await amqplib.connect(url);
  const channel = await conn.createChannel();
  await channel.assertExchange(exchange, 'topic', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true });
  await channel.bindQueue(queue, exchange, bindingKey);
  const messages: amqplib.ConsumeMessage[] = [];
  await channel.consume(queue, (m) => m && messages.push(m), { noAck: true });
  return { messages, channel, close: () => conn.close().catch(() => undefined) };
}

/** Drains a queue with basic.get (the broker's own view of what is in it). */
export async function drainQueue(url: string, queue: string): Promise<amqplib.GetMessage[]> {
  const conn = await amqplib.connect(url);
  try {
    const ch = await conn.createChannel();
    const out: amqplib.GetMessage[] = [];
    for (;;) {
      const m = await ch.get(queue, { noAck: true });
      if (!m) return out;
      out.push(m);
    }
  } finally {
    await conn.close().catch(() => undefined);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until RabbitMQ's management API lists client connections with these names in the vhost (it
 * lags new connections by up to its stats interval, ~5 s), so that a cut really hits them.
 */
export async function waitForListedConnections(vhost: string, names: string[], timeoutMs = 10_000): Promise<void> {
  await eventually(
    async () => {
      const res = await rabbitMgmt('GET', `/api/vhosts/${encodeURIComponent(vhost)}/connections`);
      const listed = ((await res.json()) as { client_properties?: { connection_name?: string } }[]).map(
        (c) => c.client_properties?.connection_name,
      );
      return names.every((n) => listed.includes(n));
    },
    timeoutMs,
    200,
  );
}
