import { Injectable } from '@nestjs/common';
import { Clock } from '../../clock';
import { PharmacyConfig } from '../../pharmacy-config';
import { PharmacyStore } from '../../ports/pharmacy-store';
import { ProofClaims } from '../proof-claims';

/**
 * The sweeper's pass: proofs left `claiming` by a crash or a lost answer from orders are asked
 * for again (or promoted, when orders' pending_review event shows the claim did land). Leasing
 * keeps two instances from working the same proof at once. Returns what it resolved.
 */
@Injectable()
export class ResolveStaleClaimsHandler {
  constructor(
    private readonly store: PharmacyStore,
    private readonly claims: ProofClaims,
    private readonly clock: Clock,
    private readonly config: PharmacyConfig,
  ) {}

  async execute(limit = 20): Promise<{ pending: number; failed: number; unknown: number }> {
    const now = this.clock.now();
    const stale = await this.store.read.proofs.leaseStaleClaims(
      new Date(now.getTime() - this.config.claimStaleAfterMs),
      limit,
      now,
    );
    const counts = { pending: 0, failed: 0, unknown: 0 };
    for (const proof of stale) counts[(await this.claims.drive(proof, { retry: true })).state]++;
    return counts;
  }
}
