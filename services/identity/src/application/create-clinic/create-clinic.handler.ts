import { Injectable } from '@nestjs/common';
import { ClinicCreatedV1, ClinicMemberAddedV1, type ClinicView, CodedError } from '@prescriptchain/contracts';
import type { Clinic, ClinicAddress } from '../../domain/clinic';
import { type Caller, assertAdmin } from '../caller';
import { Clock } from '../clock';
import { IdentityStore } from '../ports/identity-store';
import { newId } from '../secrets';
import { clinicView } from '../views';

export interface CreateClinicInput {
  name: string;
  address: ClinicAddress;
  contact?: { phone?: string | null; email?: string | null };
  licenseNumber?: string | null;
  ownerId?: string | null;
}

/**
 * An admin opens a clinic (accounts opens its clinic account on `identity.clinic.created`). A named
 * owner must be an approved practitioner and becomes its first member.
 */
@Injectable()
export class CreateClinicHandler {
  constructor(
    private readonly store: IdentityStore,
    private readonly clock: Clock,
  ) {}

  async execute(caller: Caller, input: CreateClinicInput): Promise<ClinicView> {
    assertAdmin(caller);
    return this.store.transaction(async (tx) => {
      const ownerId = input.ownerId ?? null;
      if (ownerId) {
        const owner = await tx.users.findById(ownerId);
        if (!owner)
          throw new CodedError('VALIDATION_FAILED', undefined, [
            { path: 'ownerId', message: 'no such user' },
          ]);
        owner.assertCanJoinClinic('ownerId');
      }
      const now = this.clock.now();
      const clinic: Clinic = {
        id: newId(),
        name: input.name.trim(),
        address: input.address,
        contact: { phone: input.contact?.phone || null, email: input.contact?.email || null },
        licenseNumber: input.licenseNumber || null,
        ownerId,
        createdById: caller.userId,
        createdAt: now,
        updatedAt: now,
      };
      await tx.clinics.insert(clinic);
      await tx.publish(ClinicCreatedV1, { clinicId: clinic.id, name: clinic.name, ownerId });
      if (ownerId) {
        await tx.clinics.addMember({
          clinicId: clinic.id,
          userId: ownerId,
          addedById: caller.userId,
          addedAt: now,
        });
        await tx.publish(ClinicMemberAddedV1, { clinicId: clinic.id, userId: ownerId });
      }
      await tx.audit.record({
        actorId: caller.userId,
        action: 'clinic.created',
        subjectId: clinic.id,
        ip: caller.ip ?? null,
      });
      return clinicView(clinic);
    });
  }
}
