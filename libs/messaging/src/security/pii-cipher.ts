import { isProductionEnv } from '../config/production-config';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const KID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * AES-256-GCM for personal data at rest (phones, licence numbers) and our private signing keys.
 * Ciphertext is `kid:iv:tag:data` (base64 parts), so old rows keep decrypting with the key they were
 * written with after PII_ENCRYPTION_KEY_ID moves to a new key. Never log what goes in or comes out.
 */
export class PiiCipher {
  private constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    readonly activeKid: string,
  ) {}

  /**
   * PII_ENCRYPTION_KEYS = `kid1:base64key,kid2:base64key` (32-byte keys), PII_ENCRYPTION_KEY_ID = the
   * kid that encrypts. Only with NODE_ENV development or test (or unset), with no keys configured, a fixed development key is used
   * (and `warn` says so); in production missing keys are a start-up error.
   */
  static fromEnv(
    env: NodeJS.ProcessEnv = process.env,
    warn: (message: string) => void = () => {},
  ): PiiCipher {
    const spec = env.PII_ENCRYPTION_KEYS?.trim();
    if (!spec) {
      if (isProductionEnv(env)) throw new Error('PII_ENCRYPTION_KEYS must be set in production');
      warn(
        'PII_ENCRYPTION_KEYS is not set: using the built-in development key. Never use it with real data.',
      );
      return PiiCipher.developmentKey();
    }
    const keys = new Map<string, Buffer>();
    for (const part of spec.split(',')) {
      const at = part.indexOf(':');
      const kid = part.slice(0, at).trim();
      const key = Buffer.from(part.slice(at + 1).trim(), 'base64');
      if (at < 1 || !KID_PATTERN.test(kid))
        throw new Error('PII_ENCRYPTION_KEYS: each entry must be kid:base64key');
      if (key.length !== 32) throw new Error(`PII_ENCRYPTION_KEYS: key "${kid}" must be 32 bytes (base64)`);
      if (keys.has(kid)) throw new Error(`PII_ENCRYPTION_KEYS: key "${kid}" given twice`);
      keys.set(kid, key);
    }
    const active = env.PII_ENCRYPTION_KEY_ID?.trim() || (keys.size === 1 ? [...keys.keys()][0] : '');
    if (!active)
      throw new Error('PII_ENCRYPTION_KEY_ID must name the active key when several are configured');
    return PiiCipher.withKeys(keys, active);
  }

  static withKeys(keys: ReadonlyMap<string, Buffer>, activeKid: string): PiiCipher {
    if (!keys.has(activeKid))
      throw new Error(`PII_ENCRYPTION_KEY_ID "${activeKid}" is not among PII_ENCRYPTION_KEYS`);
    return new PiiCipher(new Map(keys), activeKid);
  }

  /** Derived from a constant: stable across restarts so development data stays readable. Not a secret. */
  static developmentKey(): PiiCipher {
    const key = createHash('sha256').update('prescriptchain development PII key (not secret)').digest();
    return new PiiCipher(new Map([['dev', key]]), 'dev');
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.keys.get(this.activeKid)!, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      this.activeKid,
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      data.toString('base64'),
    ].join(':');
  }

  decrypt(stored: string): string {
    const [kid, iv, tag, data, ...rest] = stored.split(':');
    if (!kid || iv === undefined || tag === undefined || data === undefined || rest.length) {
      throw new Error('PII ciphertext is malformed');
    }
    const key = this.keys.get(kid);
    if (!key) throw new Error(`PII ciphertext uses unknown key "${kid}"`);
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
  }

  encryptNullable(plaintext: string | null): string | null {
    return plaintext === null ? null : this.encrypt(plaintext);
  }

  decryptNullable(stored: string | null): string | null {
    return stored === null ? null : this.decrypt(stored);
  }
}
