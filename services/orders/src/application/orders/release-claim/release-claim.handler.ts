import { Injectable } from '@nestjs/common';
import { type ClaimView, CodedError } from '@prescriptchain/contracts';
import { OrdersStore } from '../../ports/orders-store';
import { claimView } from '../claim-view';
import { Clock } from '../clock';
import { announceReleased } from '../order-messages';

export interface ReleaseClaimInput {
  orderId: string;
  /** The releasing pharmacy, which must hold the order; null for an admin. */
  pharmacyId: string | null;
  /** As the history records it: `pharmacy:<id>` or the admin's user id. */
  releasedBy: string;
  reason: string;
}

/**
 * From pharmacy (`POST /pharmacies/claims/:orderId/release`): the holder, or an admin, gives a
 * DISPENSING order back (→ PAID) so the patient may go elsewhere; another pharmacy is refused with
 * ORDER_ALREADY_CLAIMED, an order not being dispensed with INVALID_ORDER_STATUS.
 */
@Injectable()
export class ReleaseClaimHandler {
  constructor(
    private readonly store: OrdersStore,
    private readonly clock: Clock,
  ) {}

  async execute(input: ReleaseClaimInput): Promise<ClaimView> {
    return this.store.transaction(async (tx) => {
      const order = await tx.lock(input.orderId);
      if (!order) throw new CodedError('ORDER_NOT_FOUND');
      const holder = order.assignedPharmacyId;
      const claimedAt = order.claimedAt;
      const payoutCents = order.payoutCents;
      const now = this.clock.now();
      order.release(now, input.releasedBy, input.reason, input.pharmacyId);
      await tx.save(order);
      await announceReleased(tx, order, {
        pharmacyId: holder!,
        by: input.releasedBy,
        reason: input.reason,
        at: now,
      });
      return {
        ...claimView(order, holder!, false),
        payoutCents: payoutCents ?? 0,
        claimedAt: (claimedAt ?? now).toISOString(),
      };
    });
  }
}
