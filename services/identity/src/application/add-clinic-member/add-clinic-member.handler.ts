import { Injectable } from '@nestjs/common';
import { ClinicMemberAddedV1, type ClinicMembershipView, CodedError } from '@prescriptchain/contracts';
import { type Caller, assertAdmin } from '../caller';
import { Clock } from '../clock';
import { IdentityStore } from '../ports/identity-store';

/** Adds an approved practitioner to a clinic, so they may order on its account. */
@Injectable()
export class AddClinicMemberHandler {
  constructor(
    private readonly store: IdentityStore,
    private readonly clock: Clock,
  ) {}

  async execute(caller: Caller, input: { clinicId: string; userId: string }): Promise<ClinicMembershipView> {
    assertAdmin(caller);
    return this.store.transaction(async (tx) => {
      if (!(await tx.clinics.findById(input.clinicId)))
        throw new CodedError('NOT_FOUND', 'Clinic not found.');
      const user = await tx.users.findById(input.userId);
      if (!user) throw new CodedError('NOT_FOUND', 'User not found.');
      user.assertCanJoinClinic();
      const addedAt = this.clock.now();
      const added = await tx.clinics.addMember({
        clinicId: input.clinicId,
        userId: user.id,
        addedById: caller.userId,
        addedAt,
      });
      if (!added) throw new CodedError('CONFLICT', 'The user is already a member of this clinic.');
      await tx.publish(ClinicMemberAddedV1, { clinicId: input.clinicId, userId: user.id });
      await tx.audit.record({
        actorId: caller.userId,
        action: 'clinic.member_added',
        subjectId: user.id,
        ip: caller.ip ?? null,
        details: { clinicId: input.clinicId },
      });
      return { clinicId: input.clinicId, userId: user.id, addedAt: addedAt.toISOString() };
    });
  }
}
