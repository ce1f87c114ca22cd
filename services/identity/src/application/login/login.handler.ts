import { Injectable, Logger } from '@nestjs/common';
import { CodedError, type LoginView } from '@prescriptchain/contracts';
import {
  type ThrottlePolicy,
  type ThrottleState,
  accountAddressThrottleKey,
  accountThrottleKey,
  ipThrottleKey,
  isStale,
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
import { userView } from '../views';

export interface LoginInput {
  email: string;
  password: string;
  ip?: string | null;
}

type ThrottleKey = [key: string, policy: ThrottlePolicy];

type Attempt =
  | { kind: 'throttled'; retryAfterSeconds: number }
  | { kind: 'wrong' }
  | { kind: 'not_approved' }
  | { kind: 'ok'; refreshToken: string; user: User; claims: AccessClaims };

/**
 * Email + password → an access token and a new refresh-token family. Failures are counted per
 * account at one address (which slows, then locks, that address only), per address across
 * accounts, and per account (a bounded back-off for addresses that failed on it): failures from
 * one place never lock the owner out at another. Attempts on one key run one at a time under a
 * lock, so parallel guesses cannot slip past; failures are committed before the error is returned.
 */
@Injectable()
export class LoginHandler {
  private readonly logger = new Logger('Login');

  constructor(
    private readonly store: IdentityStore,
    private readonly auth: AuthProvider,
    private readonly config: IdentityConfig,
    private readonly clock: Clock,
  ) {}

  async execute(input: LoginInput): Promise<LoginView> {
    const email = normalizeEmail(input.email);
    const ip = input.ip ?? null;
    const accountAddress: ThrottleKey = [
      accountAddressThrottleKey(email, ip),
      this.config.accountAddressThrottle,
    ];
    const account: ThrottleKey = [accountThrottleKey(email), this.config.accountBackoff];
    // Always locked in this order (the address last), so concurrent sign-ins cannot deadlock.
    const keys: ThrottleKey[] = [accountAddress, account];
    if (ip) keys.push([ipThrottleKey(ip), this.config.ipThrottle]);

    const attempt = await this.store.transaction(async (tx): Promise<Attempt> => {
      const now = this.clock.now();
      const states: (ThrottleState | null)[] = [];
      for (const [key] of keys) {
        await tx.lock(`login-throttle:${key}`);
        states.push(await tx.loginThrottles.find(key));
      }
      const wait = this.waitBeforeChecking(keys, states, now);
      if (wait) {
        await tx.audit.record({
          actorId: null,
          action: 'login.throttled',
          subjectId: null,
          ip,
          details: { key: wait.kind },
        });
        return { kind: 'throttled', retryAfterSeconds: wait.seconds };
      }

      const user = await tx.users.findByEmail(email);
      const ok = await this.auth.checkPassword(
        user ? { userId: user.id, email: user.email, passwordHash: user.passwordHash } : null,
        input.password,
      );
      if (!ok || !user) {
        const after = keys.map(([key, policy], i) => recordFailure(states[i], key, policy, now));
        for (const state of after) await tx.loginThrottles.save(state);
        await this.recordLogin(
          tx,
          'login.failed',
          user?.id ?? null,
          ip,
          user ? 'wrong_password' : 'unknown_account',
        );
        const lockedUntil = after[0].lockedUntil;
        if (user && lockedUntil && !states[0]?.lockedUntil) await this.recordLock(tx, user, ip, lockedUntil);
        return { kind: 'wrong' };
      }

      await tx.loginThrottles.clear(accountAddress[0]);
      await tx.loginThrottles.clear(account[0]);
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

  /**
   * Why this attempt must wait, before its password is looked at: its own address is slowed or
   * locked on this account, the address is locked across accounts, or — only for an address that
   * has itself failed on the account — the account-wide back-off. Null = check the password.
   */
  private waitBeforeChecking(
    keys: ThrottleKey[],
    states: (ThrottleState | null)[],
    now: Date,
  ): { kind: string; seconds: number } | null {
    const [accountAddress, account, address] = keys;
    const waits: { kind: string; seconds: number }[] = [
      { kind: 'account_address', seconds: retryAfterSeconds(states[0], accountAddress[1], now) },
    ];
    if (address) waits.push({ kind: 'address', seconds: retryAfterSeconds(states[2], address[1], now) });
    const ownFailures = states[0] && !isStale(states[0], accountAddress[1], now) ? states[0].failures : 0;
    if (ownFailures > 0)
      waits.push({ kind: 'account', seconds: retryAfterSeconds(states[1], account[1], now) });
    const longest = waits.reduce((a, b) => (b.seconds > a.seconds ? b : a));
    return longest.seconds > 0 ? longest : null;
  }

  /** An address is now locked out of an account: audited always, and logged when it is an admin's. */
  private async recordLock(tx: IdentityTransaction, user: User, ip: string | null, until: Date) {
    await tx.audit.record({
      actorId: null,
      action: 'login.account_locked',
      subjectId: user.id,
      ip,
      details: { role: user.role, lockedUntil: until.toISOString() },
    });
    if (user.role === 'admin')
      this.logger.warn(
        `sign-in to admin ${user.id} locked for address ${ip ?? 'unknown'} until ${until.toISOString()} after repeated wrong passwords`,
      );
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
