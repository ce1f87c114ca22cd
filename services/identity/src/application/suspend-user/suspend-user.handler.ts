import { Injectable } from '@nestjs/common';
import { CodedError, UserSuspendedV1, type UserView } from '@prescriptchain/contracts';
import { type Caller, assertAdmin } from '../caller';
import { Clock } from '../clock';
import { IdentityStore } from '../ports/identity-store';
import { userView } from '../views';

/**
 * pending|approved → suspended. Authentication reads the status on every request, so live access
 * tokens and API keys stop working at once; refresh-token families are revoked as well.
 */
@Injectable()
export class SuspendUserHandler {
  constructor(
    private readonly store: IdentityStore,
    private readonly clock: Clock,
  ) {}

  async execute(caller: Caller, input: { userId: string }): Promise<UserView> {
    assertAdmin(caller);
    // An admin locking themselves out would leave nobody to undo it.
    if (caller.userId === input.userId)
      throw new CodedError('INSUFFICIENT_PERMISSIONS', 'You cannot suspend yourself.');
    return this.store.transaction(async (tx) => {
      const user = await tx.users.findById(input.userId);
      if (!user) throw new CodedError('NOT_FOUND');
      const now = this.clock.now();
      user.suspend(now);
      await tx.users.update(user);
      await tx.refreshTokens.revokeAllForUser(user.id, now);
      await tx.publish(UserSuspendedV1, { userId: user.id, role: user.role, suspendedBy: caller.userId });
      await tx.audit.record({
        actorId: caller.userId,
        action: 'user.suspended',
        subjectId: user.id,
        ip: caller.ip ?? null,
      });
      return userView(user);
    });
  }
}
