import { Injectable } from '@nestjs/common';
import {
  type AuthenticateRequest,
  AuthenticatedPrincipalSchema,
  CodedError,
  IDENTITY_RPC,
} from '@prescriptchain/contracts';
import { GatewayMetrics } from '../operations/gateway-metrics';
import { BackendRpc } from '../ports/backend-rpc';
import { AccessEvents } from './access-events';
import { AccessTokenVerifier } from './access-token-verifier';
import type { Principal } from './principal';
import { PrincipalCache } from './principal-cache';

/**
 * Turns a credential into the caller, asking identity as little as it safely can:
 *  - a bearer token, while identity's events reach this gateway: verified here (signature, issuer,
 *    audience, expiry, key id: 401 1001/1002 without a word to identity), its principal (role,
 *    status, clinics, pharmacy as identity answered them) reused from the cache for its user and
 *    token epoch; a miss asks identity with the verified claims and keeps the answer. Every event
 *    that changes a principal drops it (suspension, approval, tokens revoked, clinic membership,
 *    pharmacy link), on every replica; the gateway that made the change drops it at once itself.
 *  - while the subscription is down (broker away, consumer cancelled), or for an API key (identity
 *    touches a key's last use; its revocation is read at once): identity authenticates the raw
 *    credential on every request, as before. The cache is dropped whenever the subscription goes
 *    down or comes back, since events may have been missed in between — it fails closed.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly rpc: BackendRpc,
    private readonly verifier: AccessTokenVerifier,
    private readonly cache: PrincipalCache,
    private readonly events: AccessEvents,
    private readonly metrics: GatewayMetrics,
  ) {
    events.onChange((userId) => (userId === null ? this.cache.clear() : this.cache.forget(userId)));
  }

  async authenticate(credential: AuthenticateRequest): Promise<Principal> {
    if (!('accessToken' in credential)) {
      this.metrics.principalLookups.inc({ outcome: 'api_key' });
      return this.ask(credential);
    }
    if (!this.events.isLive()) {
      this.metrics.principalLookups.inc({ outcome: 'unsubscribed' });
      return this.ask(credential);
    }
    const token = await this.verifier.verify(credential.accessToken);
    const ticket = this.cache.ticket();
    const cached = this.events.isLive() ? this.cache.get(token.sub, token.tokenEpoch) : undefined;
    if (cached) {
      this.metrics.principalLookups.inc({ outcome: 'hit' });
      return cached;
    }
    this.metrics.principalLookups.inc({ outcome: 'miss' });
    const principal = await this.ask({
      claims: { sub: token.sub, exp: token.exp, tokenEpoch: token.tokenEpoch },
    });
    // A subscription that went down meanwhile bumped the ticket too: nothing is kept then.
    if (this.events.isLive() && principal.userId === token.sub)
      this.cache.set(ticket, token.tokenEpoch, principal);
    return principal;
  }

  /**
   * What this gateway just changed about a user (suspended, approved, password, clinic, pharmacy):
   * their cached principal goes now, not when the event comes back.
   */
  forget(userId: string): void {
    this.cache.forget(userId);
  }

  private async ask(credential: AuthenticateRequest): Promise<Principal> {
    let reply: unknown;
    try {
      reply = await this.rpc.call(IDENTITY_RPC.authenticate, credential);
    } catch (err) {
      // Identity only says VALIDATION_FAILED about a credential's shape: to the client it is not valid.
      if ((err as { code?: unknown }).code === 'VALIDATION_FAILED')
        throw new CodedError('INVALID_CREDENTIALS');
      throw err;
    }
    const parsed = AuthenticatedPrincipalSchema.safeParse(reply);
    if (!parsed.success)
      throw new Error(`identity.authenticate answered off contract: ${parsed.error.message}`);
    return parsed.data;
  }
}
