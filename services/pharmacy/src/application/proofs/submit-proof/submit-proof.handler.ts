import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CodedError, type ProofView } from '@prescriptchain/contracts';
import { FulfillmentProof } from '../../../domain/fulfillment-proof';
import { proofRefusal } from '../../../domain/order-redemption';
import type { Caller } from '../../caller';
import { Clock } from '../../clock';
import { operatorPharmacy } from '../../operator-access';
import { PharmacyStore, type ProofRecord } from '../../ports/pharmacy-store';
import { ProofClaims } from '../proof-claims';
import { proofViews } from '../proof-view';

/**
 * The pharmacy holding an order (it claimed it: DISPENSING, or REJECTED and held by it) submits
 * photo proof that it dispensed it; orders moves the order to PENDING_REVIEW. Any other pharmacy is
 * ORDER_ALREADY_CLAIMED. The payout is the one fixed at the claim. A file backs one proof only
 * (CONFLICT when reused). Submitting again while orders has not answered resumes the same proof.
 */
@Injectable()
export class SubmitProofHandler {
  constructor(
    private readonly store: PharmacyStore,
    private readonly claims: ProofClaims,
    private readonly clock: Clock,
  ) {}

  async execute(
    caller: Caller,
    input: { orderId: string; fileIds: string[]; notes?: string | null },
  ): Promise<ProofView> {
    const repos = this.store.read;
    const pharmacy = await operatorPharmacy(repos, caller);
    const order = await repos.orders.findById(input.orderId);
    if (!order?.platformOrderId) throw new CodedError('ORDER_NOT_FOUND');
    const refusal = proofRefusal(order, pharmacy.id);
    if (refusal) throw new CodedError(refusal.code, refusal.message);

    const files = await repos.files.findMany(input.fileIds);
    for (const id of input.fileIds) {
      const file = files.find((f) => f.id === id);
      if (!file || file.pharmacyId !== pharmacy.id)
        throw new CodedError('NOT_FOUND', 'File not found.', [{ path: 'fileIds', message: `no file ${id}` }]);
      if (file.status !== 'confirmed') {
        throw new CodedError('VALIDATION_FAILED', 'Confirm every file before submitting it.', [
          { path: 'fileIds', message: `file ${id} is not confirmed` },
        ]);
      }
    }

    const proof = FulfillmentProof.submit(
      {
        id: randomUUID(),
        orderId: order.orderId,
        pharmacyId: pharmacy.id,
        submittedBy: caller.userId,
        payoutCents: order.payoutCents ?? 0,
        notes: input.notes ?? null,
        fileIds: input.fileIds,
      },
      this.clock.now(),
    );
    const outcome = await this.store.transaction((tx) => tx.proofs.insert(proof));
    if (outcome === 'order-has-live-proof') return this.existingProof(order.orderId, pharmacy.id);

    const stored = (await repos.proofs.findById(proof.id))!;
    return this.finish(stored, await this.claims.drive(stored, { retry: false }));
  }

  /** The order already has a live proof: another pharmacy's is a refusal; ours is resumed or returned. */
  private async existingProof(orderId: string, pharmacyId: string): Promise<ProofView> {
    const live = await this.store.read.proofs.findLiveForOrder(orderId);
    if (!live || live.pharmacyId !== pharmacyId) {
      throw new CodedError('ORDER_ALREADY_CLAIMED', 'Another pharmacy holds this order.');
    }
    if (live.status !== 'claiming') return this.view(live);
    return this.finish(live, await this.claims.drive(live, { retry: true }));
  }

  private async finish(
    proof: ProofRecord,
    outcome: Awaited<ReturnType<ProofClaims['drive']>>,
  ): Promise<ProofView> {
    if (outcome.state === 'failed') throw outcome.error;
    if (outcome.state === 'unknown') {
      throw new CodedError(
        'EXTERNAL_SERVICE_ERROR',
        'Orders did not confirm the proof yet; it is kept and retried. Submit again to check.',
        { proofId: proof.id },
      );
    }
    return this.view((await this.store.read.proofs.findById(proof.id))!);
  }

  private async view(proof: ProofRecord): Promise<ProofView> {
    return (await proofViews(this.store.read, [proof]))[0];
  }
}
