import { transformFileSync } from '@swc/core';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * register.ts as processes use it: preloaded with `node --require` in a child process, compiled
 * here so the test does not depend on a prior build.
 */
const ROOT = join(__dirname, '..', '..', '..', '..');
let dir: string;

// The child: an HTTP server that reports the trace it runs in and what its own outgoing call
// carried. It is called over a raw socket, so no instrumented client rewrites the traceparent.
const CHILD = `
const http = require('node:http');
const net = require('node:net');
const { trace } = require('@opentelemetry/api');
const { shutdownTelemetry } = require(process.env.REGISTER);
let port;
const server = http.createServer((req, res) => {
  if (req.url === '/echo') return res.end(req.headers.traceparent || '');
  const traceId = trace.getActiveSpan()?.spanContext().traceId;
  http.get('http://127.0.0.1:' + port + '/echo', (r) => {
    let sent = ''; r.on('data', (c) => (sent += c));
    r.on('end', () => res.end(JSON.stringify({ traceId, outgoingTraceparent: sent })));
  });
});
const raw = (headers) => new Promise((resolve, reject) => {
  let data = '';
  const socket = net.connect(port, '127.0.0.1', () =>
    socket.write('GET /orders HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n' + headers + '\\r\\n'));
  socket.on('data', (c) => (data += c));
  socket.on('end', () => resolve(JSON.parse(data.slice(data.indexOf('\\r\\n\\r\\n') + 4))));
  socket.on('error', reject);
});
server.listen(0, '127.0.0.1', async () => {
  port = server.address().port;
  const continued = await raw('traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\\r\\n');
  const fresh = await raw('');
  server.close();
  await shutdownTelemetry();
  process.stdout.write(JSON.stringify({ continued, fresh }));
});
`;

function runChild(env: Record<string, string>): Promise<{ continued: any; fresh: any }> {
  const child = spawn(process.execPath, ['--require', join(dir, 'register.js'), join(dir, 'child.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_PATH: join(ROOT, 'node_modules'),
      REGISTER: join(dir, 'register.js'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return once(child, 'exit').then(([code]) => {
    clearTimeout(timer);
    if (code !== 0) throw new Error(`child exited ${code}: ${err}`);
    return JSON.parse(out);
  });
}

describe('observability/register (preloaded with --require)', () => {
  let collector: Server;
  let received: { path: string; body: string }[];
  let endpoint: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pc-observability-'));
    for (const f of readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.includes('spec'))) {
      const { code } = transformFileSync(join(__dirname, f), {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
        module: { type: 'commonjs' },
      });
      writeFileSync(join(dir, f.replace(/\.ts$/, '.js')), code);
    }
    writeFileSync(join(dir, 'child.js'), CHILD);
    received = [];
    collector = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    collector.listen(0, '127.0.0.1');
    await once(collector, 'listening');
    endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    collector?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => (received = []));

  it('continues an incoming W3C trace, propagates it on outgoing HTTP, and exports spans over OTLP/HTTP on shutdown', async () => {
    const { continued, fresh } = await runChild({
      OTEL_SERVICE_NAME: 'test-svc',
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    });
    expect(continued.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    // The outgoing call carried the same trace with its own (client) span as parent.
    expect(continued.outgoingTraceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(continued.outgoingTraceparent).not.toContain('00f067aa0ba902b7');
    expect(fresh.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(fresh.outgoingTraceparent).toContain(fresh.traceId);
    const exported = received
      .filter((r) => r.path === '/v1/traces')
      .map((r) => r.body)
      .join('\n');
    expect(exported).toContain('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(exported).toContain('test-svc');
  });

  it('without OTEL_EXPORTER_OTLP_ENDPOINT exports nothing but still makes and propagates trace ids', async () => {
    const { continued, fresh } = await runChild({ OTEL_SERVICE_NAME: 'test-svc' });
    expect(continued.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(fresh.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(fresh.outgoingTraceparent).toContain(fresh.traceId);
    expect(received).toEqual([]);
  });
});
