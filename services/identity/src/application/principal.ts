import type { User } from '../domain/user.entity';
import type { AccessClaims } from './ports/auth-provider';
import type { IdentityRepositories } from './ports/identity-store';

/** The claims an access token carries for a user right now (clinics and pharmacy from the database). */
export async function currentClaims(
  repos: Pick<IdentityRepositories, 'clinics' | 'pharmacyLinks'>,
  user: User,
): Promise<AccessClaims> {
  // Sequential: inside an interactive transaction queries share one connection anyway.
  const clinics = user.role === 'practitioner' ? await repos.clinics.listForMember(user.id) : [];
  const link = user.role === 'pharmacy_operator' ? await repos.pharmacyLinks.findByUser(user.id) : null;
  return {
    sub: user.id,
    role: user.role,
    status: user.status,
    clinicIds: clinics.map((c) => c.id),
    pharmacyId: link?.pharmacyId ?? null,
    tokenEpoch: user.tokenEpoch,
  };
}
