import { Injectable } from '@nestjs/common';
import { CodedError, UserTokensRevokedV1 } from '@prescriptchain/contracts';
import { PasswordPolicy } from '../../domain/password-policy';
import type { Caller } from '../caller';
import { Clock } from '../clock';
import { AuthProvider } from '../ports/auth-provider';
import { IdentityStore } from '../ports/identity-store';

export interface ChangePasswordInput {
  currentPassword: string;
  newPassword: string;
}

/** Serialises a user's session changes (this, and refresh rotations) so none slips past a revocation. */
export const userSessionsLock = (userId: string) => `user-sessions:${userId}`;

/**
 * The caller changes their own password. The current one must be right (a stolen access token alone
 * cannot take the account over); the new one must pass the policy and differ. In one transaction:
 * the new hash and a new token epoch (every access token issued before is refused at once), every
 * refresh-token family revoked, an audit entry, and `identity.user.tokens_revoked` for whoever caches
 * principals.
 */
@Injectable()
export class ChangePasswordHandler {
  constructor(
    private readonly store: IdentityStore,
    private readonly auth: AuthProvider,
    private readonly passwords: PasswordPolicy,
    private readonly clock: Clock,
  ) {}

  async execute(caller: Caller, input: ChangePasswordInput): Promise<null> {
    const user = await this.store.repos.users.findById(caller.userId);
    if (!user) throw new CodedError('INVALID_CREDENTIALS');
    user.assertApproved();
    const account = { userId: user.id, email: user.email, passwordHash: user.passwordHash };
    if (!(await this.auth.checkPassword(account, input.currentPassword))) {
      await this.store.repos.audit.record({
        actorId: user.id,
        action: 'user.password_change_refused',
        subjectId: user.id,
        ip: caller.ip ?? null,
        details: { reason: 'wrong_current_password' },
      });
      throw new CodedError('INVALID_CREDENTIALS', 'The current password is not right.');
    }
    const problems = this.passwords
      .problems(input.newPassword, { email: user.email })
      .map((message) => ({ path: 'newPassword', message }));
    if (input.newPassword === input.currentPassword)
      problems.push({ path: 'newPassword', message: 'must differ from the current password' });
    if (problems.length)
      throw new CodedError('VALIDATION_FAILED', 'The new password is not acceptable.', problems);

    // Hash outside the transaction: argon2 is deliberately slow and must not hold a connection.
    const passwordHash = await this.auth.setPassword(
      { userId: user.id, email: user.email },
      input.newPassword,
    );
    await this.store.transaction(async (tx) => {
      await tx.lock(userSessionsLock(user.id));
      const now = this.clock.now();
      const current = await tx.users.findById(user.id);
      if (!current) throw new CodedError('INVALID_CREDENTIALS');
      current.changePassword(passwordHash, now);
      await tx.users.update(current);
      await tx.refreshTokens.revokeAllForUser(current.id, now);
      await tx.audit.record({
        actorId: current.id,
        action: 'user.password_changed',
        subjectId: current.id,
        ip: caller.ip ?? null,
        details: { tokenEpoch: current.tokenEpoch },
      });
      await tx.publish(UserTokensRevokedV1, {
        userId: current.id,
        notBefore: now.toISOString(),
        reason: 'password_changed',
      });
    });
    return null;
  }
}
