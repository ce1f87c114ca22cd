import { Body, Controller, Param, Query } from '@nestjs/common';
import { SERVICES } from '@prescriptchain/contracts';
import request from 'supertest';
import { z } from 'zod';
import { Page } from '../src/http/envelope';
import { defineRoute, Route, type RouteInput } from '../src/routes/route';
import { ROUTE_LIST } from '../src/routes/route-table';
import { createTestApp, type TestApp } from './support/test-app';

// Test-only operations: the table has no body-taking or failing operation yet.
const echo = defineRoute({
  id: 'testEcho',
  method: 'post',
  path: '/api/v1/test/echo/:id',
  access: 'public',
  summary: 'echo',
  tags: ['test'],
  params: z.object({ id: z.uuid() }),
  query: z.object({ page: z.coerce.number().int().min(1).default(1) }),
  body: z.object({
    name: z.string().min(2),
    items: z.array(z.object({ quantity: z.number().int().positive() })),
  }),
  response: { status: 201, data: z.object({ id: z.string(), page: z.number(), name: z.string() }) },
});
const boom = defineRoute({
  id: 'testBoom',
  method: 'get',
  path: '/api/v1/test/boom',
  access: 'public',
  summary: 'boom',
  tags: ['test'],
  response: { status: 200, data: z.object({}) },
});
const empty = defineRoute({
  id: 'testEmpty',
  method: 'delete',
  path: '/api/v1/test/empty',
  access: 'public',
  summary: 'empty',
  tags: ['test'],
  response: { status: 204 },
});
const list = defineRoute({
  id: 'testList',
  method: 'get',
  path: '/api/v1/test/list',
  access: 'public',
  summary: 'list',
  tags: ['test'],
  response: { status: 200, data: z.array(z.object({ n: z.number() })), paginated: true },
});

@Controller()
class TestOnlyController {
  @Route(echo)
  echo(
    @Param() params: RouteInput<typeof echo, 'params'>,
    @Query() query: RouteInput<typeof echo, 'query'>,
    @Body() body: RouteInput<typeof echo, 'body'>,
  ) {
    return { id: params.id, page: query.page, name: body.name, internalNote: 'not in the contract' };
  }

  @Route(boom)
  boom(): never {
    throw new Error('connect ECONNREFUSED: SELECT secret FROM users at /srv/app.js:12');
  }

  @Route(empty)
  empty(): void {}

  @Route(list)
  list() {
    return new Page([{ n: 1 }, { n: 2 }], 2, 2, 5);
  }
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const UUID = '0b3f6a57-2a8f-4f39-8a43-6a3b0c1d2e4f';

describe('gateway HTTP surface', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await createTestApp({ controllers: [TestOnlyController] });
  });
  afterAll(async () => {
    await t?.app.close();
  });
  beforeEach(() => {
    t.rpc.down.clear();
    t.rpc.connected = true;
  });

  describe('success envelope', () => {
    it('wraps data with meta.timestamp and strips fields outside the contract', async () => {
      const res = await http()
        .post(`/api/v1/test/echo/${UUID}?page=3`)
        .send({ name: 'Ann', items: [{ quantity: 2 }] });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        success: true,
        data: { id: UUID, page: 3, name: 'Ann' },
        meta: { timestamp: expect.stringMatching(ISO) },
      });
    });

    it('moves page counts into meta.pagination', async () => {
      const res = await http().get('/api/v1/test/list');
      expect(res.body.data).toEqual([{ n: 1 }, { n: 2 }]);
      expect(res.body.meta.pagination).toEqual({
        page: 2,
        limit: 2,
        total: 5,
        totalPages: 3,
        hasNext: true,
        hasPrev: true,
      });
    });

    it('leaves a 204 empty', async () => {
      const res = await http().delete('/api/v1/test/empty');
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
    });
  });

  describe('error envelope', () => {
    const expectError = (res: request.Response, status: number, code: string) => {
      expect(res.status).toBe(status);
      expect(res.body).toEqual({
        success: false,
        error: expect.objectContaining({
          code,
          message: expect.any(String),
          timestamp: expect.stringMatching(ISO),
          traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
        }),
      });
    };

    it('answers malformed JSON with 400 MALFORMED_REQUEST', async () => {
      const res = await http()
        .post(`/api/v1/test/echo/${UUID}`)
        .set('Content-Type', 'application/json')
        .send('{"name": "Ann",');
      expectError(res, 400, 'MALFORMED_REQUEST');
    });

    it('answers a body that is not JSON with 400 MALFORMED_REQUEST', async () => {
      const res = await http()
        .post(`/api/v1/test/echo/${UUID}`)
        .set('Content-Type', 'text/plain')
        .send('name=Ann');
      expectError(res, 400, 'MALFORMED_REQUEST');
    });

    it('answers a body over BODY_LIMIT with 413', async () => {
      const res = await http()
        .post(`/api/v1/test/echo/${UUID}`)
        .send({ name: 'x'.repeat(1024 * 1024 + 10), items: [] });
      expectError(res, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('answers an unknown route with 404 NOT_FOUND', async () => {
      expectError(await http().get('/api/v1/no-such-thing'), 404, 'NOT_FOUND');
      expectError(await http().post('/nowhere').send({ a: 1 }), 404, 'NOT_FOUND');
    });

    it('answers schema violations in params, query and body together with 422 and their paths', async () => {
      const res = await http()
        .post('/api/v1/test/echo/not-a-uuid?page=0')
        .send({ name: 'A', items: [{ quantity: -1 }] });
      expectError(res, 422, 'VALIDATION_FAILED');
      const paths = res.body.error.details.map((d: { in: string; path: string }) => `${d.in}:${d.path}`);
      expect(paths.sort()).toEqual(['body:items.0.quantity', 'body:name', 'params:id', 'query:page']);
      for (const d of res.body.error.details) expect(d.message).toEqual(expect.any(String));
    });

    it('answers an unexpected error with a bare 500 INTERNAL_ERROR and logs it with the trace id', async () => {
      const res = await http().get('/api/v1/test/boom');
      expectError(res, 500, 'INTERNAL_ERROR');
      expect(res.body.error.details).toBeUndefined();
      expect(res.text).not.toMatch(/SELECT|ECONNREFUSED|app\.js|secret/);
      const logged = t.logs.find(
        (l) => l.msg === 'unexpected error' && l.trace_id === res.body.error.traceId,
      );
      expect(logged).toBeDefined();
      expect(JSON.stringify(logged)).toContain('SELECT secret FROM users');
    });
  });

  describe('request and trace ids', () => {
    it('puts a fresh X-Request-Id on every response, errors included', async () => {
      const [a, b, c] = await Promise.all([
        http().get('/health'),
        http().get('/health'),
        http().get('/nope'),
      ]);
      for (const res of [a, b, c]) expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
    });

    it('honours a sane incoming X-Request-Id and replaces an insane one', async () => {
      expect((await http().get('/health').set('X-Request-Id', 'edge-42.abc')).headers['x-request-id']).toBe(
        'edge-42.abc',
      );
      const res = await http().get('/health').set('X-Request-Id', '<script>alert(1)</script>');
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('logs each request with its request id and the trace id its error envelope reports', async () => {
      const res = await http().get('/api/v1/missing').set('X-Request-Id', 'trace-me-1');
      const line = t.logs.find((l) => l.request_id === 'trace-me-1' && l.msg === 'request completed');
      expect(line).toMatchObject({
        service: 'gateway',
        status: 404,
        route: 'unmatched',
        trace_id: res.body.error.traceId,
      });
    });

    it('logs the route template, never the path with its ids or tokens', async () => {
      await http()
        .post(`/api/v1/test/echo/${UUID}`)
        .set('X-Request-Id', 'no-path-1')
        .send({ name: 'Ann', items: [] });
      const token = 'eyJvcCI6InB1dCJ9.c2lnbmF0dXJlLW5vdC1mb3ItbG9ncw';
      await http().get(`/api/v1/files/download/${token}`).set('X-Request-Id', 'no-path-2');
      const lines = t.logs.filter((l) => ['no-path-1', 'no-path-2'].includes(l.request_id as string));
      expect(lines.map((l) => l.route).sort()).toEqual(
        expect.arrayContaining(['/api/v1/test/echo/:id', '/api/v1/files/download/:token']),
      );
      expect(JSON.stringify(lines)).not.toContain(UUID);
      expect(JSON.stringify(lines)).not.toContain(token);
    });
  });

  describe('/health', () => {
    it('says ok without asking any service', async () => {
      const before = t.rpc.calls.length;
      const res = await http().get('/health');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ success: true, data: { status: 'ok' } });
      expect(t.rpc.calls.length).toBe(before);
    });
  });

  describe('/health/ready', () => {
    it('is 200 with every service up, pinged with the readiness deadline', async () => {
      const res = await http().get('/health/ready');
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({
        status: 'ready',
        broker: 'up',
        services: Object.fromEntries(SERVICES.map((s) => [s, 'up'])),
      });
      const pings = t.rpc.calls.slice(-SERVICES.length);
      expect(pings.map((c) => c.pattern).sort()).toEqual(SERVICES.map((s) => `${s}.system.ping`).sort());
      expect(pings.every((c) => c.opts?.deadlineMs === 200)).toBe(true);
    });

    it('is 503 SERVICE_UNAVAILABLE naming the service that did not answer, within the deadline', async () => {
      t.rpc.down.add('orders');
      const t0 = Date.now();
      const res = await http().get('/health/ready');
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(res.status).toBe(503);
      expect(res.body.success).toBe(false);
      expect(res.body.error.code).toBe('SERVICE_UNAVAILABLE');
      expect(res.body.error.message).toContain('orders');
      expect(res.body.error.details).toEqual({
        status: 'not_ready',
        broker: 'up',
        services: { ...Object.fromEntries(SERVICES.map((s) => [s, 'up'])), orders: 'down' },
      });
    });

    it('is 503 at once while the broker connection is down', async () => {
      t.rpc.connected = false;
      const before = t.rpc.calls.length;
      const res = await http().get('/health/ready');
      expect(res.status).toBe(503);
      expect(res.body.error.details.broker).toBe('down');
      expect(Object.values(res.body.error.details.services)).toEqual(SERVICES.map(() => 'down'));
      expect(t.rpc.calls.length).toBe(before);
    });
  });

  describe('/metrics', () => {
    it('exposes the HTTP histogram by route template, in-flight gauge, RPC histogram and per-service messaging counters', async () => {
      t.rpc.counters.orders = { published: 7, consumed: 5, retried: 2, deadLettered: 1, outboxBacklog: 3 };
      await http().post(`/api/v1/test/echo/${UUID}`).send({ name: 'Ann', items: [] });
      const res = await http().get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      const text = res.text;
      expect(text).toMatch(/# TYPE http_request_duration_seconds histogram/);
      expect(text).toMatch(
        /http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/test\/echo\/:id",status="201"\} [1-9]/,
      );
      expect(text).not.toContain(UUID);
      expect(text).toMatch(/# TYPE http_requests_in_flight gauge/);
      expect(text).toMatch(/# TYPE rpc_client_duration_seconds histogram/);
      expect(text).toContain('messaging_published_total{service="orders"} 7');
      expect(text).toContain('messaging_consumed_total{service="orders"} 5');
      expect(text).toContain('messaging_retried_total{service="orders"} 2');
      expect(text).toContain('messaging_dead_lettered_total{service="orders"} 1');
      expect(text).toContain('messaging_outbox_backlog{service="orders"} 3');
      for (const s of SERVICES) expect(text).toContain(`backend_service_up{service="${s}"} 1`);
      expect(text).toMatch(/process_cpu_user_seconds_total/);
    });

    it('answers only a scraper sending METRICS_TOKEN as its bearer token when the setting is set', async () => {
      const guarded = await createTestApp({ config: { metricsToken: 'scrape-secret-1' } });
      try {
        const server = guarded.app.getHttpServer();
        const bare = await request(server).get('/metrics');
        expect(bare.status).toBe(401);
        expect(bare.body.error.code).toBe('UNAUTHENTICATED');
        expect((await request(server).get('/metrics').set('authorization', 'Bearer wrong')).status).toBe(401);
        const scraped = await request(server).get('/metrics').set('authorization', 'Bearer scrape-secret-1');
        expect(scraped.status).toBe(200);
        expect(scraped.text).toMatch(/process_cpu_user_seconds_total/);
      } finally {
        await guarded.app.close();
      }
    });
  });

  describe('/docs', () => {
    it('serves the OpenAPI 3.1 document unwrapped', async () => {
      const res = await http().get('/docs/openapi.json');
      expect(res.status).toBe(200);
      expect(res.body.openapi).toBe('3.1.0');
      expect(res.body.success).toBeUndefined();
    });

    it('serves Swagger UI and its assets from node_modules', async () => {
      const page = await http().get('/docs');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      for (const src of page.text.match(/(?:href|src)="([^"]+)"/g)!.map((m) => m.split('"')[1])) {
        const asset = await http().get(src);
        expect([src, asset.status]).toEqual([src, 200]);
      }
      expect((await http().get('/docs/assets/swagger-initializer.js')).text).toContain(
        "url: '/docs/openapi.json'",
      );
    });
  });

  it('security headers come from helmet and no CORS origin is allowed by default', async () => {
    const res = await http().get('/health').set('Origin', 'https://evil.example');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves exactly the operations of the route table (plus this test module’s own)', () => {
    const stack = (
      t.app.getHttpAdapter().getInstance() as {
        router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
      }
    ).router.stack;
    const served = stack
      .filter((l) => l.route && !l.route.path.startsWith('/docs/assets'))
      .flatMap((l) =>
        Object.keys(l.route!.methods)
          .filter((m) => m !== '_all')
          .map((m) => `${m} ${l.route!.path}`),
      );
    const expected = [...ROUTE_LIST, echo, boom, empty, list].map((r) => `${r.method} ${r.path}`);
    expect(served.sort()).toEqual(expected.sort());
  });
});

describe('gateway with CORS_ORIGINS', () => {
  it('allows exactly the configured origins', async () => {
    const t = await createTestApp({ config: { corsOrigins: ['https://portal.example'] } });
    try {
      const ok = await request(t.app.getHttpServer()).get('/health').set('Origin', 'https://portal.example');
      expect(ok.headers['access-control-allow-origin']).toBe('https://portal.example');
      const other = await request(t.app.getHttpServer()).get('/health').set('Origin', 'https://evil.example');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await t.app.close();
    }
  });
});
