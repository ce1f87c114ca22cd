/**
 * Runs the whole platform for an e2e suite: five services and the gateway as real child processes
 * (the built dist/main.js of each, as `npm start` runs them), each service on its own fresh database,
 * all on a fresh RabbitMQ vhost, the gateway on a free port.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { SERVICES, ServiceName } from '@prescriptchain/contracts';
import { REDIS_URL, TestDatabase, TestVhost, createTestDatabase, createTestVhost, eventually } from '../../support/infra';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { migrate } = require('../../../tools/migrate') as {
  migrate(url: string, dir: string): Promise<unknown>;
};

const ROOT = join(__dirname, '..', '..', '..');
export type ProcessName = ServiceName | 'gateway';

async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address() as AddressInfo;
  srv.close();
  return port;
}

export interface Platform {
  baseUrl: string;
  vhost: TestVhost;
  databases: Record<ServiceName, TestDatabase>;
  logs: Record<ProcessName, string[]>;
  start(name: ProcessName): Promise<void>;
  stop(name: ProcessName, signal?: NodeJS.Signals): Promise<number | null>;
  get(path: string, init?: RequestInit): Promise<Response>;
  shutdown(): Promise<void>;
}

export async function startPlatform(opts: { env?: Record<string, string> } = {}): Promise<Platform> {
  const vhost = await createTestVhost('e2e');
  const databases = {} as Record<ServiceName, TestDatabase>;
  for (const svc of SERVICES) {
    databases[svc] = await createTestDatabase(`e2e_${svc}`);
    await migrate(databases[svc].url, join(ROOT, 'services', svc, 'prisma', 'migrations'));
  }
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
    AMQP_URL: vhost.url,
    REDIS_URL,
    GATEWAY_PORT: String(port),
    READY_DEADLINE_MS: '1000',
    RPC_DEADLINE_MS: '3000',
    MESSAGING_RETRY_DELAYS_MS: '100,300',
    SKIP_MIGRATIONS: '1',
    ...opts.env,
  };
  for (const svc of SERVICES) env[`${svc.toUpperCase()}_DATABASE_URL`] = databases[svc].url;

  const children = new Map<ProcessName, ChildProcess>();
  const logs = Object.fromEntries([...SERVICES, 'gateway'].map((n) => [n, [] as string[]])) as Record<ProcessName, string[]>;

  const start = async (name: ProcessName) => {
    const dir = name === 'gateway' ? join(ROOT, 'gateway') : join(ROOT, 'services', name);
    const main = join(dir, 'dist', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (npm test does)`);
    const register = join(ROOT, 'libs', 'messaging', 'dist', 'observability', 'register.js');
    const args = existsSync(register) ? ['--require', register, main] : [main];
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...env, OTEL_SERVICE_NAME: name },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      const lines = logs[name];
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      if (lines.length > 500) lines.splice(0, lines.length - 500);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    children.set(name, child);
  };

  const stop = async (name: ProcessName, signal: NodeJS.Signals = 'SIGTERM') => {
    const child = children.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = once(child, 'exit');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const [code] = (await exited) as [number | null];
    clearTimeout(timer);
    children.delete(name);
    return code;
  };

  const get = (path: string, init?: RequestInit) => fetch(`${baseUrl}${path}`, init);

  const platform: Platform = {
    baseUrl,
    vhost,
    databases,
    logs,
    start,
    stop,
    get,
    async shutdown() {
      await Promise.all([...children.keys()].map((n) => stop(n)));
      for (const db of Object.values(databases)) await db.drop();
      await vhost.drop();
    },
  };

  try {
    for (const svc of SERVICES) await start(svc);
    await start('gateway');
    await eventually(async () => (await get('/health/ready')).status === 200, 30_000, 200);
  } catch (e) {
    const tail = Object.entries(logs)
      .map(([n, l]) => `--- ${n}\n${l.slice(-20).join('\n')}`)
      .join('\n');
    await platform.shutdown();
    throw new Error(`platform did not become ready: ${String(e)}\n${tail}`);
  }
  return platform;
}
