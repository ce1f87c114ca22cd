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

const CJK_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
const PINYIN_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

module.exports = {
  ROOT,
  SERVICES,
  PROJECTS,
  PROCESSES,
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
  CJK_FONT,
  PINYIN_FONT,
};
