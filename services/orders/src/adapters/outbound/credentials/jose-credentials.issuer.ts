import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import {
  CREDENTIAL_TOKEN_ALGORITHM,
  CREDENTIAL_TOKEN_TYPE,
  type CredentialClaims,
  CredentialClaimsSchema,
  type CredentialJwk,
  CodedError,
  generatePlatformOrderId,
} from '@prescriptchain/contracts';
import { PiiCipher, VerificationCodeHmac } from '@prescriptchain/messaging';
import {
  type CryptoKey,
  SignJWT,
  calculateJwkThumbprint,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  importJWK,
  importPKCS8,
  jwtVerify,
} from 'jose';
import { CredentialsIssuer } from '../../../application/ports/credentials-issuer';
import type { Credential } from '../../../domain/order/order.entity';
import { CredentialKeyStore, type CredentialKeyRecord } from '../prisma/credential-key.store';

/**
 * Credentials signed with Ed25519 (compact JWS, `typ: pc-credential+jwt`, payload `{ oid, pid, exp }`)
 * by a key kept in orders' database; its public half goes to pharmacy (event + JWKS RPC) so a scan
 * verifies offline. The 6-digit verification code is stored as HMAC-SHA256(VERIFICATION_CODE_HMAC_KEY,
 * `orderId:code`) — the digest pharmacy checks typed codes against — and encrypted, because the
 * prescriber must be able to print it again. Orders from before the keyed digest keep their
 * salted sha256 (a non-empty salt) and are still checked here.
 */
@Injectable()
export class JoseCredentialsIssuer extends CredentialsIssuer implements OnApplicationBootstrap {
  private signer: Promise<{ kid: string; key: CryptoKey }> | null = null;
  private readonly verifiers = new Map<string, Promise<CryptoKey>>();

  constructor(
    private readonly keys: CredentialKeyStore,
    private readonly cipher: PiiCipher,
    private readonly codeHmac: VerificationCodeHmac,
  ) {
    super();
  }

  /** Creates (and announces) the first key at start-up, so pharmacy knows it before the first scan. */
  async onApplicationBootstrap(): Promise<void> {
    await this.signingKey().catch((err: Error) =>
      new Logger('Credentials').warn(`no credential signing key yet (${err.message}); retrying on first use`),
    );
  }

  async issue(orderId: string, issuedAt: Date, expiresAt: Date): Promise<Credential> {
    const platformOrderId = generatePlatformOrderId(() => randomInt(32));
    const { kid, key } = await this.signingKey();
    const token = await new SignJWT({ oid: orderId, pid: platformOrderId })
      .setProtectedHeader({ alg: CREDENTIAL_TOKEN_ALGORITHM, kid, typ: CREDENTIAL_TOKEN_TYPE })
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(key);
    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    return {
      platformOrderId,
      token,
      kid,
      verificationCodeHash: this.codeHmac.digest(orderId, code),
      verificationCodeSalt: '',
      verificationCodeEnc: this.cipher.encrypt(code),
      issuedAt,
      expiresAt,
    };
  }

  async verifyToken(token: string): Promise<CredentialClaims> {
    try {
      const { payload } = await jwtVerify(token, (header) => this.verifyingKey(header.kid), {
        algorithms: [CREDENTIAL_TOKEN_ALGORITHM],
        typ: CREDENTIAL_TOKEN_TYPE,
      });
      return CredentialClaimsSchema.parse(payload);
    } catch {
      throw new CodedError('INVALID_CREDENTIAL');
    }
  }

  verificationCodeMatches(orderId: string, credential: Credential, code: string): boolean {
    if (!credential.verificationCodeSalt)
      return this.codeHmac.matches(orderId, code, credential.verificationCodeHash);
    if (!/^\d{6}$/.test(code)) return false;
    const expected = Buffer.from(credential.verificationCodeHash, 'hex');
    const actual = Buffer.from(hashCode(credential.verificationCodeSalt, code), 'hex');
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  revealVerificationCode(credential: Credential): string {
    return this.cipher.decrypt(credential.verificationCodeEnc);
  }

  async publicKeys(): Promise<CredentialJwk[]> {
    await this.signingKey(); // there is always at least one key to publish
    return (await this.keys.list()).map((k) => k.publicJwk);
  }

  /** Loads (or creates, once across replicas) the signing key; a failure is retried on the next call. */
  private signingKey(): Promise<{ kid: string; key: CryptoKey }> {
    this.signer ??= this.keys
      .newestOrCreate(() => newKey(this.cipher))
      .then(async (record) => ({
        kid: record.kid,
        key: await importPKCS8(this.cipher.decrypt(record.privateKeyEnc), CREDENTIAL_TOKEN_ALGORITHM),
      }));
    this.signer.catch(() => (this.signer = null));
    return this.signer;
  }

  private verifyingKey(kid: string | undefined): Promise<CryptoKey> {
    if (!kid) return Promise.reject(new Error('token without kid'));
    let key = this.verifiers.get(kid);
    if (!key) {
      key = this.keys.list().then(async (all) => {
        const record = all.find((k) => k.kid === kid);
        if (!record) throw new Error('unknown kid');
        return (await importJWK(record.publicJwk, CREDENTIAL_TOKEN_ALGORITHM)) as CryptoKey;
      });
      this.verifiers.set(kid, key);
      // An unknown kid is not remembered: a key created by another replica must still be found later.
      key.catch(() => this.verifiers.delete(kid));
    }
    return key;
  }
}

/** The salted sha256 of orders paid before the keyed digest (read only). */
function hashCode(salt: string, code: string): string {
  return createHash('sha256').update(`${salt}:${code}`).digest('hex');
}

async function newKey(cipher: PiiCipher): Promise<CredentialKeyRecord> {
  const { publicKey, privateKey } = await generateKeyPair('Ed25519', { extractable: true });
  const exported = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(exported);
  const publicJwk: CredentialJwk = {
    kty: 'OKP',
    crv: 'Ed25519',
    x: exported.x!,
    kid,
    alg: 'EdDSA',
    use: 'sig',
  };
  return {
    kid,
    publicJwk,
    privateKeyEnc: cipher.encrypt(await exportPKCS8(privateKey)),
    createdAt: new Date(),
  };
}
