import type { ClaimView } from '@prescriptchain/contracts';

/**
 * Orders' side of redemption (RPC to orders): it owns the order's state machine, so claiming an
 * order, releasing it, the holder's proof and the review's decision are its compare-and-sets.
 * Refusals arrive as CodedErrors (ORDER_ALREADY_CLAIMED, INVALID_ORDER_STATUS, ORDER_NOT_FOUND);
 * GATEWAY_TIMEOUT / SERVICE_UNAVAILABLE mean "unknown".
 */
export abstract class OrderFulfillment {
  /** PAID → DISPENSING for `pharmacyId`, the payout fixed at min(declared, the order's total). */
  abstract claim(input: {
    orderId: string;
    pharmacyId: string;
    declaredPayoutCents: number;
    claimedBy: string;
  }): Promise<ClaimView>;
  /** DISPENSING → PAID by its holder (`pharmacyId`) or an admin (null). */
  abstract releaseClaim(input: {
    orderId: string;
    pharmacyId: string | null;
    releasedBy: string;
    reason: string;
  }): Promise<ClaimView>;
  /** The holder's proof: DISPENSING | REJECTED → PENDING_REVIEW; answers the payout fixed at the claim. */
  abstract submitForReview(input: { orderId: string; pharmacyId: string }): Promise<{ payoutCents: number }>;
  /** PENDING_REVIEW → FULFILLED (approve) or REJECTED (reject). */
  abstract review(input: {
    orderId: string;
    decision: 'approve' | 'reject';
    reviewerId: string;
    comments: string | null;
  }): Promise<void>;
}
