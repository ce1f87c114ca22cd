'use strict';
// `npm start`: set-up → build → the five services and the gateway as supervised child processes →
// wait for GET /health/ready → demo seed (when tools/demo-seed.js exists). Ctrl-C stops everything.
// ORDERS_REPLICAS=n runs n orders processes (`orders`, `orders-2`, …) as competing consumers.
const fs = require('node:fs');
const path = require('node:path');
const config = require('./lib/config');
const { httpGet, sleep } = require('./lib/probe');
const { Supervisor, stopOnSignals, entryPoint, nodeArgs, childEnv } = require('./lib/supervisor');
const { setup } = require('./setup');
const { build } = require('./build');

const READY_TIMEOUT_MS = Number(process.env.START_READY_TIMEOUT_MS || 90_000);
const DEMO_SEED = path.join(config.ROOT, 'tools', 'demo-seed.js');

/** Service names a /health/ready body reports as not up (it may be wrapped in an envelope). */
function downServices(body) {
  let found = null;
  const visit = (v) => {
    if (found || !v || typeof v !== 'object') return;
    if (v.services && typeof v.services === 'object') {
      found = Object.entries(v.services)
        .filter(([, s]) => s !== 'up')
        .map(([n]) => n);
      return;
    }
    Object.values(v).forEach(visit);
  };
  try {
    visit(JSON.parse(body));
  } catch {
    /* not JSON */
  }
  return found;
}

/** Polls until ready; after READY_TIMEOUT_MS says once what is not up, then keeps waiting. */
async function waitUntilReady(supervisor, url) {
  const reportAt = Date.now() + READY_TIMEOUT_MS;
  let reported = false;
  for (;;) {
    if (supervisor.stopping) return false;
    const res = await httpGet(url, 2000);
    if (res?.status === 200) return true;
    if (!reported && Date.now() >= reportAt) {
      reported = true;
      const down = res ? downServices(res.body) : null;
      const crashed = supervisor.down();
      supervisor.log(
        `not ready after ${READY_TIMEOUT_MS / 1000} s: ` +
          (res
            ? `${url} answered ${res.status}${down?.length ? `, down: ${down.join(', ')}` : ''}`
            : `${url} does not answer`) +
          (crashed.length ? `; not running: ${crashed.join(', ')}` : '') +
          ' — still running and waiting',
      );
    }
    await sleep(reported ? 2000 : 500);
  }
}

/**
 * A process that refuses its configuration (exit 78) stops the launch: the others get a moment to
 * say what they miss too, then everything stops and the launcher exits 78.
 */
function stopWhenRefused(supervisor, graceMs = 3000) {
  let timer = null;
  return () => {
    if (timer) return;
    timer = setTimeout(async () => {
      supervisor.log(
        `not starting: ${supervisor.refused.join(', ')} refused the configuration (the lines above name what is missing)`,
      );
      await supervisor.stop();
      process.exit(config.CONFIG_REFUSED_EXIT_CODE);
    }, graceMs);
  };
}

function runDemoSeed(supervisor, env) {
  if (!fs.existsSync(DEMO_SEED) || config.isProductionEnv(env)) return;
  supervisor.log('running the demo seed');
  supervisor.run('demo-seed', [DEMO_SEED], {
    env,
    restart: false,
    onExit: (code) => supervisor.log(code === 0 ? 'demo seed done' : `demo seed failed (exit ${code})`),
  });
}

async function main() {
  const instances = config.instances(); // a bad ORDERS_REPLICAS stops us before set-up and build
  await setup();
  await build();
  const mains = instances.map((i) => ({ i, main: entryPoint(i.project) }));
  const missing = mains.filter(
    (m, k) => m.main instanceof Error && mains.findIndex((x) => x.i.project === m.i.project) === k,
  );
  if (missing.length) {
    throw new Error(`cannot start:\n  ${missing.map((m) => m.main.message).join('\n  ')}`);
  }
  const supervisor = new Supervisor();
  supervisor.onRefused = stopWhenRefused(supervisor);
  stopOnSignals(supervisor);
  for (const { i, main } of mains) supervisor.run(i.name, nodeArgs(main), { env: childEnv(i.name) });
  const port = config.gatewayPort();
  const readyUrl = `http://127.0.0.1:${port}/health/ready`;
  supervisor.log(`started ${mains.map((m) => m.i.name).join(', ')}; waiting for ${readyUrl}`);
  if (await waitUntilReady(supervisor, readyUrl)) {
    supervisor.log(`ready: http://127.0.0.1:${port} (API /api/v1, docs /docs) — Ctrl-C stops everything`);
    const admin = config.developmentAdmin();
    if (admin.ADMIN_PASSWORD)
      supervisor.log(
        `development admin: ${admin.ADMIN_EMAIL} / ${admin.ADMIN_PASSWORD} (generated, kept in ${path.relative(config.ROOT, config.DEV_ADMIN_PASSWORD_FILE)})`,
      );
    runDemoSeed(supervisor, childEnv('demo-seed'));
  }
}

main().catch((e) => {
  console.error(`start failed: ${e.message}`);
  process.exit(1);
});
