import type { PharmacyCaller } from '@prescriptchain/contracts';
import type { Principal } from '../access/principal';

/**
 * Who asks, for pharmacy: the user, their role and the pharmacy identity says an operator acts for
 * (pharmacy checks it again against its own links and answers 4001 when they disagree).
 */
export const pharmacyCallerOf = (principal: Principal): PharmacyCaller => ({
  userId: principal.userId,
  role: principal.role,
  pharmacyId: principal.pharmacyId,
});
