/**
 * Fail closed (checkProductionConfig): each built process, started outside development and test
 * without the secrets it needs, exits CONFIG_REFUSED_EXIT_CODE with ONE line naming every missing
 * setting — before it connects to anything — and `npm start` then stops instead of restarting it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import config from '../../tools/lib/config';
import { entryPoint, nodeArgs } from '../../tools/lib/supervisor';
import {
  type TestDatabase,
  type TestVhost,
  createTestDatabase,
  createTestVhost,
  eventually,
} from '../support/infra';

jest.setTimeout(180_000);

const ROOT = path.join(__dirname, '..', '..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `args` on Node 22 with exactly `env` (plus PATH), until it exits or `timeoutMs` passes. */
async function run(args: string[], env: Record<string, string>, timeoutMs: number): Promise<Run> {
  const started = Date.now();
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c) => (stdout += c));
  child.stderr!.on('data', (c) => (stderr += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = await once(child, 'exit');
  clearTimeout(timer);
  return { code, stdout, stderr, ms: Date.now() - started };
}

function mainOf(name: string): string[] {
  const main = entryPoint(config.project(name));
  if (main instanceof Error) throw new Error(`${main.message}: run \`npm run build\` first (npm test does)`);
  return nodeArgs(main);
}

const lines = (s: string) => s.split('\n').filter((l) => l.trim());

/** What each process misses with nothing set (settings other helpers add come on top). */
const MISSING_WITH_NOTHING_SET: Record<string, string[]> = {
  identity: ['PII_ENCRYPTION_KEYS', 'ADMIN_EMAIL', 'ADMIN_PASSWORD'],
  orders: ['PII_ENCRYPTION_KEYS', 'VERIFICATION_CODE_HMAC_KEY'],
  accounts: ['PAYMENT_PROVIDER', 'ALIPAY_PROVIDER', 'WECHATPAY_PROVIDER'],
  pharmacy: ['PII_ENCRYPTION_KEYS', 'VERIFICATION_CODE_HMAC_KEY', 'FILES_URL_SECRET'],
  notifications: ['SENDGRID_API_KEY or SMTP_URL'],
  gateway: ['METRICS_TOKEN'],
};

describe('a process started in production without its secrets', () => {
  it.each(Object.keys(MISSING_WITH_NOTHING_SET))(
    '%s exits non-zero with one line naming every missing setting',
    async (name) => {
      const r = await run(mainOf(name), { NODE_ENV: 'production' }, 30_000);
      expect(r.code).toBe(config.CONFIG_REFUSED_EXIT_CODE);
      const [line, ...more] = lines(r.stderr);
      expect(more).toEqual([]);
      expect(line).toMatch(new RegExp(`^${name} refuses to start with NODE_ENV=production: missing `));
      for (const setting of MISSING_WITH_NOTHING_SET[name]) expect(line).toContain(setting);
    },
  );

  it('counts any NODE_ENV but development and test as production', async () => {
    const r = await run(mainOf('orders'), { NODE_ENV: 'staging' }, 30_000);
    expect(r.code).toBe(config.CONFIG_REFUSED_EXIT_CODE);
    expect(r.stderr).toContain(
      'orders refuses to start with NODE_ENV=staging: missing PII_ENCRYPTION_KEYS, VERIFICATION_CODE_HMAC_KEY',
    );
  });

  it('refuses the shipped default admin password and the sandbox payment provider', async () => {
    const identity = await run(
      mainOf('identity'),
      {
        NODE_ENV: 'production',
        PII_ENCRYPTION_KEYS: 'k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
        ADMIN_EMAIL: 'admin@clinic.example.nz',
        ADMIN_PASSWORD: 'prescriptchain-dev-admin',
      },
      30_000,
    );
    expect(identity.code).toBe(config.CONFIG_REFUSED_EXIT_CODE);
    expect(lines(identity.stderr)).toEqual([
      'identity refuses to start with NODE_ENV=production: ADMIN_PASSWORD is a shipped default',
    ]);
    const accounts = await run(
      mainOf('accounts'),
      { NODE_ENV: 'production', PAYMENT_PROVIDER: 'sandbox', ALIPAY_PROVIDER: 'sandbox', WECHATPAY_PROVIDER: 'off' },
      30_000,
    );
    expect(accounts.code).toBe(config.CONFIG_REFUSED_EXIT_CODE);
    expect(lines(accounts.stderr)).toEqual([
      'accounts refuses to start with NODE_ENV=production: PAYMENT_PROVIDER=sandbox is for development only; ALIPAY_PROVIDER=sandbox is for development only',
    ]);
  });
});

describe('npm start in production', () => {
  const databases: TestDatabase[] = [];
  let vhost: TestVhost;

  beforeAll(async () => {
    vhost = await createTestVhost('prod_start');
    for (const svc of config.SERVICES) databases.push(await createTestDatabase(`prod_start_${svc}`));
  });
  afterAll(async () => {
    for (const db of databases) await db.drop();
    await vhost?.drop();
  });

  it('stops within a minute, non-zero, naming what each process misses — instead of restarting them', async () => {
    const port = await freePort();
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      AMQP_URL: vhost.url,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      RABBITMQ_MGMT_URL: process.env.TEST_RABBITMQ_MGMT_URL ?? 'http://guest:guest@127.0.0.1:15672',
      GATEWAY_PORT: String(port),
    };
    config.SERVICES.forEach((svc, i) => (env[config.databaseEnvVar(svc)] = databases[i].url));
    const r = await run([path.join(ROOT, 'tools', 'start.js')], env, 60_000);
    expect(r.ms).toBeLessThan(60_000);
    expect(r.code).toBe(config.CONFIG_REFUSED_EXIT_CODE);
    const out = `${r.stdout}\n${r.stderr}`;
    for (const [name, settings] of Object.entries(MISSING_WITH_NOTHING_SET)) {
      const line = lines(out).find((l) => l.includes(`${name} refuses to start with NODE_ENV=production`));
      expect([name, line && settings.every((s) => line.includes(s))]).toEqual([name, true]);
    }
    expect(out).toMatch(/not starting: .* refused the configuration/);
    expect(out).not.toMatch(/restarting in/);
  });

  it('starts, with every secret set, and serves /metrics only to its token', async () => {
    const port = await freePort();
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      AMQP_URL: vhost.url,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      RABBITMQ_MGMT_URL: process.env.TEST_RABBITMQ_MGMT_URL ?? 'http://guest:guest@127.0.0.1:15672',
      GATEWAY_PORT: String(port),
      LOG_LEVEL: 'warn',
      PII_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      VERIFICATION_CODE_HMAC_KEY: randomBytes(32).toString('base64'),
      ADMIN_EMAIL: 'ops@clinic.example.nz',
      ADMIN_PASSWORD: 'an operator passphrase of our own',
      FILES_URL_SECRET: randomBytes(24).toString('hex'),
      FILES_DIR: path.join(os.tmpdir(), `pc-prod-files-${port}`),
      PAYMENT_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_production_start_check',
      STRIPE_WEBHOOK_SECRET: 'whsec_production_start_check',
      ALIPAY_PROVIDER: 'off',
      WECHATPAY_PROVIDER: 'off',
      SMTP_URL: 'smtp://127.0.0.1:1025',
      METRICS_TOKEN: 'scrape-token-for-the-test',
    };
    config.SERVICES.forEach((svc, i) => (env[config.databaseEnvVar(svc)] = databases[i].url));
    const child = spawn(process.execPath, [path.join(ROOT, 'tools', 'start.js')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const exited = once(child, 'exit');
    try {
      await eventually(() => /launcher +\| ready: /.test(out) || child.exitCode !== null, 100_000, 200);
      expect([child.exitCode, out.match(/refuses to start.*/g)]).toEqual([null, null]);
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/health/ready`)).status).toBe(200);
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      const scraped = await fetch(`${base}/metrics`, {
        headers: { authorization: 'Bearer scrape-token-for-the-test' },
      });
      expect(scraped.status).toBe(200);
      expect(out).not.toContain('demo seed'); // never in production
    } finally {
      child.kill('SIGINT');
      await exited;
      fs.rmSync(env.FILES_DIR, { recursive: true, force: true });
    }
    expect(child.exitCode).toBe(0);
  });
});

async function freePort(): Promise<number> {
  const srv = net.createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address() as net.AddressInfo;
  srv.close();
  return port;
}
