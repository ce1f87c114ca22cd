import type { IncomingMessage } from 'node:http';

/** What Express computes from Host (or X-Forwarded-Host/-Proto, as far as TRUST_PROXY trusts them). */
type ExpressRequest = IncomingMessage & { protocol?: string; host?: string };

/** A host name or an IPv4/IPv6 literal with an optional port; anything else is not put into a URL. */
const SANE_HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/**
 * A signed file URL as the client should use it. Pharmacy's local store signs paths relative to the
 * gateway (`/api/v1/files/…`); they are made absolute with the scheme and host this request came
 * to, so a client uses every URL it is handed the same way (a storage provider's URLs are absolute
 * already and pass through). An unusable Host leaves the path relative rather than echo it.
 */
export function publicUrl(req: IncomingMessage, url: string): string {
  if (!url.startsWith('/') || url.startsWith('//')) return url;
  const { protocol, host } = req as ExpressRequest;
  if (!host || !SANE_HOST.test(host) || (protocol !== 'http' && protocol !== 'https')) return url;
  return `${protocol}://${host}${url}`;
}
