import type { Me } from '../../auth';
import type { components } from '../../generated/api';
import type { Credential } from './RedeemPage';

/**
 * "Start dispensing" (POST /pharmacies/claims) and release. The claim routes are not in the
 * gateway's OpenAPI document on this branch yet, so there is nothing typed to call: on this
 * contract, submitting the proof is what takes the order (PENDING_REVIEW).
 */
export function ClaimControls(_props: { me: Me; credential: Credential; scan: components['schemas']['CredentialScan']; onChange(): void }) {
  return null;
}
