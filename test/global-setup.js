// Runs once before jest's workers. Integration tests use the machine's real PostgreSQL and RabbitMQ
// (each suite creates its own database and vhost); `npm test` starts and prepares them through
// tools/setup.js, but a bare `npx jest` does not — so fail fast and say what to run instead.
const { Client } = require('pg');
const { httpGet } = require('../tools/lib/probe');

const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const RABBIT_MGMT_URL = process.env.TEST_RABBITMQ_MGMT_URL ?? 'http://guest:guest@127.0.0.1:15672';
const HINT = 'run `node tools/setup.js` (npm test does it for you)';

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
  await Promise.all([checkPostgres(), checkRabbitManagement()]);
};
