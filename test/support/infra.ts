/**
 * Per-suite infrastructure on the machine's real services: a throw-away PostgreSQL database and a
 * RabbitMQ vhost, created by the suite and dropped after it.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const AMQP_BASE_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const RABBIT_MGMT_URL = process.env.TEST_RABBITMQ_MGMT_URL ?? 'http://guest:guest@127.0.0.1:15672';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const suffix = () => `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = `pctest_${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${suffix()}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(PG_ADMIN_URL, name),
    async drop() {
      const c = new Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export interface TestVhost {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function mgmt(method: string, path: string, body?: unknown): Promise<Response> {
  const base = new URL(RABBIT_MGMT_URL);
  const auth = Buffer.from(
    `${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`,
  ).toString('base64');
  base.username = '';
  base.password = '';
  const res = await fetch(new URL(path, base), {
    method,
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok && res.status !== 404) throw new Error(`RabbitMQ management ${method} ${path}: ${res.status}`);
  return res;
}

export async function createTestVhost(prefix: string): Promise<TestVhost> {
  const name = `pctest_${prefix}_${suffix()}`;
  const enc = encodeURIComponent(name);
  await mgmt('PUT', `/api/vhosts/${enc}`);
  const user = decodeURIComponent(new URL(AMQP_BASE_URL).username || 'guest');
  await mgmt('PUT', `/api/permissions/${enc}/${encodeURIComponent(user)}`, {
    configure: '.*',
    write: '.*',
    read: '.*',
  });
  return {
    name,
    url: `${AMQP_BASE_URL.replace(/\/$/, '')}/${enc}`,
    drop: async () => {
      await mgmt('DELETE', `/api/vhosts/${enc}`);
    },
  };
}

/**
 * Closes every client connection to one vhost, as a broker restart or network cut would. The
 * management API lists a new connection only after its next stats tick (seconds), so this first
 * waits until at least `atLeast` connections (of that `named` client, if given) are listed.
 */
export async function closeVhostConnections(
  vhost: string,
  {
    atLeast = 1,
    timeoutMs = 15_000,
    named,
  }: {
    atLeast?: number;
    timeoutMs?: number;
    /** Only connections whose client-given name (`connection_name`) is this. */
    named?: string;
  } = {},
): Promise<number> {
  type Listed = { name: string; client_properties?: { connection_name?: string } };
  const list = async () =>
    (
      (await (await mgmt('GET', `/api/vhosts/${encodeURIComponent(vhost)}/connections`)).json()) as Listed[]
    ).filter((c) => named === undefined || c.client_properties?.connection_name === named);
  const conns = await eventually(
    async () => {
      const found = await list();
      return found.length >= atLeast ? found : undefined;
    },
    timeoutMs,
    250,
  );
  for (const c of conns) await mgmt('DELETE', `/api/connections/${encodeURIComponent(c.name)}`);
  return conns.length;
}

/** Message count of a queue in a vhost (as the management API reports it; refreshes every few seconds). */
export async function queueInfo(vhost: string, queue: string): Promise<{ messages: number } | null> {
  const res = await mgmt('GET', `/api/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(queue)}`);
  if (res.status === 404) return null;
  return (await res.json()) as { messages: number };
}

/** Polls until `check` returns a truthy value or the deadline passes. */
export async function eventually<T>(
  check: () => Promise<T> | T,
  timeoutMs = 10_000,
  everyMs = 50,
): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until)
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
