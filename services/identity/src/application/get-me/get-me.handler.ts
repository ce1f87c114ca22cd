import { Injectable } from '@nestjs/common';
import { CodedError, type MeView } from '@prescriptchain/contracts';
import type { Caller } from '../caller';
import { IdentityStore } from '../ports/identity-store';
import { userView } from '../views';

/** The caller's own profile, clinics and pharmacy (personal data decrypted for its owner only). */
@Injectable()
export class GetMeHandler {
  constructor(private readonly store: IdentityStore) {}

  async execute(caller: Caller): Promise<MeView> {
    const { users, clinics, pharmacyLinks } = this.store.repos;
    const user = await users.findById(caller.userId);
    if (!user) throw new CodedError('NOT_FOUND');
    const memberOf = user.role === 'practitioner' ? await clinics.listForMember(user.id) : [];
    const link = user.role === 'pharmacy_operator' ? await pharmacyLinks.findByUser(user.id) : null;
    const u = userView(user);
    return {
      id: u.id,
      email: u.email,
      role: u.role,
      status: u.status,
      fullName: u.fullName,
      phone: u.phone,
      licenseNumber: u.licenseNumber,
      locale: u.locale,
      clinics: memberOf.map((c) => ({ id: c.id, name: c.name })),
      pharmacyId: link?.pharmacyId ?? null,
      referralCode: u.referralCode,
      createdAt: u.createdAt,
    };
  }
}
