'use strict';
// Throw-away infrastructure on the machine's real services, shared by the test suites
// (test/support/infra.ts wraps this) and the tools (the e2e platform, benchmarks): the variables
// (and defaults) that locate PostgreSQL, RabbitMQ and Redis, the RabbitMQ management API call, and
// a uniquely named database or vhost that `drop()` removes again.
const { randomBytes } = require('node:crypto');
const { Client } = require('pg');

const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const AMQP_BASE_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const RABBIT_MGMT_URL = process.env.TEST_RABBITMQ_MGMT_URL ?? 'http://guest:guest@127.0.0.1:15672';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const suffix = () => `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
/** `<prefix>_<unique suffix>`, the prefix reduced to `[a-z0-9_]`. */
const uniqueName = (prefix) => `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${suffix()}`;

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

/**
 * One call to RabbitMQ's management HTTP API (`url` carries the credentials, as
 * `http://user:pass@host:15672`; default TEST_RABBITMQ_MGMT_URL). Resolves with the response,
 * also a 404 (callers ask "is it there?"); any other failure status throws.
 */
async function rabbitMgmt(method, p, body, { url = RABBIT_MGMT_URL } = {}) {
  const base = new URL(url);
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

/** An empty database named `<prefix>_<unique suffix>`, dropped (forcibly) by `drop()`. */
async function createScratchDatabase(prefix) {
  const name = uniqueName(prefix);
  await adminQuery(`CREATE DATABASE "${name}"`);
  return {
    name,
    url: withDatabase(PG_ADMIN_URL, name),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** A RabbitMQ vhost named `<prefix>_<unique suffix>` the AMQP user may use, deleted by `drop()`. */
async function createScratchVhost(prefix) {
  const name = uniqueName(prefix);
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

module.exports = {
  PG_ADMIN_URL,
  AMQP_BASE_URL,
  RABBIT_MGMT_URL,
  REDIS_URL,
  rabbitMgmt,
  createScratchDatabase,
  createScratchVhost,
};
