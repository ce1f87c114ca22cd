import { type AccountsCaller, CodedError } from '@prescriptchain/contracts';

export type { AccountsCaller };

/** The clinics whose money a caller may read or move: every clinic for an admin, else the ones they are a member of. */
export type ClinicScope = 'all' | readonly string[];

export const clinicScopeOf = (caller: AccountsCaller): ClinicScope =>
  caller.role === 'admin' ? 'all' : caller.clinicIds;

export const inClinicScope = (scope: ClinicScope, clinicId: string): boolean =>
  scope === 'all' || scope.includes(clinicId);

/** Adjustments, credit lines and settlements are the admins': anyone else is INSUFFICIENT_PERMISSIONS. */
export function requireAdmin(caller: AccountsCaller): void {
  if (caller.role !== 'admin') throw new CodedError('INSUFFICIENT_PERMISSIONS', 'Only an admin may do this.');
}

/**
 * A pharmacy's settlements: the admins', and its own operator's. Any other pharmacy is NOT_FOUND,
 * exactly as an absent one is, so its existence is never revealed.
 */
export function requirePharmacyScope(caller: AccountsCaller, pharmacyId: string): void {
  if (caller.role === 'admin') return;
  if (caller.role !== 'pharmacy_operator' || caller.pharmacyId !== pharmacyId) throw new CodedError('NOT_FOUND');
}
