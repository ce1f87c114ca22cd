import { Injectable, Logger } from '@nestjs/common';
import {
  CREDENTIAL_TOKEN_ALGORITHM,
  CREDENTIAL_TOKEN_TYPE,
  type CredentialClaims,
  CredentialClaimsSchema,
} from '@prescriptchain/contracts';
import { type CryptoKey, type JWTHeaderParameters, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { Clock } from '../clock';
import { CredentialKeySync } from './credential-key-sync';
import { PharmacyStore } from '../ports/pharmacy-store';

/** How often an unknown kid may send us to orders for its keys (a forged kid must not flood it). */
const REFRESH_EVERY_MS = 30_000;

/**
 * Verifies a QR token offline: EdDSA signature by an orders credential key (by `kid`), expiry, and
 * the claims' shape. Any failure is null: forged, altered, expired, unknown key alike.
 */
@Injectable()
export class CredentialVerifier {
  private readonly log = new Logger('CredentialVerifier');
  private readonly keys = new Map<string, CryptoKey>();
  private lastRefresh = 0;

  constructor(
    private readonly store: PharmacyStore,
    private readonly sync: CredentialKeySync,
    private readonly clock: Clock,
  ) {}

  async verify(token: string, now: Date): Promise<CredentialClaims | null> {
    let header: JWTHeaderParameters;
    try {
      header = decodeProtectedHeader(token) as JWTHeaderParameters;
    } catch {
      return null;
    }
    if (header.alg !== CREDENTIAL_TOKEN_ALGORITHM || typeof header.kid !== 'string') return null;
    // The contract's token type, when the issuer names one; never another kind of token.
    if (header.typ !== undefined && header.typ !== CREDENTIAL_TOKEN_TYPE) return null;
    const key = await this.keyFor(header.kid);
    if (!key) return null;
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: [CREDENTIAL_TOKEN_ALGORITHM],
        currentDate: now,
      });
      const claims = CredentialClaimsSchema.safeParse(payload);
      return claims.success ? claims.data : null;
    } catch {
      return null;
    }
  }

  private async keyFor(kid: string): Promise<CryptoKey | null> {
    const cached = this.keys.get(kid);
    if (cached) return cached;
    let jwk = await this.store.read.credentialKeys.find(kid);
    if (!jwk && this.clock.now().getTime() - this.lastRefresh >= REFRESH_EVERY_MS) {
      this.lastRefresh = this.clock.now().getTime();
      try {
        await this.sync.run({ onlyIfEmpty: false });
      } catch (err) {
        this.log.warn(`could not fetch credential keys from orders: ${(err as Error).message}`);
      }
      jwk = await this.store.read.credentialKeys.find(kid);
    }
    if (!jwk) return null;
    const key = (await importJWK(jwk, CREDENTIAL_TOKEN_ALGORITHM)) as CryptoKey;
    this.keys.set(kid, key);
    return key;
  }
}
