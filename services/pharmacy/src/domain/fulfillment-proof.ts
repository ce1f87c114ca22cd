import { CodedError } from '@prescriptchain/contracts';

/**
 * claiming: recorded, orders not yet asked (or its answer lost); pending: orders moved the order to
 * PENDING_REVIEW for this pharmacy; failed: orders refused the claim; approved / rejected: reviewed.
 */
export type ProofStatus = 'claiming' | 'pending' | 'failed' | 'approved' | 'rejected';
export type ReviewDecision = 'approve' | 'reject';

/** The review status the HTTP contract shows (claiming proofs are not listed; failed ones were never submitted). */
export function reviewStatusOf(status: ProofStatus): 'pending' | 'approved' | 'rejected' {
  if (status === 'approved' || status === 'rejected') return status;
  return 'pending';
}

export function assertReviewable(status: ProofStatus): void {
  if (status !== 'pending') {
    throw new CodedError(
      'INVALID_ORDER_STATUS',
      `The proof is ${status === 'claiming' ? 'not submitted yet' : `already ${status}`}.`,
    );
  }
}

export const statusAfterReview = (decision: ReviewDecision): 'approved' | 'rejected' =>
  decision === 'approve' ? 'approved' : 'rejected';
