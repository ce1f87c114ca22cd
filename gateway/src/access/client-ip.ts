import type { IncomingMessage } from 'node:http';

/**
 * Express's `trust proxy` setting from TRUST_PROXY: off by default (X-Forwarded-For is ignored and
 * the socket's peer is the client); `true` trusts every hop (only behind a proxy that overwrites the
 * header); a number trusts that many hops; otherwise a comma list of trusted proxy addresses or
 * subnets (`loopback, 10.0.0.0/8`).
 */
export type TrustProxy = boolean | number | string;

export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = (raw ?? '').trim();
  if (value === '' || value.toLowerCase() === 'false' || value === '0') return false;
  if (value.toLowerCase() === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/** `::ffff:10.1.2.3` → `10.1.2.3`: one spelling per client, for rate-limit keys and the audit trail. */
export function normalizeIp(ip: string | undefined | null): string | null {
  if (!ip) return null;
  const v4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return (v4 ? v4[1] : ip).slice(0, 64);
}

/** Express computes `req.ip` from the socket and X-Forwarded-For according to `trust proxy`. */
export function clientIpOf(req: IncomingMessage): string | null {
  return normalizeIp((req as { ip?: string }).ip ?? req.socket?.remoteAddress);
}
