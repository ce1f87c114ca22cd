/**
 * What the senders produced, read back with mailparser (Nodemailer's own parser): headers decoded
 * (RFC 2047 encoded words) as one string each, the text parts by content type, and the raw header
 * block for checks on the wire form.
 */
import { simpleParser, type AddressObject, type HeaderValue } from 'mailparser';

export interface ParsedMail {
  headers: Map<string, string>;
  /** Decoded text parts by content type: 'text/plain', 'text/html'. */
  parts: Map<string, string>;
  /** The raw header block, for checks on the wire form. */
  rawHeaders: string;
}

const isAddress = (v: object): v is AddressObject => 'value' in v && 'text' in v && Array.isArray(v.value);

/** A parsed header as the text a reader sees: `Name <address>`, `multipart/alternative; boundary=…`. */
function asText(v: HeaderValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toUTCString();
  if (Array.isArray(v)) return v.map((x) => asText(x)).join(', ');
  // `Name <address>` as written (mailparser's own `text` quotes a name with non-ASCII characters).
  if (isAddress(v))
    return v.value.map((a) => (a.name ? `${a.name} <${a.address}>` : (a.address ?? ''))).join(', ');
  return [v.value, ...Object.entries(v.params).map(([k, p]) => `${k}=${p}`)].join('; ');
}

export async function parseMail(raw: string | Buffer): Promise<ParsedMail> {
  const mail = await simpleParser(raw, { skipTextToHtml: true, skipHtmlToText: true, skipTextLinks: true });
  const parts = new Map<string, string>();
  if (mail.text !== undefined) parts.set('text/plain', mail.text);
  if (typeof mail.html === 'string') parts.set('text/html', mail.html);
  return {
    headers: new Map([...mail.headers].map(([k, v]) => [k, asText(v)])),
    parts,
    rawHeaders: mail.headerLines.map((h) => h.line).join('\r\n'),
  };
}
