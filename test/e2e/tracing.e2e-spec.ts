import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '../support/infra';
import { Platform, startPlatform } from './support/platform';

jest.setTimeout(120_000);

/**
 * One HTTP request that crosses gateway → identity (RPC) → outbox event → accounts (consumer) is
 * one trace: every process exports over OTLP/HTTP to a collector this test runs, and the spans are
 * joined by trace id and parent links.
 */
interface Span {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
}
const KIND = { SERVER: 2, PRODUCER: 4, CONSUMER: 5 };

function startCollector(): Promise<{ server: Server; url: string; spans: Span[] }> {
  const spans: Span[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const doc = JSON.parse(body) as any;
        for (const rs of doc.resourceSpans ?? []) {
          const service = rs.resource?.attributes?.find((a: any) => a.key === 'service.name')?.value
            ?.stringValue;
          for (const ss of rs.scopeSpans ?? [])
            for (const s of ss.spans ?? [])
              spans.push({
                service,
                traceId: s.traceId,
                spanId: s.spanId,
                parentSpanId: s.parentSpanId || undefined,
                name: s.name,
                kind: s.kind,
              });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  return once(server, 'listening').then(() => ({
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
  }));
}

describe('distributed tracing across the processes', () => {
  const ADMIN = { email: 'admin@trace.prescriptchain.test', password: 'a tracing admin passphrase 7' };
  let platform: Platform;
  let collector: Awaited<ReturnType<typeof startCollector>>;

  beforeAll(async () => {
    collector = await startCollector();
    platform = await startPlatform({
      env: {
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_BSP_SCHEDULE_DELAY: '100',
        RATE_LIMIT_AUTH_PER_MIN: '0',
      },
    });
  });

  afterAll(async () => {
    await platform?.shutdown();
    collector?.server.close();
  });

  it('keeps one trace from the HTTP request through the relay publish to the consuming service', async () => {
    const login = await platform.get('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const token = ((await login.json()) as any).data.tokens.accessToken as string;

    const traceId = randomBytes(16).toString('hex');
    const clientSpanId = randomBytes(8).toString('hex');
    const res = await platform.get('/api/v1/admin/clinics', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        traceparent: `00-${traceId}-${clientSpanId}-01`,
      },
      body: JSON.stringify({
        name: 'Traced Clinic',
        address: { street: '1 Queen Street', city: 'Auckland', country: 'NZ', postalCode: '1010' },
      }),
    });
    expect(res.status).toBe(201);

    // Accounts consumes identity.clinic.created inside the same trace.
    const trace = await eventually(
      () => {
        const inTrace = collector.spans.filter((s) => s.traceId === traceId);
        const has = (service: string, kind: number) =>
          inTrace.some((s) => s.service === service && s.kind === kind);
        // Each process exports in its own batches: wait for all three ends of the trace.
        return has('accounts', KIND.CONSUMER) && has('identity', KIND.PRODUCER) && has('gateway', KIND.SERVER)
          ? inTrace
          : undefined;
      },
      30_000,
      100,
    );

    const byId = new Map(trace.map((s) => [s.spanId, s]));
    const ancestors = (s: Span) => {
      const chain: Span[] = [];
      for (
        let p = s.parentSpanId && byId.get(s.parentSpanId);
        p;
        p = p.parentSpanId ? byId.get(p.parentSpanId) : undefined
      )
        chain.push(p);
      return chain;
    };

    const request = trace.find((s) => s.service === 'gateway' && s.kind === KIND.SERVER);
    expect(request?.parentSpanId).toBe(clientSpanId);
    // Every consumer of the event joins the trace (accounts opens the clinic's account; others may listen too).
    expect([...new Set(trace.map((s) => s.service))]).toEqual(
      expect.arrayContaining(['gateway', 'identity', 'accounts']),
    );

    const publishes = trace.filter((s) => s.service === 'identity' && s.kind === KIND.PRODUCER);
    expect(publishes.length).toBeGreaterThan(0);
    for (const publish of publishes) expect(ancestors(publish)).toContain(request);

    const consumer = trace.find((s) => s.service === 'accounts' && s.kind === KIND.CONSUMER)!;
    expect(ancestors(consumer)).toContain(request);
  });
});
