// Runs once before jest's workers. Integration tests use a real PostgreSQL and RabbitMQ (each suite
// creates its own database and vhost) and Redis: the configured ones, else containers when Docker
// answers, else the machine's own (test/support/infra-source.ts). `npm test` starts and prepares the
// machine's through tools/setup.js, but a bare `npx jest` does not — so fail fast and say what to run.
const { Client } = require('pg');
const { httpGet } = require('../tools/lib/probe');
const { provideInfra } = require('./support/infra-source');

// Read after provideInfra, which may point them at containers.
let PG_ADMIN_URL;
let RABBIT_MGMT_URL;
const HINT =
  'run `node tools/setup.js` (npm test does it for you), start Docker (the tests then start their own), or set TEST_PG_ADMIN_URL / TEST_RABBITMQ_MGMT_URL';

async function checkPostgres() {
  const c = new Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
  } catch (e) {
    throw new Error(`PostgreSQL is not reachable at ${new URL(PG_ADMIN_URL).host} (${e.message}): ${HINT}`);
  } finally {
    await c.end().catch(() => {});
  }
}

async function checkRabbitManagement() {
  const res = await httpGet(new URL('/api/overview', RABBIT_MGMT_URL).toString(), 3000);
  if (!res)
    throw new Error(`RabbitMQ management API is not reachable at ${new URL(RABBIT_MGMT_URL).host}: ${HINT}`);
  if (res.status !== 200)
    throw new Error(
      `RabbitMQ management API answered ${res.status} at ${new URL(RABBIT_MGMT_URL).host}: check TEST_RABBITMQ_MGMT_URL`,
    );
}

module.exports = async () => {
  // Kept for test/global-teardown.js (same process): the containers are stopped after the run.
  globalThis.__testInfra = await provideInfra();
  PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  RABBIT_MGMT_URL = process.env.TEST_RABBITMQ_MGMT_URL ?? 'http://guest:guest@127.0.0.1:15672';
  await Promise.all([checkPostgres(), checkRabbitManagement()]);
};
