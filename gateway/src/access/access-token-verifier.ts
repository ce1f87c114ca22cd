import { CodedError, IDENTITY_RPC, JwksViewSchema } from '@prescriptchain/contracts';
import { type CryptoKey, type JWK, importJWK, jwtVerify } from 'jose';
import type { BackendRpc } from '../ports/backend-rpc';

/** What the gateway reads of a verified access token (the rest comes from identity). */
export interface VerifiedAccessToken {
  sub: string;
  exp: number;
  /** The token's `tep` (its user's token epoch when issued); absent = 0. */
  tokenEpoch: number;
}

export interface AccessTokenVerifierOptions {
  issuer: string;
  audience: string;
  /** Re-read identity's JWKS at least this often (keys rotated out disappear). Default 5 min. */
  refreshMs?: number;
  /** An unknown `kid` re-reads the JWKS at most this often (a rotation by identity). Default 1 s. */
  unknownKidReloadMs?: number;
  now?: () => number;
}

const ALG = 'EdDSA';

/** Thrown by the key lookup: no key of identity's has this `kid` (→ 1001). */
class UnknownKey extends Error {}

/**
 * Verifies identity's access tokens here, as identity does (local-auth.provider): EdDSA signature
 * against the keys identity publishes (`identity.auth.jwks`, cached; an unknown `kid` re-reads them
 * once a second at most, so a rotation is picked up and a forged `kid` costs nothing), then issuer,
 * audience and expiry. Bad signature, unknown key, wrong issuer/audience or malformed claims →
 * 401 1001; expired → 401 1002. Identity being unreachable for its keys is its RPC error (503/504),
 * never a verdict on the token.
 */
export class AccessTokenVerifier {
  private keys = new Map<string, CryptoKey>();
  private loadedAt = Number.NEGATIVE_INFINITY;
  private refreshAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | null = null;
  private readonly now: () => number;

  constructor(
    private readonly rpc: BackendRpc,
    private readonly options: AccessTokenVerifierOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async verify(accessToken: string): Promise<VerifiedAccessToken> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(accessToken, (header) => this.keyFor(header.kid), {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: [ALG],
        currentDate: new Date(this.now()),
      }));
    } catch (err) {
      if (err instanceof CodedError) throw err; // identity's keys could not be read
      if ((err as { code?: string }).code === 'ERR_JWT_EXPIRED') throw new CodedError('TOKEN_EXPIRED');
      throw new CodedError('INVALID_CREDENTIALS');
    }
    const { sub, exp, tep } = payload;
    if (
      typeof sub !== 'string' ||
      typeof exp !== 'number' ||
      !(tep === undefined || (Number.isSafeInteger(tep) && (tep as number) >= 0))
    )
      throw new CodedError('INVALID_CREDENTIALS');
    return { sub, exp, tokenEpoch: (tep as number | undefined) ?? 0 };
  }

  private async keyFor(kid: string | undefined): Promise<CryptoKey> {
    if (!kid) throw new UnknownKey('no kid');
    if (this.now() >= this.refreshAt) {
      try {
        await this.load();
      } catch (err) {
        // With keys already read, a failed periodic re-read keeps them (and tries again in a second).
        if (this.keys.size === 0) throw err;
        this.refreshAt = this.now() + 1_000;
      }
    }
    let key = this.keys.get(kid);
    if (!key && this.now() - this.loadedAt >= (this.options.unknownKidReloadMs ?? 1_000)) {
      await this.load();
      key = this.keys.get(kid);
    }
    if (!key) throw new UnknownKey('unknown kid');
    return key;
  }

  private load(): Promise<void> {
    this.loading ??= this.fetch().finally(() => (this.loading = null));
    return this.loading;
  }

  private async fetch(): Promise<void> {
    const reply = await this.rpc.call(IDENTITY_RPC.jwks, {});
    const parsed = JwksViewSchema.safeParse(reply);
    if (!parsed.success) throw new Error(`identity.auth.jwks answered off contract: ${parsed.error.message}`);
    const keys = new Map<string, CryptoKey>();
    for (const jwk of parsed.data.keys) {
      if (jwk.alg !== ALG) continue;
      keys.set(jwk.kid, (await importJWK(jwk as JWK, ALG)) as CryptoKey);
    }
    this.keys = keys;
    this.loadedAt = this.now();
    this.refreshAt = this.loadedAt + (this.options.refreshMs ?? 300_000);
  }
}
