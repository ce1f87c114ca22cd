'use strict';
// Environment set-up, run by `npm start`, `npm test` and `nx serve`: the local PostgreSQL, RabbitMQ
// (with its management API, which tests use) and Redis are up; PostGIS, the CJK font the PDFs embed
// and the headless Chromium the portal's browser tests drive are installed; every service database
// exists and is migrated. Idempotent, and quick when all is there. A missing PDF font is a warning
// (only the credential PDF needs it); a server that refuses the credentials is told apart from one
// that does not answer.
//
//   node tools/setup.js                  everything
//   node tools/setup.js --only orders    infrastructure + one service's database
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');
const { Client } = require('pg');
const config = require('./lib/config');
const { tcpOpen, httpGet, waitFor, endpoint, isLocalHost } = require('./lib/probe');
const { migrateServices } = require('./migrate');

class SetupError extends Error {}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function run(cmd, { timeoutMs = 120_000 } = {}) {
  const r = spawnSync('/bin/sh', ['-c', cmd], {
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.error || r.status !== 0) {
    const tail = output.split('\n').slice(-5).join('\n');
    throw new SetupError(
      `\`${cmd}\` failed (${r.error ? r.error.message : `exit ${r.status}`})${tail ? `:\n${tail}` : ''}`,
    );
  }
  return output;
}

async function pgQuery(url, sql) {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

const adminUrl = (url) => {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
};

/** SQLSTATE class 28 (invalid authorization): a wrong password, an unknown role, pg_hba.conf's refusal. */
const isPgAuthError = (e) => typeof e?.code === 'string' && e.code.startsWith('28');

/** A server that answers but refuses who we are: not a reachability problem, and nothing to start. */
function credentialsRefused(what, where, url, detail, fix) {
  const user = decodeURIComponent(new URL(url).username) || '(none)';
  return new SetupError(
    `${what} at ${where} is reachable but refused the credentials of user ${user} (${detail}): ${fix}`,
  );
}

async function pgReady(url) {
  try {
    await pgQuery(url, 'SELECT 1');
    return true;
  } catch (e) {
    if (isPgAuthError(e)) throw e;
    return false;
  }
}

async function ensurePostgres(urls, log) {
  const servers = [
    ...new Map(
      urls.map((u) => [`${endpoint(u, 5432).host}:${endpoint(u, 5432).port}`, adminUrl(u)]),
    ).entries(),
  ];
  for (const [where, url] of servers) {
    let ready;
    try {
      ready = await pgReady(url);
    } catch (e) {
      throw credentialsRefused(
        'PostgreSQL',
        where,
        url,
        e.message,
        'check the user and password in the *_DATABASE_URL variables',
      );
    }
    if (ready) {
      log(`postgresql: up (${where})`);
      continue;
    }
    if (!isLocalHost(endpoint(url, 5432).host))
      throw new SetupError(`PostgreSQL at ${where} is not reachable (remote: not starting it)`);
    const versions = fs.existsSync('/etc/postgresql') ? fs.readdirSync('/etc/postgresql').sort() : [];
    if (!versions.length)
      throw new SetupError(
        `PostgreSQL at ${where} is not reachable and no local cluster is configured in /etc/postgresql`,
      );
    const version = versions[versions.length - 1];
    log(`postgresql: not reachable at ${where}, starting cluster ${version}/main`);
    run(`pg_ctlcluster --skip-systemctl-redirect ${version} main start`, { timeoutMs: 60_000 });
    if (!(await waitFor(() => pgReady(url), 30_000, 300)))
      throw new SetupError(`PostgreSQL at ${where} did not come up within 30 s`);
    log(`postgresql: started (${where})`);
  }
}

async function ensureRabbit(log, env) {
  const { host, port } = endpoint(config.amqpUrl(env), 5672);
  if (await tcpOpen(host, port)) {
    log(`rabbitmq: up (${host}:${port})`);
  } else {
    if (!isLocalHost(host))
      throw new SetupError(`RabbitMQ at ${host}:${port} is not reachable (remote: not starting it)`);
    log(`rabbitmq: not reachable at ${host}:${port}, starting it`);
    run('rabbitmq-server -detached', { timeoutMs: 60_000 });
    if (!(await waitFor(() => tcpOpen(host, port), 90_000, 500)))
      throw new SetupError(`RabbitMQ did not come up within 90 s`);
    log(`rabbitmq: started (${host}:${port})`);
  }
  await checkAmqpLogin(config.amqpUrl(env), `${host}:${port}`);
  const mgmt = config.rabbitMgmtUrl(env);
  const overview = new URL('/api/overview', mgmt).toString();
  let res = await httpGet(overview);
  if (!res && isLocalHost(endpoint(mgmt, 15672).host)) {
    log('rabbitmq: enabling rabbitmq_management');
    run('rabbitmq-plugins enable rabbitmq_management', { timeoutMs: 60_000 });
    res = await waitFor(() => httpGet(overview), 60_000, 500);
  }
  if (!res)
    throw new SetupError(
      `RabbitMQ management API not answering at ${endpoint(mgmt, 15672).host}:${endpoint(mgmt, 15672).port}`,
    );
  const where = `${endpoint(mgmt, 15672).host}:${endpoint(mgmt, 15672).port}`;
  if (res.status === 401 || res.status === 403)
    throw credentialsRefused(
      'The RabbitMQ management API',
      where,
      mgmt,
      `HTTP ${res.status}`,
      'check the user and password in RABBITMQ_MGMT_URL (the user needs the management tag)',
    );
  if (res.status !== 200) throw new SetupError(`RabbitMQ management API at ${where} answered ${res.status}`);
  log('rabbitmq: management API up');
}

/**
 * Logs in over AMQP once: a port that accepts TCP may still refuse the user (ACCESS_REFUSED) or the
 * vhost (NOT_ALLOWED), which every service would otherwise report only when it starts.
 */
async function checkAmqpLogin(url, where) {
  const amqp = require('amqplib');
  let conn;
  try {
    conn = await amqp.connect(url, { timeout: 5000 });
  } catch (e) {
    const detail = String(e?.message ?? e).split('\n')[0];
    if (/ACCESS[-_]REFUSED|NOT[-_]ALLOWED|\b403\b|\b530\b/.test(detail))
      throw credentialsRefused(
        'RabbitMQ',
        where,
        url,
        detail,
        'check the user, password and vhost in AMQP_URL',
      );
    throw new SetupError(`RabbitMQ at ${where} accepts connections but the AMQP login failed: ${detail}`);
  }
  await conn.close().catch(() => {});
}

async function ensureRedis(log, env) {
  const { host, port } = endpoint(config.redisUrl(env), 6379);
  if (await tcpOpen(host, port)) return log(`redis: up (${host}:${port})`);
  if (!isLocalHost(host))
    throw new SetupError(`Redis at ${host}:${port} is not reachable (remote: not starting it)`);
  log(`redis: not reachable at ${host}:${port}, starting it`);
  run(`redis-server --daemonize yes --bind 127.0.0.1 -::1 --port ${port} --save "" --appendonly no`, {
    timeoutMs: 30_000,
  });
  if (!(await waitFor(() => tcpOpen(host, port), 15_000, 200)))
    throw new SetupError('Redis did not come up within 15 s');
  log(`redis: started (${host}:${port})`);
}

let aptUpdated = false;
function aptInstall(packages, log) {
  if (!isRoot()) throw new SetupError(`not root: cannot install ${packages.join(' ')}`);
  if (!aptUpdated) {
    log('apt: updating package lists');
    run('apt-get update', { timeoutMs: 300_000 });
    aptUpdated = true;
  }
  log(`apt: installing ${packages.join(' ')}`);
  run(`apt-get install -y --no-install-recommends ${packages.join(' ')}`, { timeoutMs: 600_000 });
}

async function ensurePostgis(url, log) {
  const available = async () =>
    (await pgQuery(adminUrl(url), "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")).length > 0;
  if (await available()) return log('postgis: available');
  const [{ v }] = await pgQuery(
    adminUrl(url),
    "SELECT current_setting('server_version_num')::int / 10000 AS v",
  );
  const pkg = `postgresql-${v}-postgis-3`;
  const { host } = endpoint(url, 5432);
  const instruction = `PostGIS is missing on the PostgreSQL server at ${host}: install it there (Debian: \`apt-get install -y ${pkg}\`) and re-run`;
  if (!isLocalHost(host) || !isRoot()) throw new SetupError(instruction);
  aptInstall([pkg], log);
  if (!(await available()))
    throw new SetupError(`${instruction} (installed ${pkg}, but the server still does not offer postgis)`);
  log(`postgis: installed ${pkg}`);
}

/**
 * Fonts the PDF prescriptions embed: CJK for Chinese, DejaVu for pinyin tone marks WenQuanYi lacks —
 * the files orders' renderer reads (CREDENTIAL_FONT_PATH / CREDENTIAL_PINYIN_FONT_PATH, else Debian's).
 */
const pdfFonts = (env) => [
  {
    file: env.CREDENTIAL_FONT_PATH || config.CJK_FONT,
    variable: 'CREDENTIAL_FONT_PATH',
    set: !!env.CREDENTIAL_FONT_PATH,
    pkg: 'fonts-wqy-microhei',
    what: 'cjk font',
  },
  {
    file: env.CREDENTIAL_PINYIN_FONT_PATH || config.PINYIN_FONT,
    variable: 'CREDENTIAL_PINYIN_FONT_PATH',
    set: !!env.CREDENTIAL_PINYIN_FONT_PATH,
    pkg: 'fonts-dejavu-core',
    what: 'pinyin font',
  },
];

/** What a missing font costs: only the printable prescription, never the rest of the platform. */
const FONT_IMPACT = {
  'cjk font':
    "orders' printable prescription (the credential PDF) fails until it is there; everything else runs",
  'pinyin font': "orders' printable prescription sets pinyin without third-tone marks until it is there",
};

/**
 * Installs the default fonts when missing and possible (root, Debian); a font that is still missing
 * is a warning, not a failure: only the credential PDF needs it. Returns the warnings.
 * @param {(line: string) => void} log
 * @param {NodeJS.ProcessEnv} env
 * @param {{ root?: boolean, install?: (pkgs: string[], log: (l: string) => void) => void }} [how]
 */
function ensurePdfFonts(log, env = process.env, { root = isRoot(), install = aptInstall } = {}) {
  const fonts = pdfFonts(env);
  const missing = fonts.filter((f) => !fs.existsSync(f.file));
  for (const f of fonts) if (!missing.includes(f)) log(`${f.what}: present (${f.file})`);
  // A path the environment names is the operator's choice: never replaced by a package install.
  const installable = missing.filter((f) => !f.set);
  let installError = null;
  if (installable.length && root) {
    try {
      install(
        installable.map((f) => f.pkg),
        log,
      );
    } catch (e) {
      installError = e.message;
    }
  }
  const warnings = [];
  for (const f of missing) {
    if (fs.existsSync(f.file)) {
      log(`${f.what}: installed ${f.pkg}`);
      continue;
    }
    const fix = f.set
      ? `${f.variable} is ${f.file}, which does not exist: point it at a font file`
      : installError
        ? `installing ${f.pkg} failed (${installError.split('\n')[0]})`
        : root
          ? `${f.pkg} installed but ${f.file} is still missing`
          : `run \`sudo apt-get install -y ${f.pkg}\` or set ${f.variable}`;
    warnings.push(`${f.what} missing at ${f.file} — ${FONT_IMPACT[f.what]}: ${fix}`);
  }
  return warnings;
}

/**
 * The headless browser the portal's end-to-end tests drive (playwright-core with executablePath):
 * Debian's `chromium` — a test tool's own browser download does not work on these machines.
 */
function ensureChromium(log, env) {
  const file = config.chromiumPath(env);
  if (fs.existsSync(file)) return log(`chromium: present (${file})`);
  if (env.CHROMIUM_PATH)
    throw new SetupError(
      `CHROMIUM_PATH is ${file}, which does not exist (the portal's browser tests need it)`,
    );
  if (!isRoot())
    throw new SetupError(
      `${file} missing (the portal's browser tests drive it): run \`sudo apt-get install -y chromium\``,
    );
  aptInstall(['chromium'], log);
  if (!fs.existsSync(file)) throw new SetupError(`chromium installed but ${file} is still missing`);
  log(`chromium: installed (${file})`);
}

/**
 * @param {{ services?: string[], log?: (line: string) => void, env?: NodeJS.ProcessEnv }} [options]
 *   services: whose databases to create and migrate (default: all; [] = infrastructure only).
 */
async function setup(options = {}) {
  const services = options.services ?? config.SERVICES;
  const env = options.env ?? process.env;
  const log = (l) => (options.log ?? console.log)(`setup: ${l}`);
  const started = Date.now();
  await ensurePostgres(
    config.SERVICES.map((s) => config.databaseUrl(s, env)),
    log,
  );
  await ensureRabbit(log, env);
  await ensureRedis(log, env);
  if (services.includes('pharmacy')) await ensurePostgis(config.databaseUrl('pharmacy', env), log);
  const warnings = services.includes('orders') ? ensurePdfFonts(log, env) : [];
  // The whole platform (npm start, npm test) — not one service's `nx serve` — gets the browser too.
  if (!options.services) ensureChromium(log, env);
  await migrateServices(services, { log, env });
  for (const w of warnings) log(`warning: ${w}`);
  log(
    `done in ${((Date.now() - started) / 1000).toFixed(1)} s${warnings.length ? ` (${warnings.length} warning(s) above)` : ''}`,
  );
  return { warnings };
}

if (require.main === module) {
  const i = process.argv.indexOf('--only');
  const services = i > 0 ? process.argv.slice(i + 1) : undefined;
  setup({ services }).catch((e) => {
    console.error(`setup failed: ${e.message}`);
    process.exit(1);
  });
}

module.exports = { setup, SetupError, ensurePdfFonts };
