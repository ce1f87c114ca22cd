import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PORTAL_CSP, portalSettingsFromEnv, servePortal } from './portal-static';

const logger = { warn: jest.fn() } as any;

/** Runs the middleware on a request; answers what it sent, or `next` when it passed the request on. */
function serve(handler: ReturnType<typeof servePortal>, url: string, { method = 'GET', accept = 'text/html' } = {}) {
  const headers: Record<string, string | number> = {};
  const res = {
    statusCode: 200,
    setHeader: (k: string, v: string | number) => void (headers[k.toLowerCase()] = v),
    end: jest.fn(),
  };
  let passed = false;
  handler({ method, url, headers: { accept } } as unknown as IncomingMessage, res as unknown as ServerResponse, () => {
    passed = true;
  });
  if (passed) return 'next' as const;
  const body = res.end.mock.calls[0]?.[0] as Buffer | undefined;
  return { status: res.statusCode, headers, body: body?.toString() };
}

describe('serving the web portal', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pc-portal-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><head></head><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves hashed assets as immutable for a year, other files revalidated, all with the strict CSP', () => {
    const handler = servePortal(dir, logger, { stripePublishableKey: null });
    const js = serve(handler, '/assets/index-abc123.js', { accept: '*/*' });
    expect(js).toMatchObject({
      status: 200,
      body: 'console.log(1)',
      headers: {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'public, max-age=31536000, immutable',
        'content-security-policy': PORTAL_CSP,
      },
    });
    expect(serve(handler, '/favicon.svg')).toMatchObject({ headers: { 'cache-control': 'no-cache', 'content-type': 'image/svg+xml' } });
    expect(PORTAL_CSP).not.toMatch(/unsafe/);
  });

  it('answers any page of the app with index.html (history fallback), never cached', () => {
    const handler = servePortal(dir, logger, { stripePublishableKey: null });
    for (const url of ['/', '/practitioner/orders/42?tab=history', '/index.html'])
      expect(serve(handler, url)).toMatchObject({
        status: 200,
        body: '<!doctype html><head></head><div id="root"></div>',
        headers: { 'cache-control': 'no-cache', 'content-type': 'text/html; charset=utf-8' },
      });
    expect(serve(handler, '/', { method: 'HEAD' })).toMatchObject({ status: 200, body: undefined });
  });

  it('leaves the API, its documents, operations, the JWKS, other methods and missing assets to the router', () => {
    const handler = servePortal(dir, logger, { stripePublishableKey: null });
    for (const url of ['/api/v1/orders', '/api', '/docs', '/docs/openapi.json', '/health', '/health/ready', '/metrics', '/.well-known/jwks.json'])
      expect([url, serve(handler, url)]).toEqual([url, 'next']);
    expect(serve(handler, '/assets/missing.js')).toBe('next');
    expect(serve(handler, '/practitioner', { accept: 'application/json' })).toBe('next');
    expect(serve(handler, '/', { method: 'POST' })).toBe('next');
  });

  it('tells the portal Stripe is configured (its publishable key in a meta tag) and only then lets Stripe.js in', () => {
    const key = 'pk_test_51AbCdEfGhIjKlMnOp';
    expect(portalSettingsFromEnv({ STRIPE_PUBLISHABLE_KEY: ` ${key} ` })).toEqual({ stripePublishableKey: key });
    expect(portalSettingsFromEnv({})).toEqual({ stripePublishableKey: null });
    const page = serve(servePortal(dir, logger, { stripePublishableKey: key }), '/practitioner/account');
    expect(page).toMatchObject({ status: 200, body: `<!doctype html><head><meta name="prescriptchain:stripe-publishable-key" content="${key}" /></head><div id="root"></div>` });
    const csp = (page as { headers: Record<string, string> }).headers['content-security-policy'];
    expect(csp).toContain("script-src 'self' https://js.stripe.com;");
    expect(csp).toContain("connect-src 'self' https://api.stripe.com;");
    expect(csp).toContain('frame-src https://js.stripe.com https://hooks.stripe.com;');
    expect(csp).not.toMatch(/unsafe/);
    // Without the key (or with something that is not one, such as a secret key): no Stripe anywhere.
    for (const stripePublishableKey of [null, 'sk_test_51AbCdEfGhIjKlMnOp', 'pk_test_x" onload="evil']) {
      const plain = serve(servePortal(dir, logger, { stripePublishableKey }), '/') as { body: string; headers: Record<string, string> };
      expect(plain.body).not.toContain('stripe');
      expect(plain.headers['content-security-policy']).toBe(PORTAL_CSP);
    }
    expect(PORTAL_CSP).not.toContain('stripe');
  });

  it('says the portal is not built (503) instead of a blank page, and still leaves the API alone', () => {
    const handler = servePortal(join(dir, 'nowhere'), logger);
    expect(serve(handler, '/')).toMatchObject({ status: 503, body: expect.stringContaining('npm run build') });
    expect(serve(handler, '/api/v1/orders')).toBe('next');
    expect(logger.warn).toHaveBeenCalled();
  });
});
