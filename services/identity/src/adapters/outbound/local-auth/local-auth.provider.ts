import { randomUUID } from 'node:crypto';
import { type Algorithm, hash, verify } from '@node-rs/argon2';
import { CodedError, ERRORS } from '@prescriptchain/contracts';
import {
  type CryptoKey,
  type JWK,
  SignJWT,
  calculateJwkThumbprint,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  importJWK,
  importPKCS8,
  jwtVerify,
} from 'jose';
import type { Clock } from '../../../application/clock';
import type { Argon2Params } from '../../../application/identity-config';
import {
  type AccessClaims,
  AuthProvider,
  type JsonWebKeySet,
  type PublicJwk,
  type VerifiedAccessClaims,
} from '../../../application/ports/auth-provider';
import {
  expiredPrevious,
  isDueForRotation,
  planRotation,
  signingKey,
  verifyingKeys,
} from '../../../domain/signing-key-ring';
import { ROLES, USER_STATUSES } from '../../../domain/user.entity';
import type { PiiCipher } from '../crypto/pii-cipher';
import type { SigningKeyChanges, SigningKeyRecord, SigningKeyStore } from './signing-key.store';

const ALG = 'EdDSA';
const ARGON2ID = 2 as Algorithm;

export interface LocalAuthOptions {
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
  rotateAfterSeconds: number;
  retentionSeconds: number;
  cacheSeconds: number;
  argon2: Argon2Params;
}

interface LoadedKey {
  kid: string;
  jwk: PublicJwk;
  publicKey: CryptoKey;
}

interface KeySet {
  loadedAt: number;
  verifying: LoadedKey[];
  signer: { kid: string; privateKey: CryptoKey };
}

/**
 * The embedded auth provider: argon2id password hashes in our user table, EdDSA (Ed25519) access
 * tokens signed with keys kept in our database (private halves encrypted with the PII cipher).
 * Keys rotate by age; the one rotated out keeps verifying until every token it signed has expired.
 * Each process caches the key set briefly and re-reads it on an unknown `kid`, so a rotation made
 * by another replica is picked up without logging anyone out.
 */
export class LocalAuthProvider extends AuthProvider {
  private keySet: KeySet | null = null;
  private loading: Promise<KeySet> | null = null;
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly store: SigningKeyStore,
    private readonly cipher: PiiCipher,
    private readonly options: LocalAuthOptions,
    private readonly clock: Clock,
  ) {
    super();
  }

  async start(): Promise<void> {
    await this.keys(true);
  }

  /** Makes a new key the signer now; the old one keeps verifying (admin tooling, tests). Returns the new kid. */
  async rotate(): Promise<string> {
    let kid = '';
    await this.store.change(async (current) => {
      const changes = await this.plan(current, true);
      kid = changes!.add!.kid;
      return changes;
    });
    this.keySet = null;
    return kid;
  }

  async enrolPassword(_account: { userId: string; email: string }, password: string): Promise<string> {
    return hash(password, { ...this.options.argon2, algorithm: ARGON2ID });
  }

  setPassword(account: { userId: string; email: string }, password: string): Promise<string> {
    return this.enrolPassword(account, password);
  }

  async checkPassword(
    account: { userId: string; email: string; passwordHash: string | null } | null,
    password: string,
  ): Promise<boolean> {
    if (!account?.passwordHash) {
      // Same work for an unknown account, so response times do not reveal which emails exist.
      this.dummyHash ??= hash(randomUUID(), { ...this.options.argon2, algorithm: ARGON2ID });
      await verify(await this.dummyHash, password);
      return false;
    }
    try {
      return await verify(account.passwordHash, password);
    } catch {
      return false;
    }
  }

  async issueAccessToken(claims: AccessClaims): Promise<{ accessToken: string; expiresIn: number }> {
    const { signer } = await this.keys();
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const accessToken = await new SignJWT({
      role: claims.role,
      status: claims.status,
      clinicIds: claims.clinicIds,
      pharmacyId: claims.pharmacyId,
      tep: claims.tokenEpoch ?? 0,
    })
      .setProtectedHeader({ alg: ALG, kid: signer.kid, typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.options.accessTokenTtlSeconds)
      .setJti(randomUUID())
      .sign(signer.privateKey);
    return { accessToken, expiresIn: this.options.accessTokenTtlSeconds };
  }

  async verifyAccessToken(accessToken: string): Promise<VerifiedAccessClaims> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(accessToken, (header) => this.verifyingKey(header.kid), {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: [ALG],
        currentDate: this.clock.now(),
      }));
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_JWT_EXPIRED') throw new CodedError('TOKEN_EXPIRED');
      throw new CodedError('INVALID_CREDENTIALS', ERRORS.INVALID_CREDENTIALS.message);
    }
    const { sub, role, status, clinicIds, pharmacyId, exp, tep } = payload;
    const valid =
      typeof sub === 'string' &&
      typeof exp === 'number' &&
      (tep === undefined || (Number.isSafeInteger(tep) && (tep as number) >= 0)) &&
      (ROLES as readonly unknown[]).includes(role) &&
      (USER_STATUSES as readonly unknown[]).includes(status) &&
      Array.isArray(clinicIds) &&
      clinicIds.every((c) => typeof c === 'string') &&
      (pharmacyId === null || typeof pharmacyId === 'string');
    if (!valid) throw new CodedError('INVALID_CREDENTIALS');
    return {
      sub,
      role,
      status,
      clinicIds,
      pharmacyId,
      exp,
      tokenEpoch: (tep as number | undefined) ?? 0,
    } as VerifiedAccessClaims;
  }

  async jwks(): Promise<JsonWebKeySet> {
    return { keys: (await this.keys()).verifying.map((k) => ({ ...k.jwk })) };
  }

  private async verifyingKey(kid: string | undefined): Promise<CryptoKey> {
    let set = await this.keys();
    let key = set.verifying.find((k) => k.kid === kid);
    // A kid we have not seen may come from a key another replica just made: look once more.
    if (!key && kid && this.clock.now().getTime() - set.loadedAt > 1000) {
      set = await this.keys(true);
      key = set.verifying.find((k) => k.kid === kid);
    }
    if (!key) throw new Error('no verifying key for kid');
    return key.publicKey;
  }

  private async keys(reload = false): Promise<KeySet> {
    const fresh =
      this.keySet && this.clock.now().getTime() - this.keySet.loadedAt < this.options.cacheSeconds * 1000;
    if (fresh && !reload) return this.keySet!;
    this.loading ??= this.load().finally(() => (this.loading = null));
    return (this.keySet = await this.loading);
  }

  private async load(): Promise<KeySet> {
    let current = await this.store.list();
    if (this.needsChange(current)) {
      await this.store.change((latest) => this.plan(latest, false));
      current = await this.store.list();
    }
    const now = this.clock.now();
    const gone = new Set(expiredPrevious(current, now, this.retention()));
    const verifying = await Promise.all(
      verifyingKeys(current)
        .filter((k) => !gone.has(k.kid))
        .map(async (k) => ({
          kid: k.kid,
          jwk: k.publicJwk,
          publicKey: (await importJWK(k.publicJwk as JWK, ALG)) as CryptoKey,
        })),
    );
    const active = signingKey(current);
    if (!active) throw new Error('no active signing key');
    const privateKey = await importPKCS8(this.cipher.decrypt(active.privateKeyEnc), ALG);
    return { loadedAt: now.getTime(), verifying, signer: { kid: active.kid, privateKey } };
  }

  /** Tokens live accessTokenTtl at most, so a rotated-out key must verify at least that long. */
  private retention(): number {
    return Math.max(this.options.retentionSeconds, this.options.accessTokenTtlSeconds);
  }

  private needsChange(keys: SigningKeyRecord[]): boolean {
    const now = this.clock.now();
    const active = signingKey(keys);
    return (
      !active ||
      isDueForRotation(active, now, this.options.rotateAfterSeconds) ||
      expiredPrevious(keys, now, this.retention()).length > 0
    );
  }

  private async plan(current: SigningKeyRecord[], force: boolean): Promise<SigningKeyChanges | null> {
    const now = this.clock.now();
    const active = signingKey(current);
    const due = force || !active || isDueForRotation(active, now, this.options.rotateAfterSeconds);
    if (!due) {
      const retire = expiredPrevious(current, now, this.retention());
      return retire.length ? { at: now, demote: [], retire, add: null } : null;
    }
    return { at: now, ...planRotation(current, now, this.retention()), add: await this.generate(now) };
  }

  private async generate(now: Date): Promise<SigningKeyRecord> {
    const { publicKey, privateKey } = await generateKeyPair('Ed25519', { extractable: true });
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk);
    return {
      kid,
      algorithm: ALG,
      status: 'active',
      createdAt: now,
      rotatedOutAt: null,
      publicJwk: { kty: jwk.kty!, crv: jwk.crv, x: jwk.x, kid, alg: ALG, use: 'sig' },
      privateKeyEnc: this.cipher.encrypt(await exportPKCS8(privateKey)),
    };
  }
}
