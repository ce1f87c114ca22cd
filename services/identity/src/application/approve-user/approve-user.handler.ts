import { Injectable } from '@nestjs/common';
import { CodedError, UserApprovedV1, type UserView } from '@prescriptchain/contracts';
import { REFERRAL_ALPHABET, REFERRAL_CODE_LENGTH, formatReferralCode } from '../../domain/referral-code';
import { type Caller, assertAdmin } from '../caller';
import { Clock } from '../clock';
import { IdentityStore, type IdentityTransaction } from '../ports/identity-store';
import { randomString } from '../secrets';
import { userView } from '../views';

/** pending|suspended → approved; a practitioner gets their referral code on first approval. */
@Injectable()
export class ApproveUserHandler {
  constructor(
    private readonly store: IdentityStore,
    private readonly clock: Clock,
  ) {}

  async execute(caller: Caller, input: { userId: string }): Promise<UserView> {
    assertAdmin(caller);
    return this.store.transaction(async (tx) => {
      const user = await tx.users.findById(input.userId);
      if (!user) throw new CodedError('NOT_FOUND');
      const now = this.clock.now();
      user.approve(now, await this.unusedReferralCode(tx));
      await tx.users.update(user);
      await tx.publish(UserApprovedV1, {
        userId: user.id,
        email: user.email,
        fullName: user.fullName,
        role: user.role,
        locale: user.snapshot().locale,
        approvedBy: caller.userId,
      });
      await tx.audit.record({
        actorId: caller.userId,
        action: 'user.approved',
        subjectId: user.id,
        ip: caller.ip ?? null,
      });
      return userView(user);
    });
  }

  /** 30^8 codes make a clash unlikely; checking first keeps a clash from aborting the transaction. */
  private async unusedReferralCode(tx: IdentityTransaction): Promise<string> {
    for (let i = 0; i < 5; i++) {
      const code = formatReferralCode(randomString(REFERRAL_ALPHABET, REFERRAL_CODE_LENGTH));
      if (!(await tx.users.findByReferralCode(code))) return code;
    }
    throw new Error('could not find an unused referral code');
  }
}
