import { Injectable } from '@nestjs/common';
import { CodedError, ERRORS, type ProofView, ProofReviewedV1 } from '@prescriptchain/contracts';
import type { ReviewDecision } from '../../../domain/fulfillment-proof';
import { type Caller, assertAdmin } from '../../caller';
import { Clock } from '../../clock';
import { OrderFulfillment } from '../../ports/order-fulfillment';
import { PharmacyStore } from '../../ports/pharmacy-store';
import { proofViews } from '../proof-view';

const ORDER_STATUS_AFTER: Record<ReviewDecision, string> = { approve: 'FULFILLED', reject: 'REJECTED' };

/**
 * An admin approves or rejects a pending proof. Orders records the decision first (FULFILLED,
 * which opens the settlement, or REJECTED, after which the pharmacy may resubmit); then the proof
 * keeps the reviewer, time and comments and pharmacy.proof.reviewed is outboxed.
 */
@Injectable()
export class ReviewProofHandler {
  constructor(
    private readonly store: PharmacyStore,
    private readonly orders: OrderFulfillment,
    private readonly clock: Clock,
  ) {}

  async execute(
    caller: Caller,
    input: { proofId: string; decision: ReviewDecision; comments?: string | null; reviewerId?: string },
  ): Promise<ProofView> {
    assertAdmin(caller);
    if (input.reviewerId && input.reviewerId !== caller.userId) {
      throw new CodedError('VALIDATION_FAILED', 'The reviewer is the caller.', [
        { path: 'reviewerId', message: 'must be the caller' },
      ]);
    }
    const proof = await this.store.read.proofs.findById(input.proofId);
    if (!proof || proof.status === 'claiming' || proof.status === 'failed')
      throw new CodedError('NOT_FOUND', 'Proof not found.');
    if (proof.status !== 'pending')
      throw new CodedError('INVALID_ORDER_STATUS', `The proof is already ${proof.status}.`);
    const comments = input.comments ?? null;

    try {
      await this.orders.review({
        orderId: proof.orderId,
        decision: input.decision,
        reviewerId: caller.userId,
        comments,
      });
    } catch (err) {
      // A retry after our own lost success: orders already moved the order the way we asked.
      const order =
        (err as CodedError)?.code === ERRORS.INVALID_ORDER_STATUS.code
          ? await this.store.read.orders.findById(proof.orderId)
          : null;
      const alreadyDone =
        order?.status === ORDER_STATUS_AFTER[input.decision] && order.assignedPharmacyId === proof.pharmacyId;
      if (!alreadyDone) throw err;
    }

    const reviewed = await this.store.transaction(async (tx) => {
      const current = (await tx.proofs.lock(proof.id))!;
      current.review(this.clock.now(), input.decision, caller.userId, comments);
      await tx.proofs.save(current);
      await tx.publish(ProofReviewedV1, {
        proofId: proof.id,
        orderId: proof.orderId,
        pharmacyId: proof.pharmacyId,
        decision: current.status as 'approved' | 'rejected',
        comments,
        reviewerId: caller.userId,
      });
      return (await tx.proofs.findById(proof.id))!;
    });
    return (await proofViews(this.store.read, [reviewed]))[0];
  }
}
