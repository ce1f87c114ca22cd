import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type FileUrlOperation = 'put' | 'get';

export interface FileUrlClaims {
  op: FileUrlOperation;
  fileId: string;
  /** Seconds since the epoch. */
  exp: number;
}

/**
 * Tokens of the upload and download URLs the local file store hands out: `<claims>.<HMAC-SHA256>`,
 * both base64url. Holding an unexpired token for an operation on a file is the permission; anything
 * else (altered, expired, the other operation) is refused by `verify` with null.
 */
export class FileUrlSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (secret.length < 16) throw new Error('FILES_URL_SECRET must be at least 16 characters');
    // A purpose-bound key, so the secret could be shared with other uses without cross-talk.
    this.key = createHmac('sha256', secret).update('prescriptchain file urls v1').digest();
  }

  /** The development secret when FILES_URL_SECRET is unset outside production. Not a secret. */
  static developmentSecret(): string {
    return createHash('sha256')
      .update('prescriptchain development file URL secret (not secret)')
      .digest('hex');
  }

  sign(claims: FileUrlClaims): string {
    const body = Buffer.from(JSON.stringify({ op: claims.op, fid: claims.fileId, exp: claims.exp })).toString(
      'base64url',
    );
    return `${body}.${this.mac(body).toString('base64url')}`;
  }

  verify(token: string, op: FileUrlOperation, now: Date): FileUrlClaims | null {
    const dot = token.indexOf('.');
    if (dot <= 0 || dot !== token.lastIndexOf('.')) return null;
    const body = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = this.mac(body);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let claims: { op?: unknown; fid?: unknown; exp?: unknown };
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    if (claims.op !== op || typeof claims.fid !== 'string' || typeof claims.exp !== 'number') return null;
    if (claims.exp * 1000 <= now.getTime()) return null;
    return { op, fileId: claims.fid, exp: claims.exp };
  }

  private mac(body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest();
  }
}
