import type { AccountsCaller } from '@prescriptchain/contracts';
import type { Principal } from '../access/principal';

/** Who accounts scopes by: the user, their role, and their clinics or pharmacy as identity says now. */
export const accountsCallerOf = (p: Principal): AccountsCaller => ({
  userId: p.userId,
  role: p.role,
  clinicIds: p.clinicIds,
  pharmacyId: p.pharmacyId,
});
