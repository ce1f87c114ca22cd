import { Injectable } from '@nestjs/common';
import { type ClaimResultView, CodedError } from '@prescriptchain/contracts';
import { pharmacyActorOf } from '../../../domain/order-redemption';
import type { Caller } from '../../caller';
import { operatorPharmacy } from '../../operator-access';
import { OrderFulfillment } from '../../ports/order-fulfillment';
import { PharmacyStore } from '../../ports/pharmacy-store';
import { holdPatchOf, toClaimResult } from '../claim-view';

/**
 * `POST /pharmacies/claims/:orderId/release` — the holding pharmacy's operator, or an admin, gives
 * a DISPENSING order back (→ PAID) so the patient may go elsewhere. Orders decides: another
 * pharmacy is ORDER_ALREADY_CLAIMED, an order not being dispensed INVALID_ORDER_STATUS.
 */
@Injectable()
export class ReleaseClaimHandler {
  constructor(
    private readonly store: PharmacyStore,
    private readonly orders: OrderFulfillment,
  ) {}

  async execute(caller: Caller, input: { orderId: string; reason: string }): Promise<ClaimResultView> {
    let pharmacyId: string | null = null;
    let releasedBy = caller.userId;
    if (caller.role === 'pharmacy_operator') {
      pharmacyId = (await operatorPharmacy(this.store.read, caller)).id;
      releasedBy = pharmacyActorOf(pharmacyId);
    } else if (caller.role !== 'admin') {
      throw new CodedError(
        'INSUFFICIENT_PERMISSIONS',
        'Only the holding pharmacy or an admin may release it.',
      );
    }
    const released = await this.orders.releaseClaim({
      orderId: input.orderId,
      pharmacyId,
      releasedBy,
      reason: input.reason,
    });
    await this.store.transaction((tx) =>
      tx.orders.applyStatus(released.orderId, 'PAID', new Date(released.movedAt), holdPatchOf(released)),
    );
    return toClaimResult(released);
  }
}
