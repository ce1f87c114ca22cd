import { Injectable } from '@nestjs/common';
import type { ReferralListView } from '@prescriptchain/contracts';
import { type Caller, assertAdmin } from '../caller';
import { IdentityStore } from '../ports/identity-store';

/** Who referred whom, newest first (optionally for one referrer). */
@Injectable()
export class ListReferralsHandler {
  constructor(private readonly store: IdentityStore) {}

  async execute(
    caller: Caller,
    input: { referrerId?: string; page: number; limit: number },
  ): Promise<ReferralListView> {
    assertAdmin(caller);
    const { items, total } = await this.store.repos.users.listReferrals(
      { page: input.page, limit: input.limit },
      input.referrerId,
    );
    return {
      items: items.map(({ referrer, referred }) => ({
        referrer: {
          id: referrer.id,
          fullName: referrer.fullName,
          email: referrer.email,
          referralCode: referrer.referralCode,
        },
        referred: {
          id: referred.id,
          fullName: referred.fullName,
          email: referred.email,
          role: referred.role,
          status: referred.status,
        },
        referredAt: referred.snapshot().createdAt.toISOString(),
      })),
      total,
    };
  }
}
