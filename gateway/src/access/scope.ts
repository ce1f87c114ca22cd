import { CodedError } from '@prescriptchain/contracts';
import type { Principal } from './principal';

/**
 * Admins act for every clinic; anyone else only for the clinics they are a member of. Any other
 * clinic is NOT_FOUND, exactly as an absent one is, so its existence is never revealed.
 */
export function assertClinicScope(principal: Principal, clinicId: string): void {
  if (principal.role !== 'admin' && !principal.clinicIds.includes(clinicId))
    throw new CodedError('NOT_FOUND');
}

/** A pharmacy operator acts only for the pharmacy they are linked to; any other is NOT_FOUND. */
export function assertPharmacyScope(principal: Principal, pharmacyId: string): void {
  if (principal.role !== 'admin' && principal.pharmacyId !== pharmacyId) throw new CodedError('NOT_FOUND');
}
