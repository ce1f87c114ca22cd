'use strict';
// Orders through the whole platform vs. a monolith doing the same work, in the same run.
//
//  - saga: POST /api/v1/orders through the gateway with the six processes running (fresh databases
//    and vhost, rate limits off, ORDER_WAIT_MS default): gateway → orders (validate, price, store
//    PENDING_PAYMENT + outbox) → accounts (debit + outbox) → orders (PAID + credential + outbox) →
//    the gateway's outcome wait → 201. Only 201 PAID counts; anything else is an error.
//  - baseline: the same request bodies placed in this process against one database holding both
//    services' tables — the same validation, debit and order insert in ONE transaction
//    (tools/bench/lib/monolith-orders.js).
// Each level sends the same number of orders with c concurrent clients (closed loop), saga then
// baseline, so both see the same machine. Targets (issue 4, 2 cores): saga p95 ≤ 100 ms at 32
// clients; saga throughput ≥ 0.5× the baseline. Where the time goes: CPU per order by process
// (services, PostgreSQL, RabbitMQ…) for each level, and PostgreSQL commits per order.
//
//   npx node tools/bench/orders.bench.js          alone (after `npm run build`)
//   BENCH_ORDERS_LEVELS=1,8 BENCH_ORDERS_PER_LEVEL=50 …   a quicker run
//   BENCH_TRACE=1 …                                also print where a saga order's time goes (OTLP spans;
//                                                  BENCH_TRACE=full adds the median order's whole trace)
const { randomUUID } = require('node:crypto');
const os = require('node:os');
const { Client } = require('pg');
const { PG_ADMIN_URL, startPlatform } = require('../lib/platform');
const { gatewayClient, setUpPractice } = require('./lib/gateway-client');
const { orderBodies } = require('./lib/formulas');
const { createMonolithDatabase, monolithOrders } = require('./lib/monolith-orders');
const { runClosedLoop, f1, f2 } = require('./lib/stats');
const { cpuMeter, cpuLine } = require('./lib/cpu-meter');
const { startTraceSink, sagaBreakdown, medianTrace } = require('./lib/trace-sink');

const LEVELS = (process.env.BENCH_ORDERS_LEVELS || '1,8,32,64').split(',').map(Number);
const PER_LEVEL = Number(process.env.BENCH_ORDERS_PER_LEVEL || 200);
const WARMUP = 40;
const TARGET_P95_MS = 100;
const TARGET_P95_AT = 32;
const TARGET_RATIO = 0.5;
const ADMIN = { email: 'admin@bench.prescriptchain.test', password: 'a bench admin passphrase 42' };
const FUND = '1000000.00';
// An idle PostgreSQL backend publishes its counters within 10 s (PGSTAT_IDLE_INTERVAL).
const STATS_FLUSH_MS = 11_000;

/** Committed transactions so far per database (a statement outside a transaction is one too). */
async function commits(names) {
  const c = new Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    const { rows } = await c.query(
      'SELECT datname, xact_commit::bigint AS n FROM pg_stat_database WHERE datname = ANY($1)',
      [names],
    );
    return Object.fromEntries(rows.map((r) => [r.datname, Number(r.n)]));
  } finally {
    await c.end();
  }
}

async function idsBySku(url) {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query('SELECT sku, id FROM medicines');
    return new Map(rows.map((r) => [r.sku, r.id]));
  } finally {
    await c.end();
  }
}

const row = (c, s, b) => {
  const side = (r) =>
    r
      ? `${f1(r.throughput).padStart(7)}/s ${f2(r.p50).padStart(8)} ${f2(r.p95).padStart(8)} ${f2(r.p99).padStart(8)} ${String(r.errors).padStart(4)}`
      : '      —'.padEnd(44);
  const ratio =
    s && b ? `${f2(s.throughput / b.throughput).padStart(6)}×  ${f1(s.p95 / b.p95).padStart(6)}×` : '';
  return `  ${String(c).padStart(7)} | ${side(s)} | ${side(b)} | ${ratio}`;
};

async function run({ log = console.log } = {}) {
  const trace = process.env.BENCH_TRACE ? await startTraceSink() : null;
  const platform = await startPlatform({
    prefix: 'pcbench_orders',
    env: {
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      RATE_LIMIT_AUTH_PER_MIN: '0',
      RATE_LIMIT_SEARCH_PER_MIN: '0',
      RATE_LIMIT_ORDERS_PER_MIN: '0',
      RATE_LIMIT_UPLOADS_PER_HOUR: '0',
      RATE_LIMIT_KEY_PREFIX: `pcbench:${randomUUID()}:`,
      ...(trace ? { OTEL_EXPORTER_OTLP_ENDPOINT: trace.url, OTEL_BSP_SCHEDULE_DELAY: '200' } : {}),
    },
  });
  let db;
  let monolith;
  try {
    const call = gatewayClient(platform.baseUrl);
    const practice = await setUpPractice(call, { admin: ADMIN, fund: FUND });
    const bodies = orderBodies({
      clinicId: practice.clinicId,
      idsBySku: await idsBySku(platform.databases.orders.url),
      count: WARMUP + LEVELS.length * PER_LEVEL,
    });
    db = await createMonolithDatabase({
      catalogueFromUrl: platform.databases.orders.url,
      clinicId: practice.clinicId,
      balanceCents: Math.round(Number(FUND) * 100),
    });
    monolith = await monolithOrders(db.url);
    const caller = { userId: practice.practitionerId, role: 'practitioner', clinicIds: [practice.clinicId] };

    const viaSaga = async (body) => {
      const res = await call('POST', '/orders', {
        token: practice.practitionerToken,
        headers: { 'idempotency-key': randomUUID() },
        body,
      });
      if (res.status === 201 && res.body?.data?.status === 'PAID') return true;
      return `${res.status} ${res.body?.data?.status ?? res.body?.error?.code ?? ''}`.trim();
    };
    const viaMonolith = async (body) => {
      const order = await monolith.placeOrder(caller, body, randomUUID());
      return order.status === 'PAID' || order.status;
    };

    // Is the route there at all? (The gateway's orders routes may not be built yet.)
    const probe = await call('POST', '/orders', { token: practice.practitionerToken, body: {} });
    const sagaServed = !(probe.status === 404 && probe.body?.error?.code === 'NOT_FOUND');
    if (!sagaServed)
      log('orders bench: this gateway build does not serve POST /api/v1/orders — timing the baseline only');

    // Warm both paths (JIT, connection pools, prepared plans, the signing key); not measured.
    const warm = bodies.slice(0, WARMUP);
    if (sagaServed) {
      const w = await runClosedLoop({ total: WARMUP, concurrency: 4, fn: (i) => viaSaga(warm[i]) });
      if (!w.ok) throw new Error(`no saga order succeeded while warming up: ${JSON.stringify(w.errorKinds)}`);
    }
    await runClosedLoop({ total: WARMUP, concurrency: 4, fn: (i) => viaMonolith(warm[i]) });
    trace?.clear();

    const sagaDatabases = Object.values(platform.databases).map((d) => d.name);
    const serviceOf = Object.fromEntries(Object.entries(platform.databases).map(([svc, d]) => [d.name, svc]));
    await new Promise((resolve) => setTimeout(resolve, STATS_FLUSH_MS)); // the warm-up's counters, out of the way
    const commitsBefore = await commits([...sagaDatabases, db.name]);
    const loadBefore = os.loadavg()[0];
    const results = [];
    for (const [n, c] of LEVELS.entries()) {
      const slice = bodies.slice(WARMUP + n * PER_LEVEL, WARMUP + (n + 1) * PER_LEVEL);
      const measured = async (fn) => {
        const cpu = cpuMeter();
        const r = await runClosedLoop({ total: PER_LEVEL, concurrency: c, fn: (i) => fn(slice[i]) });
        return { ...r, cpu: cpu.stop(r.ok) };
      };
      const saga = sagaServed ? await measured(viaSaga) : null;
      const baseline = await measured(viaMonolith);
      results.push({ clients: c, saga, baseline });
    }

    // Saga and baseline write to different databases, so one count over all levels separates them.
    await new Promise((resolve) => setTimeout(resolve, STATS_FLUSH_MS));
    const commitsAfter = await commits([...sagaDatabases, db.name]);
    const commitsPerOrder = (name, side) =>
      (commitsAfter[name] - commitsBefore[name]) /
      Math.max(
        1,
        results.reduce((n, r) => n + (r[side]?.ok ?? 0), 0),
      );

    const herbs = bodies.reduce((s, b) => s + b.items.length, 0) / bodies.length;
    log(
      `orders bench: ${PER_LEVEL} orders per level (${f1(herbs)} herbs × ${bodies[0].packs} packs each), one clinic account, closed loop`,
    );
    log(
      `  machine: ${os.cpus().length} cores, load average ${f2(loadBefore)} before the levels, ${f2(os.loadavg()[0])} after`,
    );
    log(
      '  saga     = POST /api/v1/orders → 201 PAID (gateway → orders → accounts → orders → gateway, 6 processes)',
    );
    log(
      '  baseline = same bodies, one process, one database, one transaction (same parse, catalogue + safety + pricing, credential, debit, order insert)',
    );
    log(
      `  clients | saga:  orders/s   p50 ms   p95 ms   p99 ms  err | baseline: orders/s p50 ms p95 ms p99 ms err | thrpt    p95 (saga/baseline)`,
    );
    for (const r of results) log(row(r.clients, r.saga, r.baseline));
    log('  CPU per order by component (ms; includes whatever else the machine ran meanwhile):');
    for (const r of results) {
      if (r.saga) log(`    saga     ${String(r.clients).padStart(2)} clients: ${cpuLine(r.saga.cpu)}`);
      log(`    baseline ${String(r.clients).padStart(2)} clients: ${cpuLine(r.baseline.cpu)}`);
    }
    const sagaCommits = sagaDatabases.map((d) => [serviceOf[d], commitsPerOrder(d, 'saga')]);
    log(
      "  PostgreSQL commits per order, all levels (a statement outside a transaction is one; the saga's include its pollers):",
    );
    if (sagaServed) {
      const parts = sagaCommits.filter(([, n]) => n >= 0.05).sort((a, b) => b[1] - a[1]);
      log(
        `    saga ${parts.map(([svc, n]) => `${svc} ${f1(n)}`).join(', ')} = ${f1(parts.reduce((a, [, n]) => a + n, 0))}` +
          `;  baseline ${f1(commitsPerOrder(db.name, 'baseline'))}`,
      );
    } else log(`    baseline ${f1(commitsPerOrder(db.name, 'baseline'))}`);
    for (const r of results) {
      for (const [side, x] of [
        ['saga', r.saga],
        ['baseline', r.baseline],
      ]) {
        if (x?.errors) log(`  ${side} errors at ${r.clients} clients: ${JSON.stringify(x.errorKinds)}`);
      }
    }

    const checks = {};
    const at = results.find((r) => r.clients === TARGET_P95_AT);
    if (sagaServed && at) {
      checks.p95 = at.saga.p95 <= TARGET_P95_MS && at.saga.errors === 0;
      log(
        `  target order p95 ≤ ${TARGET_P95_MS} ms at ${TARGET_P95_AT} clients: ${f1(at.saga.p95)} ms` +
          `${at.saga.errors ? ` (${at.saga.errors} errors)` : ''} — ${checks.p95 ? 'met' : 'MISSED'}`,
      );
    }
    if (sagaServed) {
      const peak = (side) => Math.max(...results.map((r) => r[side].throughput));
      const ratio = peak('saga') / peak('baseline');
      const worst = results.reduce((w, r) => {
        const x = r.saga.throughput / r.baseline.throughput;
        return !w || x < w.x ? { x, c: r.clients } : w;
      }, null);
      // A reference that failed is no reference: a ratio against it is not a verdict.
      const baselineServed = results.every((r) => r.baseline.errors === 0 && r.baseline.throughput > 0);
      checks.ratio = baselineServed && ratio >= TARGET_RATIO;
      log(
        `  target saga throughput ≥ ${TARGET_RATIO}× baseline: peak ${f1(peak('saga'))}/s vs ${f1(peak('baseline'))}/s = ${f2(ratio)}× ` +
          `(lowest level: ${f2(worst.x)}× at ${worst.c} clients) — ${checks.ratio ? 'met' : 'MISSED'}` +
          `${baselineServed ? '' : ' (the baseline failed, see its errors above)'}`,
      );
    }
    if (trace && sagaServed) {
      await new Promise((r) => setTimeout(r, 1500)); // the processes' span batches
      for (const line of sagaBreakdown(trace.spans)) log(`  ${line}`);
      if (process.env.BENCH_TRACE === 'full') for (const line of medianTrace(trace.spans)) log(`  ${line}`);
    }
    return {
      name: 'orders',
      sagaServed,
      results,
      checks,
      met: Object.values(checks).every(Boolean) && sagaServed,
    };
  } finally {
    await monolith?.close().catch(() => {});
    await db?.drop().catch(() => {});
    await platform.shutdown().catch((e) => log(`orders bench: shutdown failed: ${e.message}`));
    trace?.close();
  }
}

module.exports = { run };

if (require.main === module) {
  run().then(
    (r) => process.exit(r.met ? 0 : 1),
    (err) => {
      console.error(`orders bench failed: ${err.stack || err.message}`);
      process.exit(1);
    },
  );
}
