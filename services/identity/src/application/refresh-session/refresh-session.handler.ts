import { Injectable } from '@nestjs/common';
import { CodedError, type SessionTokensView } from '@prescriptchain/contracts';
import { decideRefresh } from '../../domain/refresh-token';
import { Clock } from '../clock';
import { IdentityConfig } from '../identity-config';
import { type AccessClaims, AuthProvider } from '../ports/auth-provider';
import { IdentityStore, type IdentityTransaction, type StoredRefreshToken } from '../ports/identity-store';
import { userSessionsLock } from '../change-password/change-password.handler';
import { currentClaims } from '../principal';
import { newId, newOpaqueToken, sha256Hex } from '../secrets';

type Outcome =
  { kind: 'invalid' } | { kind: 'not_approved' } | { kind: 'ok'; refreshToken: string; claims: AccessClaims };

/**
 * Spends a refresh token and issues its successor in the same family. A spent token presented
 * again (or two uses racing) revokes the whole family; the revocation commits, then TOKEN_EXPIRED.
 */
@Injectable()
export class RefreshSessionHandler {
  constructor(
    private readonly store: IdentityStore,
    private readonly auth: AuthProvider,
    private readonly config: IdentityConfig,
    private readonly clock: Clock,
  ) {}

  async execute(input: { refreshToken: string; ip?: string | null }): Promise<SessionTokensView> {
    const outcome = await this.store.transaction(async (tx): Promise<Outcome> => {
      const now = this.clock.now();
      const token = await tx.refreshTokens.findByHash(sha256Hex(input.refreshToken));
      if (!token) return { kind: 'invalid' };
      const decision = decideRefresh(token, now);
      if (decision === 'reused') return this.revokeStolenFamily(tx, token, input.ip ?? null, now);
      if (decision !== 'rotate') return { kind: 'invalid' };
      if (!(await tx.refreshTokens.markUsed(token.id, now)))
        return this.revokeStolenFamily(tx, token, input.ip ?? null, now);

      // A password change revokes every family under this lock: rotate after it, or not at all.
      await tx.lock(userSessionsLock(token.userId));
      if (await tx.refreshTokens.isRevoked(token.id)) return { kind: 'invalid' };
      const user = await tx.users.findById(token.userId);
      if (!user?.isApproved) {
        await tx.refreshTokens.revokeFamily(token.familyId, now);
        return { kind: 'not_approved' };
      }
      const refreshToken = newOpaqueToken();
      await tx.refreshTokens.insert({
        id: newId(),
        familyId: token.familyId,
        userId: user.id,
        tokenHash: sha256Hex(refreshToken),
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.config.refreshTokenTtlSeconds * 1000),
        usedAt: null,
        revokedAt: null,
      });
      return { kind: 'ok', refreshToken, claims: await currentClaims(tx, user) };
    });

    if (outcome.kind === 'invalid') throw new CodedError('TOKEN_EXPIRED');
    if (outcome.kind === 'not_approved') throw new CodedError('ACCOUNT_NOT_APPROVED');
    const { accessToken, expiresIn } = await this.auth.issueAccessToken(outcome.claims);
    return { accessToken, refreshToken: outcome.refreshToken, expiresIn };
  }

  private async revokeStolenFamily(
    tx: IdentityTransaction,
    token: StoredRefreshToken,
    ip: string | null,
    now: Date,
  ): Promise<Outcome> {
    await tx.refreshTokens.revokeFamily(token.familyId, now);
    await tx.audit.record({
      actorId: null,
      action: 'refresh_token.reused',
      subjectId: token.userId,
      ip,
      details: { familyId: token.familyId },
    });
    return { kind: 'invalid' };
  }
}
