import { Injectable } from '@nestjs/common';
import { type ClaimView, CodedError } from '@prescriptchain/contracts';
import { OrdersStore } from '../../ports/orders-store';
import { claimView } from '../claim-view';
import { Clock } from '../clock';
import { announceDispensing } from '../order-messages';
import { OrdersConfig } from '../orders-config';

export interface ClaimOrderInput {
  orderId: string;
  pharmacyId: string;
  /** Σ quantity × packs × the pharmacy's declared wholesale price; capped at the order's total. */
  declaredPayoutCents: number;
}

/**
 * From pharmacy, once it verified the credential (`POST /pharmacies/claims`, gateway/docs/api.md): the
 * compare-and-set PAID → DISPENSING under the order's row lock, so of any number of pharmacies
 * claiming at once exactly one wins and the others get ORDER_ALREADY_CLAIMED. The payout and the
 * hold's end are fixed here; the holder claiming again gets the same claim back, unchanged.
 */
@Injectable()
export class ClaimOrderHandler {
  constructor(
    private readonly store: OrdersStore,
    private readonly config: OrdersConfig,
    private readonly clock: Clock,
  ) {}

  async execute(input: ClaimOrderInput): Promise<ClaimView> {
    return this.store.transaction(async (tx) => {
      const order = await tx.lock(input.orderId);
      if (!order) throw new CodedError('ORDER_NOT_FOUND');
      const now = this.clock.now();
      const outcome = order.claim(
        now,
        input.pharmacyId,
        input.declaredPayoutCents,
        this.config.holdExpiry(now),
      );
      if (outcome === 'claimed') {
        await tx.save(order);
        await announceDispensing(tx, order);
      }
      return claimView(order, input.pharmacyId, outcome === 'already-held');
    });
  }
}
