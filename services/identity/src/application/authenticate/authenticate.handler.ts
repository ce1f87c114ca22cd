import { Injectable } from '@nestjs/common';
import { CodedError } from '@prescriptchain/contracts';
import { isApiKeyUsable, parseApiKey } from '../../domain/api-key';
import { type Role, type UserStatus, assertCurrentTokenEpoch } from '../../domain/user.entity';
import { Clock } from '../clock';
import { IdentityConfig } from '../identity-config';
import { AuthProvider } from '../ports/auth-provider';
import { IdentityStore } from '../ports/identity-store';
import { currentClaims } from '../principal';
import { digestsEqual, sha256Hex } from '../secrets';

export type AuthenticateInput =
  /** Claims of an access token the gateway has already verified against our JWKS. */
  | { claims: { sub: string; exp?: number; tokenEpoch?: number } }
  /** A raw access token, verified here. */
  | { accessToken: string }
  | { apiKey: string };

export interface Principal {
  userId: string;
  role: Role;
  status: UserStatus;
  clinicIds: string[];
  pharmacyId: string | null;
  via: 'token' | 'api_key';
  apiKeyId?: string;
}

/**
 * Called by the gateway on every request: turns a token's claims or an API key into the caller as
 * the database sees them NOW, so a suspension or a revoked key takes effect at once — whatever a
 * still-unexpired token says. Role, clinics and pharmacy come from the database, not the token.
 */
@Injectable()
export class AuthenticateHandler {
  constructor(
    private readonly store: IdentityStore,
    private readonly auth: AuthProvider,
    private readonly config: IdentityConfig,
    private readonly clock: Clock,
  ) {}

  async execute(input: AuthenticateInput): Promise<Principal> {
    if ('apiKey' in input) return this.byApiKey(input.apiKey);
    const claims =
      'accessToken' in input ? await this.auth.verifyAccessToken(input.accessToken) : input.claims;
    if (claims.exp !== undefined && claims.exp * 1000 <= this.clock.now().getTime())
      throw new CodedError('TOKEN_EXPIRED');
    return this.principalOf(claims.sub, 'token', claims.tokenEpoch ?? 0);
  }

  private async byApiKey(raw: string): Promise<Principal> {
    const parsed = parseApiKey(raw);
    if (!parsed) throw new CodedError('INVALID_CREDENTIALS');
    const key = await this.store.repos.apiKeys.findByPrefix(parsed.prefix);
    const now = this.clock.now();
    if (!key || !digestsEqual(key.secretHash, sha256Hex(raw.trim())) || !isApiKeyUsable(key, now)) {
      throw new CodedError('INVALID_CREDENTIALS');
    }
    const principal = await this.principalOf(key.userId, 'api_key');
    if (
      !key.lastUsedAt ||
      now.getTime() - key.lastUsedAt.getTime() >= this.config.apiKeyTouchIntervalSeconds * 1000
    ) {
      await this.store.repos.apiKeys.touch(key.id, now);
    }
    return { ...principal, apiKeyId: key.id };
  }

  private async principalOf(userId: string, via: Principal['via'], tokenEpoch?: number): Promise<Principal> {
    const user = await this.store.repos.users.findById(userId);
    if (!user) throw new CodedError('INVALID_CREDENTIALS');
    // A token issued before the user's last password change is refused at once.
    if (via === 'token') assertCurrentTokenEpoch(tokenEpoch, user);
    user.assertApproved();
    const claims = await currentClaims(this.store.repos, user);
    return {
      userId: user.id,
      role: user.role,
      status: user.status,
      clinicIds: claims.clinicIds,
      pharmacyId: claims.pharmacyId,
      via,
    };
  }
}
