import { Injectable } from '@nestjs/common';
import {
  CodedError,
  PharmacyOperatorLinkedV1,
  type PharmacyOperatorLinkView,
} from '@prescriptchain/contracts';
import { type Caller, assertAdmin } from '../caller';
import { Clock } from '../clock';
import { IdentityStore } from '../ports/identity-store';

/**
 * Names the pharmacy an approved operator acts for (it then travels in their token and /auth/me).
 * Identity cannot see pharmacies: whether the pharmacy exists is for the caller (gateway/pharmacy)
 * to check; the pharmacy service learns of the link from `identity.pharmacy_operator.linked`.
 */
@Injectable()
export class LinkPharmacyOperatorHandler {
  constructor(
    private readonly store: IdentityStore,
    private readonly clock: Clock,
  ) {}

  async execute(
    caller: Caller,
    input: { pharmacyId: string; userId: string },
  ): Promise<PharmacyOperatorLinkView> {
    assertAdmin(caller);
    return this.store.transaction(async (tx) => {
      const user = await tx.users.findById(input.userId);
      if (!user) throw new CodedError('NOT_FOUND', 'User not found.');
      user.assertCanOperatePharmacy();
      const previous = await tx.pharmacyLinks.findByUser(user.id);
      if (previous?.pharmacyId === input.pharmacyId) {
        throw new CodedError('CONFLICT', 'The operator is already linked to this pharmacy.');
      }
      const linkedAt = this.clock.now();
      await tx.pharmacyLinks.save({
        userId: user.id,
        pharmacyId: input.pharmacyId,
        linkedById: caller.userId,
        linkedAt,
      });
      await tx.publish(PharmacyOperatorLinkedV1, {
        userId: user.id,
        pharmacyId: input.pharmacyId,
        previousPharmacyId: previous?.pharmacyId ?? null,
        linkedBy: caller.userId,
      });
      await tx.audit.record({
        actorId: caller.userId,
        action: 'pharmacy_operator.linked',
        subjectId: user.id,
        ip: caller.ip ?? null,
        details: { pharmacyId: input.pharmacyId, previousPharmacyId: previous?.pharmacyId ?? null },
      });
      return { userId: user.id, pharmacyId: input.pharmacyId, linkedAt: linkedAt.toISOString() };
    });
  }
}
