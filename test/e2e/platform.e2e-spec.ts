import { SERVICES } from '@prescriptchain/contracts';
import { closeVhostConnections, eventually } from '../support/infra';
import { Platform, startPlatform } from './support/platform';

jest.setTimeout(120_000);

describe('the platform as `npm start` runs it', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await startPlatform();
  });

  afterAll(async () => {
    await platform?.shutdown();
  });

  it('reports every service up on /health/ready', async () => {
    const res = await platform.get('/health/ready');
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.success).toBe(true);
    expect(body.data.services).toEqual(Object.fromEntries(SERVICES.map((s) => [s, 'up'])));
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('serves Prometheus metrics with per-service messaging counters', async () => {
    const res = await platform.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/# TYPE \S*http_request_duration_seconds histogram/);
    for (const svc of SERVICES) expect(text).toContain(`service="${svc}"`);
    expect(text).toMatch(/outbox_backlog/);
  });

  it('serves the OpenAPI document and Swagger UI', async () => {
    const doc = (await (await platform.get('/docs/openapi.json')).json()) as any;
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/health/ready', '/metrics']));
    const ui = await platform.get('/docs');
    expect(ui.status).toBe(200);
    expect(await ui.text()).toMatch(/swagger/i);
  });

  it('answers an unknown route with the 404 error envelope', async () => {
    const res = await platform.get('/api/v1/no-such-thing');
    expect(res.status).toBe(404);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
    expect(body.error.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('names a stopped service as down within the readiness deadline, and recovers when it returns', async () => {
    expect(await platform.stop('orders')).toBe(0);
    const t0 = Date.now();
    const res = await platform.get('/health/ready');
    const elapsed = Date.now() - t0;
    expect(res.status).toBe(503);
    expect(elapsed).toBeLessThan(2500);
    expect(JSON.stringify(await res.json())).toMatch(/"orders":"down"/);

    await platform.start('orders');
    await eventually(async () => (await platform.get('/health/ready')).status === 200, 30_000, 200);
  });

  it('reports not ready while the broker connections are cut, and recovers by itself', async () => {
    const statuses: number[] = [];
    // Every service holds a transport and an outbox connection; the gateway its RPC client's.
    const closed = await closeVhostConnections(platform.vhost.name, { atLeast: SERVICES.length * 2 + 1 });
    expect(closed).toBeGreaterThanOrEqual(SERVICES.length * 2 + 1);
    await eventually(
      async () => {
        const status = (await platform.get('/health/ready')).status;
        statuses.push(status);
        return status === 200 && statuses.includes(503);
      },
      30_000,
      100,
    );
    expect(statuses[0]).toBe(503);
  });
});
