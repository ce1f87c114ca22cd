import type { IncomingMessage } from 'node:http';
import { API_PREFIX } from '../routes/route';

/** The providers' scan-to-pay notice paths (ROUTES.alipayNotify / wechatNotify), matched as Express does. */
const NOTICE_PATHS = new Set([`${API_PREFIX}/payments/alipay/notify`, `${API_PREFIX}/payments/wechat/notify`].map((p) => p.toLowerCase()));
/** Far above either provider's notices; what accounts accepts. */
export const MAX_NOTICE_BYTES = 1_000_000;

export function isQrNotice(req: IncomingMessage): boolean {
  if (req.method !== 'POST') return false;
  return NOTICE_PATHS.has((req.url ?? '').split('?')[0].toLowerCase().replace(/\/+$/, ''));
}

/**
 * Options of the raw body parser for payment notices (registered before the JSON parser): Alipay's
 * form and WeChat Pay's JSON are kept as the bytes that arrived, because their signatures cover
 * those bytes (WeChat's) or their exact values (Alipay's), never a re-serialisation.
 */
export const RAW_NOTICE_BODY = { type: isQrNotice, limit: MAX_NOTICE_BYTES, inflate: false } as const;

export function noticeBytesOf(req: IncomingMessage): Buffer | undefined {
  const body = (req as IncomingMessage & { body?: unknown }).body;
  return Buffer.isBuffer(body) ? body : undefined;
}
