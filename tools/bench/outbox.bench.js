'use strict';
// Outbox relay vs. a direct confirmed publish, measured in the same run on the same broker:
//  - throughput: N state changes, each its own transaction writing one outbox row, until the relay
//    has published and marked every row sent; baseline = the same N envelopes published straight to
//    the exchange on a confirm channel (what the relay does at best, without the database).
//  - lone-message latency: one transaction + outbox row until the message is in the queue, vs one
//    confirmed publish.
// Uses the compiled messaging kit and a service's generated Prisma client (the production path).
const { randomUUID } = require('node:crypto');
const path = require('node:path');
const amqplib = require('amqplib');
const { Client } = require('pg');
const config = require('../lib/config');
const { rabbitMgmt } = require('../lib/scratch');
const { migrate } = require('../migrate');

const N = Number(process.env.BENCH_OUTBOX_MESSAGES || 2000);
const ROUTING_KEY = 'identity.clinic.created';

const mgmt = (method, p, body) => rabbitMgmt(method, p, body, { url: config.rabbitMgmtUrl() });

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

async function waitForCount(ch, queue, count, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { messageCount } = await ch.checkQueue(queue);
    if (messageCount >= count) return;
    if (Date.now() > until) throw new Error(`only ${messageCount}/${count} messages reached ${queue}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function run({ log = console.log } = {}) {
  const { Outbox, AmqpConnection, MessagingMetrics } = require(
    path.join(config.ROOT, 'libs/messaging/dist/index.js'),
  );
  const { ClinicCreatedV1 } = require(path.join(config.ROOT, 'libs/contracts/dist/index.js'));
  const { PrismaClient } = require(
    path.join(config.ROOT, 'services/accounts/dist/generated/prisma/client.js'),
  );
  const { PrismaPg } = require('@prisma/adapter-pg');

  const tag = `pcbench_outbox_${Date.now().toString(36)}`;
  const dbUrl = (() => {
    const u = new URL(config.defaultDatabaseUrl('accounts'));
    u.pathname = `/${tag}`;
    return u.toString();
  })();
  await migrate(dbUrl, config.migrationsDir('accounts'), { log: () => {} });
  await mgmt('PUT', `/api/vhosts/${tag}`);
  await mgmt('PUT', `/api/permissions/${tag}/guest`, { configure: '.*', write: '.*', read: '.*' });
  const amqpUrl = `${config.amqpUrl().replace(/\/$/, '')}/${tag}`;

  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: dbUrl }) });
  const conn = await amqplib.connect(amqpUrl);
  const ch = await conn.createConfirmChannel();
  const connection = new AmqpConnection({ url: amqpUrl, name: 'bench-outbox' });
  const outbox = new Outbox({
    db: prisma,
    connection,
    service: 'accounts',
    metrics: new MessagingMetrics('accounts'),
    sweepEveryMs: 1000,
  });
  try {
    await ch.assertExchange('prescriptchain.events', 'topic', { durable: true });
    const sink = 'bench.sink';
    await ch.assertQueue(sink, { durable: true });
    await ch.bindQueue(sink, 'prescriptchain.events', ROUTING_KEY);
    const payload = () => ({ clinicId: randomUUID(), name: 'Bench Clinic', ownerId: null });
    const envelope = () => ({
      messageId: randomUUID(),
      type: ROUTING_KEY,
      version: 1,
      occurredAt: new Date().toISOString(),
      correlationId: randomUUID(),
      causationId: null,
      traceparent: null,
      payload: payload(),
    });

    // Warm both paths (JIT, connections, prepared plans).
    for (let i = 0; i < 50; i++)
      ch.publish('prescriptchain.events', ROUTING_KEY, Buffer.from(JSON.stringify(envelope())), {
        persistent: true,
      });
    await ch.waitForConfirms();
    await outbox.transaction(async (tx) => {
      for (let i = 0; i < 50; i++)
        await outbox.enqueue(tx, { definition: ClinicCreatedV1, payload: payload() });
    });
    outbox.start();
    await waitForCount(ch, sink, 100);
    await ch.purgeQueue(sink);

    // Baseline: direct confirmed publish, confirms batched.
    let t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++)
      ch.publish('prescriptchain.events', ROUTING_KEY, Buffer.from(JSON.stringify(envelope())), {
        persistent: true,
        messageId: randomUUID(),
      });
    await ch.waitForConfirms();
    await waitForCount(ch, sink, N);
    const direct = ms(t0);
    await ch.purgeQueue(sink);

    // Outbox: N transactions, 8 at a time (as concurrent requests would), relay kicked after each commit.
    t0 = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < N) {
          next++;
          await outbox.transaction(async (tx) => {
            await outbox.enqueue(tx, { definition: ClinicCreatedV1, payload: payload() });
          });
        }
      }),
    );
    await waitForCount(ch, sink, N);
    const viaOutbox = ms(t0);
    const backlog = await outbox.backlog();
    await ch.purgeQueue(sink);

    // Lone message latency (median of 30).
    const lone = async (fn) => {
      const xs = [];
      for (let i = 0; i < 30; i++) {
        const s = process.hrtime.bigint();
        await fn();
        await waitForCount(ch, sink, 1);
        xs.push(ms(s));
        await ch.purgeQueue(sink);
      }
      xs.sort((a, b) => a - b);
      return xs[15];
    };
    const loneDirect = await lone(async () => {
      ch.publish('prescriptchain.events', ROUTING_KEY, Buffer.from(JSON.stringify(envelope())), {
        persistent: true,
      });
      await ch.waitForConfirms();
    });
    const loneOutbox = await lone(() =>
      outbox.transaction(async (tx) => {
        await outbox.enqueue(tx, { definition: ClinicCreatedV1, payload: payload() });
      }),
    );

    const rate = (t) => Math.round((N / t) * 1000);
    log(
      `outbox throughput: ${N} transactions → published in ${viaOutbox.toFixed(0)} ms (${rate(viaOutbox)} msg/s), backlog after: ${backlog}`,
    );
    log(
      `  baseline (direct confirmed publish, same broker/run): ${direct.toFixed(0)} ms (${rate(direct)} msg/s)`,
    );
    log(`  ratio outbox/baseline time: ${(viaOutbox / direct).toFixed(2)}x`);
    log(
      `lone message to queue, median of 30: outbox ${loneOutbox.toFixed(2)} ms vs direct ${loneDirect.toFixed(2)} ms → ${(loneOutbox / loneDirect).toFixed(2)}x`,
    );
    return { direct, viaOutbox, loneDirect, loneOutbox };
  } finally {
    await outbox.stop().catch(() => {});
    await connection.close().catch(() => {});
    await conn.close().catch(() => {});
    await prisma.$disconnect().catch(() => {});
    await mgmt('DELETE', `/api/vhosts/${tag}`).catch(() => {});
    const admin = new Client({
      connectionString: config.defaultDatabaseUrl('accounts').replace(/\/[^/]*$/, '/postgres'),
    });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${tag}" WITH (FORCE)`);
    await admin.end();
  }
}

module.exports = { run };
if (require.main === module)
  run().catch((e) => {
    console.error(e);
    process.exit(1);
  });
