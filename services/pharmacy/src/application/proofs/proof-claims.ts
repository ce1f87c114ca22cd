import { Injectable, Logger } from '@nestjs/common';
import { CodedError, ERRORS, ProofSubmittedV1, isCodedError } from '@prescriptchain/contracts';
import { Clock } from '../clock';
import { OrderFulfillment } from '../ports/order-fulfillment';
import { PharmacyStore, type ProofRecord } from '../ports/pharmacy-store';

export type ClaimOutcome =
  | { state: 'pending' }
  | { state: 'failed'; error: CodedError }
  /** Orders did not answer (or its refusal may be about our own earlier, lost success): try later. */
  | { state: 'unknown'; error: CodedError };

/** Orders' answers that mean "this proof will never be accepted". */
const REFUSALS = new Set<string>([
  ERRORS.ORDER_ALREADY_CLAIMED.code,
  ERRORS.INVALID_ORDER_STATUS.code,
  ERRORS.ORDER_NOT_FOUND.code,
]);

const asCoded = (err: unknown): CodedError =>
  isCodedError(err) ? err : new CodedError('EXTERNAL_SERVICE_ERROR', (err as Error)?.message);

/**
 * The crash-safe submission of a proof to orders. The proof row exists first (`claiming`, its own
 * transaction); then orders is asked to move the order the pharmacy holds to PENDING_REVIEW; then
 * the proof is accepted and pharmacy.proof.submitted outboxed (second transaction) — or refused
 * when orders says this pharmacy does not hold the order. A crash or a lost answer in between
 * leaves `claiming`, which the sweeper drives again. Each move goes through the FulfillmentProof
 * entity, under the proof's row lock.
 */
@Injectable()
export class ProofClaims {
  private readonly log = new Logger('ProofClaims');

  constructor(
    private readonly store: PharmacyStore,
    private readonly orders: OrderFulfillment,
    private readonly clock: Clock,
  ) {}

  /**
   * `retry`: this proof may have been accepted already by an earlier call whose answer was lost, so
   * a refusal is judged against the read model (orders' pending_review event) before failing it.
   */
  async drive(proof: ProofRecord, { retry }: { retry: boolean }): Promise<ClaimOutcome> {
    let payoutCents: number;
    try {
      ({ payoutCents } = await this.orders.submitForReview({
        orderId: proof.orderId,
        pharmacyId: proof.pharmacyId,
      }));
    } catch (err) {
      const error = asCoded(err);
      if (!REFUSALS.has(error.code)) return this.unanswered(proof, error);
      if (retry) {
        const order = await this.store.read.orders.findById(proof.orderId);
        const ours = order?.assignedPharmacyId === proof.pharmacyId;
        if (order?.status === 'PENDING_REVIEW' && ours) return this.accept(proof, order.payoutCents);
      }
      await this.store.transaction(async (tx) => {
        const locked = await tx.proofs.lock(proof.id);
        if (!locked?.isAwaitingOrders) return; // someone else finished it
        locked.refuse(this.clock.now(), `${error.code}: ${error.message}`);
        await tx.proofs.save(locked);
      });
      this.log.log(`proof ${proof.id} for order ${proof.orderId}: refused (${error.code})`);
      return { state: 'failed', error };
    }
    return this.accept(proof, payoutCents);
  }

  private async unanswered(proof: ProofRecord, error: CodedError): Promise<ClaimOutcome> {
    await this.store.transaction(async (tx) => {
      const locked = await tx.proofs.lock(proof.id);
      if (!locked?.isAwaitingOrders) return;
      locked.noteUnansweredAttempt(this.clock.now(), `${error.code}: ${error.message}`);
      await tx.proofs.save(locked);
    });
    return { state: 'unknown', error };
  }

  private async accept(proof: ProofRecord, payoutCents: number | null): Promise<ClaimOutcome> {
    await this.store.transaction(async (tx) => {
      const locked = await tx.proofs.lock(proof.id);
      if (!locked?.isAwaitingOrders) return; // someone else finished it
      locked.accept(this.clock.now(), payoutCents ?? locked.payoutCents);
      await tx.proofs.save(locked);
      await tx.publish(ProofSubmittedV1, {
        proofId: locked.id,
        orderId: locked.orderId,
        pharmacyId: locked.pharmacyId,
        payoutCents: locked.payoutCents,
        fileCount: locked.fileIds.length,
      });
    });
    return { state: 'pending' };
  }
}
