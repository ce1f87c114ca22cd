import type { Logger } from '@prescriptchain/messaging';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';

/**
 * The web portal's Content-Security-Policy: everything from this origin only, no inline script or
 * style, no plugins, no framing. `blob:`/`data:` images are the photo previews and the QR PNGs the
 * portal fetches with its token; `media-src blob:` is the camera stream the QR scanner shows.
 */
export const PORTAL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

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
 * fallback) answers index.html, never cached, so a deploy takes effect on the next load. Without a
 * build (a gateway run from source before `npm run build`) a page request says so (503).
 */
export function servePortal(dir: string, logger: Logger) {
  const built = existsSync(join(dir, 'index.html'));
  if (!built) logger.warn({ dir }, 'web portal not built: its pages answer 503 (run npm run build)');
  const files = built ? loadBuild(dir) : new Map<string, PortalFile>();
  const index = files.get('/index.html');

  const send = (req: IncomingMessage, res: ServerResponse, file: PortalFile, status = 200) => {
    res.statusCode = status;
    res.setHeader('Content-Type', file.type);
    res.setHeader('Cache-Control', file.cache);
    res.setHeader('Content-Length', file.body.length);
    res.setHeader('Content-Security-Policy', PORTAL_CSP);
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
