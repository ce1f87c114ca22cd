/**
 * Just enough of a MIME reader for the tests to look inside what the senders produced (no parser is
 * installed): unfolded headers with RFC 2047 encoded words decoded, and the text parts of a
 * (nested) multipart body with their transfer encoding undone.
 */
export interface ParsedMail {
  headers: Map<string, string>;
  /** Decoded text parts by content type: 'text/plain', 'text/html'. */
  parts: Map<string, string>;
  /** The raw header block, for checks on the wire form. */
  rawHeaders: string;
}

function decodeWords(value: string): string {
  // Whitespace between two encoded words is not part of the text (RFC 2047 §6.2).
  return value
    .replace(/(=\?[^?]+\?[bBqQ]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, charset: string, enc: string, text: string) => {
      const bytes =
        enc.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text
                .replace(/_/g, ' ')
                .replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
              'latin1',
            );
      if (!/^utf-?8$/i.test(charset)) throw new Error(`unexpected charset ${charset}`);
      return bytes.toString('utf8');
    });
}

function splitHead(raw: string): { head: string; body: string } {
  const m = /\r?\n\r?\n/.exec(raw);
  if (!m) return { head: raw, body: '' };
  return { head: raw.slice(0, m.index), body: raw.slice(m.index + m[0].length) };
}

function parseHeaders(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), decodeWords(line.slice(i + 1).trim()));
  }
  return headers;
}

function decodeBody(body: string, encoding: string | undefined): Buffer {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64');
    case 'quoted-printable':
      return Buffer.from(
        body
          .replace(/=\r?\n/g, '')
          .replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
        'latin1',
      );
    default:
      return Buffer.from(body, 'utf8');
  }
}

function collectParts(raw: string, parts: Map<string, string>): Map<string, string> {
  const { head, body } = splitHead(raw);
  const headers = parseHeaders(head);
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const sections = body.split(`--${boundary}`).slice(1);
    for (const section of sections) {
      if (section.startsWith('--')) break;
      collectParts(section.replace(/^\r?\n/, ''), parts);
    }
  } else {
    parts.set(
      type.split(';')[0].trim().toLowerCase(),
      decodeBody(body, headers.get('content-transfer-encoding')).toString('utf8'),
    );
  }
  return parts;
}

export function parseMail(raw: string | Buffer): ParsedMail {
  const text = Buffer.isBuffer(raw) ? raw.toString('latin1') : raw;
  const { head } = splitHead(text);
  return { headers: parseHeaders(head), parts: collectParts(text, new Map()), rawHeaders: head };
}
