import { Injectable } from '@nestjs/common';
import type { OrderStatusName, ScanResultView } from '@prescriptchain/contracts';
import {
  type ScannableOrder,
  claimedByOf,
  estimatePayout,
  isExpired,
  isRedeemableBy,
} from '../../../domain/order-redemption';
import type { Caller } from '../../caller';
import { Clock } from '../../clock';
import { operatorPharmacy } from '../../operator-access';
import { type PharmacyRecord, PharmacyStore } from '../../ports/pharmacy-store';
import { CredentialCheck, type CredentialInput } from '../credential-check';

export type ScanInput = CredentialInput;

/**
 * A pharmacy operator checks a prescription credential (CredentialCheck: QR token or typed number +
 * code, with the attempt limits and the scan log). Read-only: a scan reserves nothing. It answers
 * the order, this pharmacy's estimated payout, who holds the order (`claimedBy`) and whether this
 * pharmacy may dispense it.
 */
@Injectable()
export class ScanCredentialHandler {
  constructor(
    private readonly store: PharmacyStore,
    private readonly check: CredentialCheck,
    private readonly clock: Clock,
  ) {}

  async execute(caller: Caller, input: ScanInput): Promise<ScanResultView> {
    const pharmacy = await operatorPharmacy(this.store.read, caller);
    const now = this.clock.now();
    const order = await this.check.resolve(caller, pharmacy, input, now);
    return this.answer(pharmacy, order, now);
  }

  private async answer(pharmacy: PharmacyRecord, order: ScannableOrder, now: Date): Promise<ScanResultView> {
    const declared = await this.store.read.inventory.declared(
      pharmacy.id,
      order.items.map((i) => i.medicineId),
    );
    const estimate = estimatePayout(order.items, declared, { requireAvailable: true });
    return {
      order: {
        id: order.id,
        platformOrderId: order.platformOrderId,
        status: order.status as OrderStatusName, // the read model keeps the status orders' events carried
        items: order.items.map((i) => ({ ...i })),
        patientName: order.patientName,
        expiresAt: order.expiresAt.toISOString(),
      },
      estimatedPayoutCents: estimate.payoutCents,
      currency: 'NZD',
      redeemable: !isExpired(order, now) && isRedeemableBy(order, pharmacy.id, estimate),
      undeclaredMedicineIds: estimate.undeclaredMedicineIds,
      claimedBy: claimedByOf(order, pharmacy.id),
    };
  }
}
