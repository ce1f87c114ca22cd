import type { Logger } from '@prescriptchain/messaging';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';

/** What the portal needs to know at run time that is not in the API: public, never a secret. */
export interface PortalSettings {
  /**
   * Stripe's publishable key (`pk_test_…` / `pk_live_…`, public by design) when card top-ups go to
   * Stripe (accounts' PAYMENT_PROVIDER=stripe): the portal then pays the recharge intent's
   * `clientSecret` with Stripe Elements. Without it the card top-up is the offline sandbox's.
   */
  stripePublishableKey: string | null;
}

const PUBLISHABLE_KEY = /^pk_(test|live)_[0-9A-Za-z]{8,255}$/;

/** The portal's settings from the gateway's environment (STRIPE_PUBLISHABLE_KEY). */
export function portalSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): PortalSettings {
  return { stripePublishableKey: env.STRIPE_PUBLISHABLE_KEY?.trim() || null };
}

/** Stripe.js and Elements' sources (https://docs.stripe.com/security/guide#content-security-policy). */
const STRIPE_CSP = {
  script: 'https://js.stripe.com',
  frame: 'https://js.stripe.com https://hooks.stripe.com',
  connect: 'https://api.stripe.com',
};

/**
 * The web portal's Content-Security-Policy: everything from this origin only, no inline script or
 * style, no plugins, no framing. `blob:`/`data:` images are the photo previews and the QR PNGs the
 * portal fetches with its token; `media-src blob:` is the camera stream the QR scanner shows. Only
 * when Stripe is configured may Stripe.js load from js.stripe.com, frame its card fields and call
 * api.stripe.com.
 */
export function portalCsp({ stripePublishableKey }: PortalSettings = { stripePublishableKey: null }): string {
  const stripe = !!stripePublishableKey;
  return [
    "default-src 'self'",
    `script-src 'self'${stripe ? ` ${STRIPE_CSP.script}` : ''}`,
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    `connect-src 'self'${stripe ? ` ${STRIPE_CSP.connect}` : ''}`,
    "font-src 'self'",
    "worker-src 'self' blob:",
    ...(stripe ? [`frame-src ${STRIPE_CSP.frame}`] : []),
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The CSP without Stripe (the offline sandbox's). */
export const PORTAL_CSP = portalCsp();

/** The settings as `<meta>` tags in index.html's head (read by the portal; no inline script). */
function withSettings(html: Buffer, { stripePublishableKey }: PortalSettings): Buffer {
  if (!stripePublishableKey) return html;
  const meta = `<meta name="prescriptchain:stripe-publishable-key" content="${stripePublishableKey}" />`;
  return Buffer.from(html.toString('utf8').replace('</head>', `${meta}</head>`));
}

/** Paths that are never the portal's: the API, its documents, operations, and the JWKS. */
const NOT_PORTAL = /^\/(api|docs|health|metrics|\.well-known)(\/|$)/;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

interface PortalFile {
  body: Buffer;
  type: string;
  cache: string;
}

/** Every file of the build, read once at start (a few hundred KB): no path from a request touches the disk. */
function loadBuild(dir: string): Map<string, PortalFile> {
  const files = new Map<string, PortalFile>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const url = `/${relative(dir, p).split(sep).join('/')}`;
        files.set(url, {
          body: readFileSync(p),
          type: TYPES[extname(p)] ?? 'application/octet-stream',
          // Vite names every asset by its content hash: safe to keep for a year.
          cache: url.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        });
      }
    }
  };
  walk(dir);
  return files;
}

const acceptsHtml = (req: IncomingMessage) => /text\/html|\*\/\*/.test(req.headers.accept ?? '');

/**
 * Serves the built portal at `/`: `assets/` (content-hashed names) cached for a year as immutable,
 * every other file revalidated; any other GET that asks for HTML and is not the API's (history
 * fallback) answers index.html, never cached, so a deploy takes effect on the next load; it carries
 * the portal's public settings (Stripe's publishable key, when configured) as meta tags. Without a
 * build (a gateway run from source before `npm run build`) a page request says so (503).
 */
export function servePortal(dir: string, logger: Logger, requested: PortalSettings = portalSettingsFromEnv()) {
  const built = existsSync(join(dir, 'index.html'));
  if (!built) logger.warn({ dir }, 'web portal not built: its pages answer 503 (run npm run build)');
  const key = requested.stripePublishableKey;
  if (key && !PUBLISHABLE_KEY.test(key))
    logger.warn({}, 'STRIPE_PUBLISHABLE_KEY is not a Stripe publishable key (pk_test_… or pk_live_…): card top-ups stay the sandbox\'s');
  const settings: PortalSettings = { stripePublishableKey: key && PUBLISHABLE_KEY.test(key) ? key : null };
  const csp = portalCsp(settings);
  const files = built ? loadBuild(dir) : new Map<string, PortalFile>();
  const builtIndex = files.get('/index.html');
  const index = builtIndex && { ...builtIndex, body: withSettings(builtIndex.body, settings) };

  const send = (req: IncomingMessage, res: ServerResponse, file: PortalFile, status = 200) => {
    res.statusCode = status;
    res.setHeader('Content-Type', file.type);
    res.setHeader('Cache-Control', file.cache);
    res.setHeader('Content-Length', file.body.length);
    res.setHeader('Content-Security-Policy', csp);
    // The pharmacy's QR scanner uses the device camera; nothing else may.
    res.setHeader('Permissions-Policy', 'camera=(self), microphone=(), geolocation=()');
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };

  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const path = new URL(req.url ?? '/', 'http://portal').pathname;
    if (NOT_PORTAL.test(path)) return next();
    const file = path === '/index.html' ? undefined : files.get(path);
    if (file) return send(req, res, file);
    // Not a file: a portal page (history fallback) if the client wants one, else the 404 envelope.
    if (path.startsWith('/assets/') || !acceptsHtml(req)) return next();
    if (!index) {
      const body = Buffer.from('The web portal is not built: run `npm run build`.\n');
      return send(req, res, { body, type: 'text/plain; charset=utf-8', cache: 'no-store' }, 503);
    }
    return send(req, res, { ...index, cache: 'no-cache' });
  };
}
