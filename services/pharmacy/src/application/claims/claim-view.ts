import type { ClaimResultView, ClaimView } from '@prescriptchain/contracts';
import type { OrderHoldPatch } from '../ports/pharmacy-store';

export const toClaimResult = (claim: ClaimView): ClaimResultView => ({
  orderId: claim.orderId,
  platformOrderId: claim.platformOrderId,
  pharmacyId: claim.pharmacyId,
  status: claim.status,
  payoutCents: claim.payoutCents,
  currency: 'NZD',
  holdExpiresAt: claim.holdExpiresAt,
  claimedAt: claim.claimedAt,
  alreadyHeld: claim.alreadyHeld,
});

/** What orders' answer to a claim or a release means for the read model. */
export function holdPatchOf(claim: ClaimView): OrderHoldPatch {
  if (claim.status === 'PAID') {
    return { assignedPharmacyId: null, payoutCents: null, claimedAt: null, holdExpiresAt: null };
  }
  return {
    assignedPharmacyId: claim.pharmacyId,
    payoutCents: claim.payoutCents,
    claimedAt: new Date(claim.claimedAt),
    holdExpiresAt: claim.holdExpiresAt ? new Date(claim.holdExpiresAt) : null,
  };
}
