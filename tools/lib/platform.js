'use strict';
// The whole platform on throw-away infrastructure, for e2e suites (test/e2e/support/platform.ts
// re-exports this) and benchmarks: the five services and the gateway as real child processes (the
// built dist/main.js of each, started as `npm start` starts them), each service on its own fresh,
// migrated database, all on a fresh RabbitMQ vhost, the gateway on a free port.
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { once } = require('node:events');
const net = require('node:net');
const { Client } = require('pg');
const config = require('./config');
const { entryPoint, nodeArgs } = require('./supervisor');
const { migrate } = require('../migrate');

// The same variables (and defaults) as test/support/infra.ts, so tests and benches share a machine.
const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const AMQP_BASE_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const RABBIT_MGMT_URL = process.env.TEST_RABBITMQ_MGMT_URL ?? 'http://guest:guest@127.0.0.1:15672';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
const LOG_LINES_KEPT = 500;

const suffix = () => `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const identifier = (prefix) => `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${suffix()}`;

function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(sql) {
  const c = new Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** An empty database named `<prefix>_<unique suffix>`, dropped (forcibly) by `drop()`. */
async function createScratchDatabase(prefix) {
  const name = identifier(prefix);
  await adminQuery(`CREATE DATABASE "${name}"`);
  return {
    name,
    url: withDatabase(PG_ADMIN_URL, name),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

async function rabbitMgmt(method, p, body) {
  const base = new URL(RABBIT_MGMT_URL);
  const auth = Buffer.from(
    `${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`,
  ).toString('base64');
  base.username = '';
  base.password = '';
  const res = await fetch(new URL(p, base), {
    method,
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok && res.status !== 404) throw new Error(`RabbitMQ management ${method} ${p}: ${res.status}`);
  return res;
}

/** A RabbitMQ vhost named `<prefix>_<unique suffix>` the AMQP user may use, deleted by `drop()`. */
async function createScratchVhost(prefix) {
  const name = identifier(prefix);
  const enc = encodeURIComponent(name);
  await rabbitMgmt('PUT', `/api/vhosts/${enc}`);
  const user = decodeURIComponent(new URL(AMQP_BASE_URL).username || 'guest');
  await rabbitMgmt('PUT', `/api/permissions/${enc}/${encodeURIComponent(user)}`, {
    configure: '.*',
    write: '.*',
    read: '.*',
  });
  return {
    name,
    url: `${AMQP_BASE_URL.replace(/\/$/, '')}/${enc}`,
    drop: async () => {
      await rabbitMgmt('DELETE', `/api/vhosts/${enc}`);
    },
  };
}

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
 * Starts the platform. `env` adds to (and overrides) the children's environment; `prefix` names the
 * scratch databases (`<prefix>_<service>_…`) and vhost.
 */
async function startPlatform({ env: extraEnv = {}, prefix = 'pctest_e2e' } = {}) {
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
  const logs = Object.fromEntries(config.PROCESSES.map((p) => [p.name, []]));

  const start = async (name) => {
    const main = entryPoint(config.project(name));
    if (main instanceof Error)
      throw new Error(`${main.message}: run \`npm run build\` first (npm test does)`);
    const child = spawn(process.execPath, nodeArgs(main), {
      cwd: config.ROOT,
      env: { ...env, OTEL_SERVICE_NAME: name },
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
    for (const p of config.PROCESSES) await start(p.name);
    await waitUntilReady(`${baseUrl}/health/ready`, READY_TIMEOUT_MS);
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
