import { Injectable } from '@nestjs/common';
import { type ClaimResultView, CodedError } from '@prescriptchain/contracts';
import { estimatePayout } from '../../../domain/order-redemption';
import type { Caller } from '../../caller';
import { Clock } from '../../clock';
import { operatorPharmacy } from '../../operator-access';
import { OrderFulfillment } from '../../ports/order-fulfillment';
import { PharmacyStore } from '../../ports/pharmacy-store';
import { CredentialCheck, type CredentialInput } from '../../scan/credential-check';
import { holdPatchOf, toClaimResult } from '../claim-view';

/**
 * `POST /pharmacies/claims` — "start dispensing": the credential is checked as a scan checks it
 * (QR token, or typed number + code within the attempt limits), the pharmacy must declare every
 * item as available (else PHARMACY_NOT_AVAILABLE with the missing items), and orders' compare-and-set
 * decides: of any number of pharmacies claiming at once exactly one holds the order; the others get
 * ORDER_ALREADY_CLAIMED. The payout is Σ quantity × packs × declared wholesale price, capped by
 * orders at the order's total and fixed for the life of the claim. The read model learns the claim
 * at once (and again from orders.order.dispensing), so the pharmacy's claim list shows it.
 */
@Injectable()
export class ClaimOrderHandler {
  constructor(
    private readonly store: PharmacyStore,
    private readonly check: CredentialCheck,
    private readonly orders: OrderFulfillment,
    private readonly clock: Clock,
  ) {}

  async execute(caller: Caller, input: CredentialInput): Promise<ClaimResultView> {
    const pharmacy = await operatorPharmacy(this.store.read, caller);
    const now = this.clock.now();
    const order = await this.check.resolve(caller, pharmacy, input, now);

    const declared = await this.store.read.inventory.declared(
      pharmacy.id,
      order.items.map((i) => i.medicineId),
    );
    const estimate = estimatePayout(order.items, declared, { requireAvailable: true });
    if (estimate.undeclaredMedicineIds.length > 0) {
      throw new CodedError(
        'PHARMACY_NOT_AVAILABLE',
        'Your pharmacy does not declare every item of this prescription as available.',
        estimate.undeclaredMedicineIds.map((id) => ({
          path: 'items',
          message: `medicine ${id} is not declared as available`,
        })),
      );
    }

    const claim = await this.orders.claim({
      orderId: order.id,
      pharmacyId: pharmacy.id,
      declaredPayoutCents: estimate.payoutCents,
      claimedBy: caller.userId,
    });
    if (!claim.alreadyHeld) {
      await this.store.transaction((tx) =>
        tx.orders.applyStatus(claim.orderId, claim.status, new Date(claim.movedAt), holdPatchOf(claim)),
      );
    }
    return toClaimResult(claim);
  }
}
