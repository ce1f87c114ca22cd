'use strict';
// What authenticating a request costs (issue 11): authenticated GETs through the whole platform —
// GET /api/v1/auth/me (identity answers it) and GET /api/v1/orders/:id (orders answers it; 404 for
// an id that does not exist, which is as far as authentication goes) — with the gateway's principal
// cache off (PRINCIPAL_CACHE_TTL_MS=0: identity authenticates every request, as before issue 11) and
// on (the token verified in the gateway, the principal cached while identity's events reach it).
// Figures per request: identity.auth.authenticate RPCs (the gateway's own rpc_client metric), CPU
// of the gateway and identity (Linux /proc) and latency. One platform per mode, one after the
// other; compare ratios in the same run.
//
//   npx node tools/bench/auth.bench.js          alone (after `npm run build`)
const os = require('node:os');
const { randomUUID } = require('node:crypto');
const { startPlatform } = require('../lib/platform');
const { gatewayClient, dataOf } = require('./lib/gateway-client');
const { cpuMeter, cpuLine } = require('./lib/cpu-meter');
const { runClosedLoop, latencyLine, f1, f2 } = require('./lib/stats');

const REQUESTS = Number(process.env.BENCH_AUTH_REQUESTS || 400);
const CONCURRENCY = Number(process.env.BENCH_AUTH_CONCURRENCY || 4);
const WARMUP = 40;
const ADMIN = { email: 'admin@bench-auth.prescriptchain.test', password: 'a bench admin passphrase 42' };

/** RPCs the gateway made to one pattern so far (sum over outcomes), from its /metrics. */
async function rpcCount(platform, pattern) {
  const text = await (await platform.get('/metrics')).text();
  let n = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('rpc_client_duration_seconds_count{') && line.includes(`pattern="${pattern}"`))
      n += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return n;
}

async function measureMode(mode, log) {
  const platform = await startPlatform({
    prefix: `pcbench_auth_${mode}`,
    env: {
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      RATE_LIMIT_AUTH_PER_MIN: '0',
      RATE_LIMIT_SEARCH_PER_MIN: '0',
      RATE_LIMIT_ORDERS_PER_MIN: '0',
      RATE_LIMIT_KEY_PREFIX: `pcbench:${randomUUID()}:`,
      PRINCIPAL_CACHE_TTL_MS: mode === 'off' ? '0' : '30000',
    },
  });
  try {
    const call = gatewayClient(platform.baseUrl);
    const token = dataOf(await call('POST', '/auth/login', { body: ADMIN }), 200, 'admin login').tokens
      .accessToken;
    const missing = randomUUID();
    const routes = {
      'GET /auth/me': { path: '/auth/me', status: 200 },
      'GET /orders/:id': { path: `/orders/${missing}`, status: 404 },
    };
    const results = {};
    for (const [name, { path, status }] of Object.entries(routes)) {
      const once = async () => (await call('GET', path, { token })).status === status || 'unexpected status';
      await runClosedLoop({ total: WARMUP, concurrency: CONCURRENCY, fn: once });
      const before = await rpcCount(platform, 'identity.auth.authenticate');
      const cpu = cpuMeter();
      const r = await runClosedLoop({ total: REQUESTS, concurrency: CONCURRENCY, fn: once });
      const used = cpu.stop(r.ok);
      const after = await rpcCount(platform, 'identity.auth.authenticate');
      results[name] = { ...r, authRpcs: (after - before) / Math.max(r.ok, 1), cpu: used };
      const gwIdentity = (used.perOrderMs.gateway ?? 0) + (used.perOrderMs.identity ?? 0);
      log(
        `  cache ${mode.padEnd(3)} ${name.padEnd(15)} ${r.ok}/${REQUESTS} ok  authenticate RPCs/request ${f2(results[name].authRpcs)}  ` +
          `gateway+identity CPU ${f2(gwIdentity)} ms/request  ${latencyLine(r)}  ${f1(r.throughput)}/s`,
      );
      log(`      CPU per request: ${cpuLine(used)}`);
      results[name].gwIdentityMs = gwIdentity;
    }
    return results;
  } finally {
    await platform.shutdown();
  }
}

async function run({ log = console.log } = {}) {
  log(
    `  ${REQUESTS} requests per route, ${CONCURRENCY} clients, ${os.cpus().length} cores, load ${f2(os.loadavg()[0])}`,
  );
  const off = await measureMode('off', log);
  const on = await measureMode('on', log);
  for (const name of Object.keys(on)) {
    const ratio = on[name].gwIdentityMs / off[name].gwIdentityMs;
    log(
      `  ${name}: authenticate RPCs/request ${f2(off[name].authRpcs)} → ${f2(on[name].authRpcs)}; ` +
        `gateway+identity CPU/request ${f2(off[name].gwIdentityMs)} → ${f2(on[name].gwIdentityMs)} ms (×${f2(ratio)}); ` +
        `p50 ${f2(off[name].p50)} → ${f2(on[name].p50)} ms`,
    );
  }
  const met = Object.values(on).every((r) => r.authRpcs < 0.05 && r.errors === 0);
  log(`  target: no identity RPC for the common authenticated request — ${met ? 'met' : 'MISSED'}`);
  return { met };
}

module.exports = { run };

if (require.main === module) {
  run().then(
    (r) => process.exit(r.met ? 0 : 1),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
