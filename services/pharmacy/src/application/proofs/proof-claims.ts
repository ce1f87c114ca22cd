import { Injectable, Logger } from '@nestjs/common';
import { CodedError, ERRORS, ProofSubmittedV1 } from '@prescriptchain/contracts';
import { Clock } from '../clock';
import { OrderFulfilment } from '../ports/order-fulfilment';
import { PharmacyStore, type ProofRecord } from '../ports/pharmacy-store';

export type ClaimOutcome =
  | { state: 'pending' }
  | { state: 'failed'; error: CodedError }
  /** Orders did not answer (or its refusal may be about our own earlier, lost success): try later. */
  | { state: 'unknown'; error: CodedError };

const REFUSALS = new Set<string>([ERRORS.INVALID_ORDER_STATUS.code, ERRORS.ORDER_NOT_FOUND.code]);

const asCoded = (err: unknown): CodedError =>
  err instanceof CodedError || (err as { name?: string })?.name === 'CodedError'
    ? (err as CodedError)
    : new CodedError('EXTERNAL_SERVICE_ERROR', (err as Error)?.message);

/**
 * The crash-safe claim of an order by a proof. The proof row exists first (`claiming`, its own
 * transaction); then orders' compare-and-set is asked; then the row becomes `pending` and
 * pharmacy.proof.submitted is outboxed (second transaction) — or `failed` when orders refused.
 * A crash or a lost answer in between leaves `claiming`, which the sweeper drives again.
 */
@Injectable()
export class ProofClaims {
  private readonly log = new Logger('ProofClaims');

  constructor(
    private readonly store: PharmacyStore,
    private readonly orders: OrderFulfilment,
    private readonly clock: Clock,
  ) {}

  /**
   * `retry`: this proof may have been claimed already by an earlier call whose answer was lost, so
   * a refusal is judged against the read model (orders' pending_review event) before failing it.
   */
  async drive(proof: ProofRecord, { retry }: { retry: boolean }): Promise<ClaimOutcome> {
    try {
      await this.orders.claimForReview({
        orderId: proof.orderId,
        pharmacyId: proof.pharmacyId,
        payoutCents: proof.payoutCents,
      });
    } catch (err) {
      const error = asCoded(err);
      if (!REFUSALS.has(error.code)) {
        await this.store.read.proofs.noteClaimAttempt(
          proof.id,
          `${error.code}: ${error.message}`,
          this.clock.now(),
        );
        return { state: 'unknown', error };
      }
      if (retry) {
        const order = await this.store.read.orders.findById(proof.orderId);
        const ours = order?.assignedPharmacyId === proof.pharmacyId;
        if (order?.status === 'PENDING_REVIEW' && ours) return this.promote(proof);
        // Our own lost success not visible yet (event still on its way): decide later.
        if (order?.status === 'PAID' || (order?.status === 'REJECTED' && ours)) {
          await this.store.read.proofs.noteClaimAttempt(
            proof.id,
            `${error.code}: ${error.message}`,
            this.clock.now(),
          );
          return { state: 'unknown', error };
        }
      }
      await this.store.transaction((tx) =>
        tx.proofs.resolveClaim(proof.id, 'failed', `${error.code}: ${error.message}`, this.clock.now()),
      );
      this.log.log(`proof ${proof.id} for order ${proof.orderId}: claim refused (${error.code})`);
      return { state: 'failed', error };
    }
    return this.promote(proof);
  }

  private async promote(proof: ProofRecord): Promise<ClaimOutcome> {
    await this.store.transaction(async (tx) => {
      if (!(await tx.proofs.resolveClaim(proof.id, 'pending', null, this.clock.now()))) return; // someone else finished it
      await tx.publish(ProofSubmittedV1, {
        proofId: proof.id,
        orderId: proof.orderId,
        pharmacyId: proof.pharmacyId,
        payoutCents: proof.payoutCents,
        fileCount: proof.fileIds.length,
      });
    });
    return { state: 'pending' };
  }
}
