'use strict';
// Scan-to-pay notices vs. a plain ledger credit, measured in the same run on the same database:
//  - QR notices: N payment sessions (Alipay and WeChat Pay sandboxes, alternating) already paid at
//    the provider; their signed notices are handed to the notice use case by C concurrent clients
//    (signature verification — RSA2 for Alipay; signed headers + AES-256-GCM for WeChat — then the
//    locked session + account, ledger entry, audit row and outbox row in one transaction).
//  - baseline: N admin adjustments of the same amounts on the same accounts (lock, ledger,
//    idempotency record in one transaction): what a credit costs without a provider's notice.
// Then every notice is delivered again at once (the redelivery storm providers produce): all must be
// duplicates, and each account must hold exactly what was paid into it.
// Uses the compiled accounts service and its generated Prisma client (the production path).
const { randomUUID } = require('node:crypto');
const path = require('node:path');
const config = require('../lib/config');
const { migrate } = require('../migrate');
const { runClosedLoop, latencyLine, f1, f2 } = require('./lib/stats');

const N = Number(process.env.BENCH_QR_NOTICES || 200);
const C = Number(process.env.BENCH_QR_CONCURRENCY || 10);
const ACCOUNTS = 10;

async function run({ log = console.log } = {}) {
  const dist = (p) => require(path.join(config.ROOT, 'services/accounts/dist', p));
  const { AccountsPrismaService } = dist('adapters/outbound/prisma/accounts-prisma.service.js');
  const { PrismaAccountsStore } = dist('adapters/outbound/prisma/prisma-accounts.store.js');
  const { AlipaySandboxGateway } = dist('adapters/outbound/qr/alipay-sandbox.gateway.js');
  const { WechatSandboxGateway } = dist('adapters/outbound/qr/wechat-sandbox.gateway.js');
  const { StaticQrPaymentGateways } = dist('application/ports/qr-payment-gateway.js');
  const { ApplyProviderPayment } = dist('application/payment-sessions/apply-provider-payment.js');
  const { CreateQrSessionHandler, HandleQrNoticeHandler } = dist('application/payment-sessions/payment-sessions.handlers.js');
  const { AdjustBalanceHandler } = dist('application/adjust-balance/adjust-balance.handler.js');
  const { OpenAccountHandler } = dist('application/open-account/open-account.handler.js');

  const tag = `pcbench_qr_${Date.now().toString(36)}`;
  const dbUrl = (() => {
    const u = new URL(config.defaultDatabaseUrl('accounts'));
    u.pathname = `/${tag}`;
    return u.toString();
  })();
  await migrate(dbUrl, config.migrationsDir('accounts'), { log: () => {} });
  const prisma = new AccountsPrismaService(dbUrl);
  // Outbox rows are written as in production; nothing relays them here (the relay has its own bench).
  const { Outbox } = require(path.join(config.ROOT, 'libs/messaging/dist/index.js'));
  const outbox = { enqueue: (tx, m) => Outbox.prototype.enqueue.call({ service: 'accounts' }, tx, m), kick: () => {} };
  const store = new PrismaAccountsStore(prisma, outbox);
  try {
    const deliver = async () => {};
    const alipay = await AlipaySandboxGateway.create(prisma, { deliver, settleAfterMs: null });
    const wechat = await WechatSandboxGateway.create(prisma, { deliver, settleAfterMs: null });
    const gateways = new StaticQrPaymentGateways([alipay, wechat]);
    const create = new CreateQrSessionHandler(store, gateways, { ttlMinutes: 15, reconcileAfterMs: 60_000 });
    const notices = new HandleQrNoticeHandler(gateways, new ApplyProviderPayment(store, gateways), store);
    const adjust = new AdjustBalanceHandler(store);
    const open = new OpenAccountHandler(store);
    const clinics = Array.from({ length: ACCOUNTS }, () => randomUUID());
    for (const clinicId of clinics) await open.execute({ clinicId });
    const actor = randomUUID();

    const prepared = [];
    for (let i = 0; i < N; i++) {
      const method = i % 2 ? 'alipay' : 'wechat';
      const s = await create.execute({ clinicId: clinics[i % ACCOUNTS], amountCents: 1_000 + i, method, idempotencyKey: randomUUID(), actorId: actor });
      const sim = method === 'alipay' ? alipay.sim : wechat.sim;
      const paid = await sim.pay(s.sessionId.replace(/-/g, ''));
      prepared.push({ method, body: paid.body, headers: paid.headers ?? { 'content-type': 'application/x-www-form-urlencoded' } });
    }

    const baseline = await runClosedLoop({
      total: N,
      concurrency: C,
      fn: async (i) => {
        await adjust.execute({ clinicId: clinics[i % ACCOUNTS], amountCents: 1_000 + i, reason: 'bench', actorId: actor, idempotencyKey: randomUUID() });
        return true;
      },
    });
    const qr = await runClosedLoop({
      total: N,
      concurrency: C,
      fn: async (i) => (await notices.execute(prepared[i])).outcome === 'credited' || 'not credited',
    });
    const storm = await runClosedLoop({
      total: N,
      concurrency: C,
      fn: async (i) => (await notices.execute(prepared[i])).outcome === 'duplicate' || 'credited twice',
    });
    const { rows } = await (async () => {
      const { Client } = require('pg');
      const c = new Client({ connectionString: dbUrl });
      await c.connect();
      try {
        return await c.query(`SELECT count(*)::int AS n, coalesce(sum(amount), 0)::text AS total FROM ledger_entry WHERE reference LIKE 'qr:%'`);
      } finally {
        await c.end();
      }
    })();
    const expectedCents = Array.from({ length: N }, (_, i) => 1_000 + i).reduce((a, b) => a + b, 0);
    log(`notices        ${N} at concurrency ${C}: ${f1(qr.throughput)}/s  ${latencyLine(qr)}  errors ${qr.errors}`);
    log(`baseline       ${N} admin adjustments:   ${f1(baseline.throughput)}/s  ${latencyLine(baseline)}  errors ${baseline.errors}`);
    log(`ratio          notice p50 = ${f2(qr.p50 / baseline.p50)}× the adjustment's, throughput = ${f2(qr.throughput / baseline.throughput)}× the adjustment's`);
    log(`redelivery     ${N} again: ${f1(storm.throughput)}/s  ${latencyLine(storm)}  not duplicates ${storm.errors}`);
    log(`books          ${rows[0].n} QR credits totalling ${rows[0].total} (expected ${N}, ${(expectedCents / 100).toFixed(2)})`);
  } finally {
    await prisma.$disconnect().catch(() => {});
    const { Client } = require('pg');
    const admin = new Client({ connectionString: config.defaultDatabaseUrl('accounts').replace(/\/[^/]*$/, '/postgres') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${tag}" WITH (FORCE)`);
    await admin.end();
  }
}

module.exports = { run };
