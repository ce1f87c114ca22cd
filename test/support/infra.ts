/**
 * Per-suite infrastructure on the machine's real services: a throw-away PostgreSQL database and a
 * RabbitMQ vhost, created by the suite and dropped after it.
 */
import {
  AMQP_BASE_URL,
  PG_ADMIN_URL,
  RABBIT_MGMT_URL,
  REDIS_URL,
  type ScratchDatabase,
  type ScratchVhost,
  createScratchDatabase,
  createScratchVhost,
  rabbitMgmt,
} from '../../tools/lib/scratch';

// One implementation for suites and tools (tools/lib is plain JS, so the TypeScript side wraps it).
export { AMQP_BASE_URL, PG_ADMIN_URL, RABBIT_MGMT_URL, REDIS_URL, rabbitMgmt };

export type TestDatabase = ScratchDatabase;
export type TestVhost = ScratchVhost;

/** A fresh database `pctest_<prefix>_<unique suffix>`, dropped (forcibly) by `drop()`. */
export const createTestDatabase = (prefix: string): Promise<TestDatabase> => createScratchDatabase(`pctest_${prefix}`);

/** A fresh vhost `pctest_<prefix>_<unique suffix>` the AMQP user may use, deleted by `drop()`. */
export const createTestVhost = (prefix: string): Promise<TestVhost> => createScratchVhost(`pctest_${prefix}`);

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
      (await (await rabbitMgmt('GET', `/api/vhosts/${encodeURIComponent(vhost)}/connections`)).json()) as Listed[]
    ).filter((c) => named === undefined || c.client_properties?.connection_name === named);
  const conns = await eventually(
    async () => {
      const found = await list();
      return found.length >= atLeast ? found : undefined;
    },
    timeoutMs,
    250,
  );
  for (const c of conns) await rabbitMgmt('DELETE', `/api/connections/${encodeURIComponent(c.name)}`);
  return conns.length;
}

/** Message count of a queue in a vhost (as the management API reports it; refreshes every few seconds). */
export async function queueInfo(vhost: string, queue: string): Promise<{ messages: number } | null> {
  const res = await rabbitMgmt('GET', `/api/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(queue)}`);
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
