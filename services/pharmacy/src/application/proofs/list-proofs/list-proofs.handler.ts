import { Injectable } from '@nestjs/common';
import type { ProofPageView } from '@prescriptchain/contracts';
import type { ProofStatus } from '../../../domain/fulfillment-proof';
import { type Caller, assertAdmin } from '../../caller';
import { PharmacyConfig } from '../../pharmacy-config';
import { FileStorage } from '../../ports/file-storage';
import { PharmacyStore } from '../../ports/pharmacy-store';
import { proofViews } from '../proof-view';

/** Submitted proofs for review (admin), newest first, each file with a signed download URL. */
@Injectable()
export class ListProofsHandler {
  constructor(
    private readonly store: PharmacyStore,
    private readonly storage: FileStorage,
    private readonly config: PharmacyConfig,
  ) {}

  async execute(
    caller: Caller,
    input: { status?: 'pending' | 'approved' | 'rejected'; pharmacyId?: string; page: number; limit: number },
  ): Promise<ProofPageView> {
    assertAdmin(caller);
    // Claims still in flight and refused ones were never submitted as far as a reviewer is concerned.
    const statuses: ProofStatus[] = input.status ? [input.status] : ['pending', 'approved', 'rejected'];
    const { items, total } = await this.store.read.proofs.list(
      { statuses, pharmacyId: input.pharmacyId },
      { page: input.page, limit: input.limit },
    );
    return {
      items: await proofViews(this.store.read, items, {
        storage: this.storage,
        ttlSeconds: this.config.downloadUrlTtlSeconds,
      }),
      total,
      page: input.page,
      limit: input.limit,
    };
  }
}
