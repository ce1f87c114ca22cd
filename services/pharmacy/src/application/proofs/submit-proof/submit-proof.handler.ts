import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CodedError, type ProofView } from '@prescriptchain/contracts';
import { claimRefusalReason, estimatePayout } from '../../../domain/order-redemption';
import type { Caller } from '../../caller';
import { Clock } from '../../clock';
import { operatorPharmacy } from '../../operator-access';
import { PharmacyStore, type ProofRecord } from '../../ports/pharmacy-store';
import { ProofClaims } from '../proof-claims';
import { proofViews } from '../proof-view';

/**
 * A pharmacy submits proof that it dispensed an order, claiming it: the payout is fixed now from
 * its declared prices; the first pharmacy whose claim orders accepts gets the order, any other
 * gets INVALID_ORDER_STATUS. After a rejection the same pharmacy may submit again.
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
    const refusal = claimRefusalReason(order, pharmacy.id);
    if (refusal) throw new CodedError('INVALID_ORDER_STATUS', refusal);

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

    const declared = await repos.inventory.declared(
      pharmacy.id,
      order.items.map((i) => i.medicineId),
    );
    const estimate = estimatePayout(order.items, declared, { requireAvailable: false });
    if (estimate.undeclaredMedicineIds.length > 0) {
      throw new CodedError(
        'VALIDATION_FAILED',
        'Declare a wholesale price for every item of the order first.',
        estimate.undeclaredMedicineIds.map((id) => ({
          path: 'items',
          message: `no declared price for medicine ${id}`,
        })),
      );
    }

    const proofId = randomUUID();
    const inserted = await this.store.transaction((tx) =>
      tx.proofs.insertClaiming({
        id: proofId,
        orderId: order.orderId,
        pharmacyId: pharmacy.id,
        submittedBy: caller.userId,
        payoutCents: estimate.payoutCents,
        notes: input.notes ?? null,
        fileIds: input.fileIds,
        at: this.clock.now(),
      }),
    );
    if (!inserted) return this.existingClaim(order.orderId, pharmacy.id);

    const proof = (await repos.proofs.findById(proofId))!;
    return this.finish(proof, await this.claims.drive(proof, { retry: false }));
  }

  /** The order already has a live proof: another pharmacy's is a refusal; ours is resumed or returned. */
  private async existingClaim(orderId: string, pharmacyId: string): Promise<ProofView> {
    const live = await this.store.read.proofs.findLiveForOrder(orderId);
    if (!live || live.pharmacyId !== pharmacyId) {
      throw new CodedError('INVALID_ORDER_STATUS', 'The order was claimed by another pharmacy.');
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
        'Orders did not confirm the claim yet; it is kept and retried. Submit again to check.',
        {
          proofId: proof.id,
        },
      );
    }
    return this.view((await this.store.read.proofs.findById(proof.id))!);
  }

  private async view(proof: ProofRecord): Promise<ProofView> {
    return (await proofViews(this.store.read, [proof]))[0];
  }
}
