import { CodedError } from '@prescriptchain/contracts';
import type { Caller } from './caller';
import type { PharmacyRecord, PharmacyRepositories } from './ports/pharmacy-store';

/**
 * The active pharmacy a pharmacy operator acts for, by this service's own links (identity's
 * events), not by what the caller's token claims. Not linked, linked elsewhere than the token
 * says, or suspended → PHARMACY_NOT_AVAILABLE.
 */
export async function operatorPharmacy(repos: PharmacyRepositories, caller: Caller): Promise<PharmacyRecord> {
  if (caller.role !== 'pharmacy_operator')
    throw new CodedError('INSUFFICIENT_PERMISSIONS', 'Only a pharmacy operator can do this.');
  const linked = await repos.operators.pharmacyOf(caller.userId);
  if (!linked) throw new CodedError('PHARMACY_NOT_AVAILABLE', 'You are not linked to a pharmacy.');
  if (caller.pharmacyId && caller.pharmacyId !== linked) {
    throw new CodedError(
      'PHARMACY_NOT_AVAILABLE',
      'You are no longer linked to that pharmacy; sign in again.',
    );
  }
  const pharmacy = await repos.pharmacies.findById(linked);
  if (!pharmacy) throw new CodedError('PHARMACY_NOT_AVAILABLE', 'Your pharmacy is not registered.');
  if (pharmacy.status !== 'active')
    throw new CodedError('PHARMACY_NOT_AVAILABLE', 'Your pharmacy is suspended.');
  return pharmacy;
}
