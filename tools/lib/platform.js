'use strict';
// The whole platform on throw-away infrastructure, for e2e suites (test/e2e/support/platform.ts
// re-exports this) and benchmarks: the five services and the gateway as real child processes (the
// built dist/main.js of each, started as `npm start` starts them), each service on its own fresh,
// migrated database, all on a fresh RabbitMQ vhost, the gateway on a free port. ORDERS_REPLICAS (in
// `env`, else the caller's environment) runs that many orders processes, `orders`, `orders-2`, ….
const { spawn } = require('node:child_process');
const { once } = require('node:events');
const net = require('node:net');
const config = require('./config');
const { entryPoint, nodeArgs } = require('./supervisor');
const { PG_ADMIN_URL, REDIS_URL, createScratchDatabase, createScratchVhost } = require('./scratch');
const { migrate } = require('../migrate');

// How long the processes have to come up (/health/ready 200, every replica consuming): 90 s, since
// two suites booting seven processes each at once on two cores under other load took over 30 s here
// (a platform that never comes up still fails, later); E2E_READY_TIMEOUT_MS overrides it. Every
// e2e suite's hooks allow 120 s or more.
const READY_TIMEOUT_MS =
  Number(process.env.E2E_READY_TIMEOUT_MS) > 0 ? Number(process.env.E2E_READY_TIMEOUT_MS) : 90_000;
const STOP_TIMEOUT_MS = 15_000;
const LOG_LINES_KEPT = 500;

async function freePort() {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address();
  srv.close();
  return port;
}

async function waitUntilReady(url, timeoutMs) {
  const until = Date.now() + timeoutMs;
  let last = 'no answer';
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
      last = `${res.status} ${await res.text()}`;
    } catch (e) {
      last = e.message;
    }
    if (Date.now() > until) throw new Error(`${url} not ready within ${timeoutMs} ms (last: ${last})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * /health/ready is 200 once ONE process of each service answers its ping; a replicated service is
 * ready once every replica consumes its queues. `queue.declare` (passive) counts a queue's consumers
 * exactly and at once (the management API only after its next stats tick). Each process consumes
 * `<service>.rpc` and `<service>.events` (queueNames in libs/contracts) on one channel each.
 */
async function waitForReplicas(amqpUrl, instances, timeoutMs) {
  const wanted = [
    ...new Map(
      [...instances.values()].filter((i) => i.replicas > 1).map((i) => [i.project.name, i.replicas]),
    ),
  ];
  if (!wanted.length) return;
  const amqp = require('amqplib');
  const conn = await amqp.connect(amqpUrl);
  try {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const short = [];
      for (const [service, replicas] of wanted) {
        for (const queue of [`${service}.rpc`, `${service}.events`]) {
          // A passive declare of a queue not declared yet closes its channel: one channel per check.
          const ch = await conn.createChannel();
          ch.on('error', () => undefined);
          const consumers = await ch.checkQueue(queue).then(
            (q) => q.consumerCount,
            () => 0,
          );
          await ch.close().catch(() => undefined);
          if (consumers < replicas) short.push(`${queue} has ${consumers} of ${replicas} consumers`);
        }
      }
      if (!short.length) return;
      if (Date.now() > until)
        throw new Error(`replicas not all consuming within ${timeoutMs} ms: ${short.join(', ')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await conn.close().catch(() => undefined);
  }
}

/**
 * Starts the platform. `env` adds to (and overrides) the children's environment; `prefix` names the
 * scratch databases (`<prefix>_<service>_…`) and vhost. The processes are config.instances(): with
 * ORDERS_REPLICAS=n, orders runs as `orders`, `orders-2`, … `orders-<n>` on one database and vhost.
 */
async function startPlatform({ env: extraEnv = {}, prefix = 'pctest_e2e' } = {}) {
  // First, so a bad ORDERS_REPLICAS throws before anything is created.
  const instances = new Map(config.instances({ ...process.env, ...extraEnv }).map((i) => [i.name, i]));
  const vhost = await createScratchVhost(prefix);
  const databases = {};
  for (const svc of config.SERVICES) {
    databases[svc] = await createScratchDatabase(`${prefix}_${svc}`);
    await migrate(databases[svc].url, config.migrationsDir(svc));
  }
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
    AMQP_URL: vhost.url,
    REDIS_URL,
    GATEWAY_PORT: String(port),
    READY_DEADLINE_MS: '1000',
    RPC_DEADLINE_MS: '3000',
    MESSAGING_RETRY_DELAYS_MS: '100,300',
    SKIP_MIGRATIONS: '1',
    ...extraEnv,
  };
  for (const svc of config.SERVICES) env[config.databaseEnvVar(svc)] = databases[svc].url;

  const children = new Map();
  const logs = Object.fromEntries([...instances.keys()].map((name) => [name, []]));

  const start = async (name) => {
    const instance = instances.get(name);
    if (!instance)
      throw new Error(`unknown process "${name}" (this platform runs ${[...instances.keys()].join(', ')})`);
    const main = entryPoint(instance.project);
    if (main instanceof Error)
      throw new Error(`${main.message}: run \`npm run build\` first (npm test does)`);
    const child = spawn(process.execPath, nodeArgs(main), {
      cwd: config.ROOT,
      env: { ...env, OTEL_SERVICE_NAME: instance.project.name, ...config.instanceEnv(name, env) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk) => {
      const lines = logs[name];
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      if (lines.length > LOG_LINES_KEPT) lines.splice(0, lines.length - LOG_LINES_KEPT);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    children.set(name, child);
  };

  const stop = async (name, signal = 'SIGTERM') => {
    const child = children.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = once(child, 'exit');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const [code] = await exited;
    clearTimeout(timer);
    children.delete(name);
    return code;
  };

  const get = (p, init) => fetch(`${baseUrl}${p}`, init);

  const platform = {
    baseUrl,
    vhost,
    databases,
    /** Every process's name in start order: `identity`, `orders`, `orders-2` (ORDERS_REPLICAS=2), …, `gateway`. */
    processes: [...instances.keys()],
    logs,
    start,
    stop,
    get,
    /** The operating-system pid of a running process (e.g. to read its memory), or null. */
    pid: (name) => children.get(name)?.pid ?? null,
    async shutdown() {
      await Promise.all([...children.keys()].map((n) => stop(n)));
      for (const db of Object.values(databases)) await db.drop();
      await vhost.drop();
    },
  };

  try {
    for (const name of instances.keys()) await start(name);
    const readyBy = Date.now() + READY_TIMEOUT_MS;
    await waitUntilReady(`${baseUrl}/health/ready`, READY_TIMEOUT_MS);
    await waitForReplicas(vhost.url, instances, Math.max(readyBy - Date.now(), 5_000));
  } catch (e) {
    const tail = Object.entries(logs)
      .map(([n, l]) => `--- ${n}\n${l.slice(-20).join('\n')}`)
      .join('\n');
    await platform.shutdown();
    throw new Error(`platform did not become ready: ${String(e)}\n${tail}`);
  }
  return platform;
}

module.exports = {
  startPlatform,
  createScratchDatabase,
  createScratchVhost,
  freePort,
  PG_ADMIN_URL,
  REDIS_URL,
};
