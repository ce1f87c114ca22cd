'use strict';
// The one place that knows the workspace's processes and where their infrastructure lives. The
// services read the same environment variables at runtime; the launcher passes the resolved values on.
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

/** Services with their own database, in start order. */
const SERVICES = ['identity', 'orders', 'accounts', 'pharmacy', 'notifications'];

/** Every Nx project in build order: libraries first (processes depend on their dist). */
const PROJECTS = [
  { name: 'contracts', dir: 'libs/contracts', kind: 'lib' },
  { name: 'messaging', dir: 'libs/messaging', kind: 'lib' },
  ...SERVICES.map((name) => ({ name, dir: `services/${name}`, kind: 'service' })),
  { name: 'gateway', dir: 'gateway', kind: 'gateway' },
  // The web portal (Vite): built after the gateway, whose OpenAPI document its API types come from.
  { name: 'portal', dir: 'gateway/portal', kind: 'web' },
];

/** The six runnable processes, services first and the gateway last (the portal is files the gateway serves). */
const PROCESSES = PROJECTS.filter((p) => p.kind === 'service' || p.kind === 'gateway');

/**
 * Services that may run as several processes — competing consumers on the same queues and database
 * (every poller and job of theirs claims its rows with SKIP LOCKED or an advisory lock) — and the
 * variable that says how many. Services listen on no port (AMQP only), so replicas need none.
 */
const REPLICAS_ENV = { orders: 'ORDERS_REPLICAS' };
const MAX_REPLICAS = 16;

/** How many processes of `service` to run (1 unless its `<SERVICE>_REPLICAS` says more). */
function replicas(service, env = process.env) {
  const variable = REPLICAS_ENV[service];
  const raw = variable ? String(env[variable] ?? '').trim() : '';
  if (raw === '') return 1;
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_REPLICAS))
    throw new Error(`${variable} must be a whole number from 1 to ${MAX_REPLICAS} (got "${raw}")`);
  return n;
}

/** Replica `i` (from 1) of a process: the first keeps the process's name, then `orders-2`, `orders-3`, … */
const replicaName = (name, i) => (i === 1 ? name : `${name}-${i}`);

/** The project an instance name belongs to: `orders-2` → orders (only replicable services have replicas). */
function serviceOf(instanceName) {
  const m = /^(.+)-(\d+)$/.exec(instanceName);
  return m && REPLICAS_ENV[m[1]] && Number(m[2]) >= 2 ? m[1] : instanceName;
}

/**
 * Every process to run, in start order: PROCESSES, a replicated service as its replicas in a row.
 * `{ name, project, replica, replicas }`; `name` is unique (the launcher's and the platform's key).
 */
function instances(env = process.env) {
  return PROCESSES.flatMap((p) => {
    const n = replicas(p.name, env);
    return Array.from({ length: n }, (_, k) => ({
      name: replicaName(p.name, k + 1),
      project: p,
      replica: k + 1,
      replicas: n,
    }));
  });
}

/**
 * What tells one process from its replicas: SERVICE_INSTANCE_ID (logged as `instance` on every line)
 * and the OpenTelemetry resource's service.instance.id (added to OTEL_RESOURCE_ATTRIBUTES). The
 * service name (OTEL_SERVICE_NAME, the logs' `service`) stays the service's: replicas are one service.
 */
function instanceEnv(instanceName, env = process.env) {
  const attrs = String(env.OTEL_RESOURCE_ATTRIBUTES ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a && !a.startsWith('service.instance.id='));
  return {
    SERVICE_INSTANCE_ID: instanceName,
    OTEL_RESOURCE_ATTRIBUTES: [...attrs, `service.instance.id=${instanceName}`].join(','),
  };
}

const project = (name) => {
  const p = PROJECTS.find((x) => x.name === name);
  if (!p) throw new Error(`unknown project "${name}" (known: ${PROJECTS.map((x) => x.name).join(', ')})`);
  return p;
};

const databaseEnvVar = (service) => `${service.toUpperCase()}_DATABASE_URL`;
const defaultDatabaseUrl = (service) => `postgresql://postgres@127.0.0.1:5432/prescriptchain_${service}`;

function databaseUrl(service, env = process.env) {
  if (!SERVICES.includes(service))
    throw new Error(`"${service}" has no database (services: ${SERVICES.join(', ')})`);
  return env[databaseEnvVar(service)] || defaultDatabaseUrl(service);
}

/** `{ IDENTITY_DATABASE_URL: …, … }` with defaults filled in, for child processes. */
function databaseEnv(env = process.env) {
  return Object.fromEntries(SERVICES.map((s) => [databaseEnvVar(s), databaseUrl(s, env)]));
}

const migrationsDir = (service) => path.join(ROOT, 'services', service, 'prisma', 'migrations');
const schemaPath = (service) => path.join(ROOT, 'services', service, 'prisma', 'schema.prisma');

const amqpUrl = (env = process.env) => env.AMQP_URL || 'amqp://guest:guest@127.0.0.1:5672';
const redisUrl = (env = process.env) => env.REDIS_URL || 'redis://127.0.0.1:6379';
const rabbitMgmtUrl = (env = process.env) =>
  env.RABBITMQ_MGMT_URL || env.TEST_RABBITMQ_MGMT_URL || 'http://guest:guest@127.0.0.1:15672';
const gatewayPort = (env = process.env) => Number(env.GATEWAY_PORT || 3000);

/** The browser the portal's end-to-end tests drive: Debian's chromium unless CHROMIUM_PATH says otherwise. */
const chromiumPath = (env = process.env) => env.CHROMIUM_PATH || '/usr/bin/chromium';
/**
 * The same rule as libs/messaging's isProductionEnv (the tools are plain JS and run before it is
 * built): anything but `development` or `test`, unset counting as development, is production.
 */
const isProductionEnv = (env = process.env) => {
  const v = (env.NODE_ENV || '').trim();
  return v !== '' && v !== 'development' && v !== 'test';
};

/** Exit code of a process that refuses its configuration (libs/messaging CONFIG_REFUSED_EXIT_CODE). */
const CONFIG_REFUSED_EXIT_CODE = 78;

const DEV_ADMIN_EMAIL = 'admin@prescriptchain.local';
const DEV_ADMIN_PASSWORD_FILE = path.join(ROOT, '.data', 'dev-admin-password');

/**
 * Development only: the first admin's login when ADMIN_PASSWORD is unset. No password ships with the
 * repository: one is generated per checkout on first use and kept in .data/dev-admin-password (git
 * ignores .data/), so `npm start` on a fresh machine can be logged into. Nothing in production.
 */
function developmentAdmin(env = process.env) {
  if (isProductionEnv(env) || env.ADMIN_PASSWORD) return {};
  const fs = require('node:fs');
  let password = '';
  try {
    password = fs.readFileSync(DEV_ADMIN_PASSWORD_FILE, 'utf8').trim();
  } catch {
    /* first run */
  }
  if (!password) {
    password = `dev-${require('node:crypto').randomBytes(18).toString('base64url')}`;
    fs.mkdirSync(path.dirname(DEV_ADMIN_PASSWORD_FILE), { recursive: true });
    fs.writeFileSync(DEV_ADMIN_PASSWORD_FILE, `${password}\n`, { mode: 0o600 });
  }
  return { ADMIN_EMAIL: env.ADMIN_EMAIL || DEV_ADMIN_EMAIL, ADMIN_PASSWORD: password };
}

const CJK_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
const PINYIN_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

module.exports = {
  ROOT,
  SERVICES,
  PROJECTS,
  PROCESSES,
  REPLICAS_ENV,
  MAX_REPLICAS,
  replicas,
  replicaName,
  serviceOf,
  instances,
  instanceEnv,
  project,
  databaseEnvVar,
  defaultDatabaseUrl,
  databaseUrl,
  databaseEnv,
  migrationsDir,
  schemaPath,
  amqpUrl,
  redisUrl,
  rabbitMgmtUrl,
  gatewayPort,
  chromiumPath,
  isProductionEnv,
  CONFIG_REFUSED_EXIT_CODE,
  developmentAdmin,
  DEV_ADMIN_EMAIL,
  DEV_ADMIN_PASSWORD_FILE,
  CJK_FONT,
  PINYIN_FONT,
};
