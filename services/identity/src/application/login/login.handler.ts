import { Injectable } from '@nestjs/common';
import { CodedError } from '@prescriptchain/contracts';
import {
  type ThrottlePolicy,
  type ThrottleState,
  accountThrottleKey,
  ipThrottleKey,
  recordFailure,
  retryAfterSeconds,
} from '../../domain/login-throttle';
import { type User, normalizeEmail } from '../../domain/user.entity';
import { Clock } from '../clock';
import { IdentityConfig } from '../identity-config';
import { type AccessClaims, AuthProvider } from '../ports/auth-provider';
import { IdentityStore, type IdentityTransaction } from '../ports/identity-store';
import { currentClaims } from '../principal';
import { newId, newOpaqueToken, sha256Hex } from '../secrets';
import { type SessionTokens, type UserView, userView } from '../views';

export interface LoginInput {
  email: string;
  password: string;
  ip?: string | null;
}

type Attempt =
  | { kind: 'throttled'; retryAfterSeconds: number }
  | { kind: 'wrong' }
  | { kind: 'not_approved' }
  | { kind: 'ok'; refreshToken: string; user: User; claims: AccessClaims };

/**
 * Email + password → an access token and a new refresh-token family. Attempts on one account (and
 * one address) run one at a time under a lock, so parallel guesses cannot slip past the throttle;
 * failures are committed before the error is returned.
 */
@Injectable()
export class LoginHandler {
  constructor(
    private readonly store: IdentityStore,
    private readonly auth: AuthProvider,
    private readonly config: IdentityConfig,
    private readonly clock: Clock,
  ) {}

  async execute(input: LoginInput): Promise<{ user: UserView; tokens: SessionTokens }> {
    const email = normalizeEmail(input.email);
    const ip = input.ip ?? null;
    const keys: [string, ThrottlePolicy][] = [[accountThrottleKey(email), this.config.accountThrottle]];
    if (ip) keys.push([ipThrottleKey(ip), this.config.ipThrottle]);

    const attempt = await this.store.transaction(async (tx): Promise<Attempt> => {
      const now = this.clock.now();
      const states: (ThrottleState | null)[] = [];
      for (const [key, policy] of keys) {
        await tx.lock(`login-throttle:${key}`);
        const state = await tx.loginThrottles.find(key);
        states.push(state);
        const wait = retryAfterSeconds(state, policy, now);
        if (wait > 0) {
          await tx.audit.record({
            actorId: null,
            action: 'login.throttled',
            subjectId: null,
            ip,
            details: { key: key.split(':')[0] },
          });
          return { kind: 'throttled', retryAfterSeconds: wait };
        }
      }

      const user = await tx.users.findByEmail(email);
      const ok = await this.auth.checkPassword(
        user ? { userId: user.id, email: user.email, passwordHash: user.passwordHash } : null,
        input.password,
      );
      if (!ok || !user) {
        for (const [i, [key, policy]] of keys.entries()) {
          await tx.loginThrottles.save(recordFailure(states[i], key, policy, now));
        }
        await this.recordLogin(
          tx,
          'login.failed',
          user?.id ?? null,
          ip,
          user ? 'wrong_password' : 'unknown_account',
        );
        return { kind: 'wrong' };
      }

      await tx.loginThrottles.clear(keys[0][0]);
      if (!user.isApproved) {
        await this.recordLogin(tx, 'login.failed', user.id, ip, `status_${user.status}`);
        return { kind: 'not_approved' };
      }
      const refreshToken = newOpaqueToken();
      await tx.refreshTokens.insert({
        id: newId(),
        familyId: newId(),
        userId: user.id,
        tokenHash: sha256Hex(refreshToken),
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.config.refreshTokenTtlSeconds * 1000),
        usedAt: null,
        revokedAt: null,
      });
      await this.recordLogin(tx, 'login.succeeded', user.id, ip);
      return { kind: 'ok', refreshToken, user, claims: await currentClaims(tx, user) };
    });

    switch (attempt.kind) {
      case 'throttled':
        throw new CodedError('RATE_LIMIT_EXCEEDED', 'Too many failed sign-in attempts. Try again later.', {
          retryAfterSeconds: attempt.retryAfterSeconds,
        });
      case 'wrong':
        throw new CodedError('INVALID_CREDENTIALS');
      case 'not_approved':
        throw new CodedError('ACCOUNT_NOT_APPROVED');
    }
    const { accessToken, expiresIn } = await this.auth.issueAccessToken(attempt.claims);
    return {
      user: userView(attempt.user),
      tokens: { accessToken, refreshToken: attempt.refreshToken, expiresIn },
    };
  }

  private recordLogin(
    tx: IdentityTransaction,
    action: 'login.succeeded' | 'login.failed',
    userId: string | null,
    ip: string | null,
    reason?: string,
  ) {
    return tx.audit.record({
      actorId: userId,
      action,
      subjectId: userId,
      ip,
      details: reason ? { reason } : undefined,
    });
  }
}
