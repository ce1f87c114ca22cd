import { Injectable } from '@nestjs/common';
import { CLAIM_STATUSES, type ClaimPageView, CodedError, type OrderStatusName } from '@prescriptchain/contracts';
import type { Caller } from '../../caller';
import { operatorPharmacy } from '../../operator-access';
import { PharmacyStore } from '../../ports/pharmacy-store';

/**
 * `GET /pharmacies/:id/claims` (its operators): the orders the pharmacy holds — DISPENSING,
 * PENDING_REVIEW, REJECTED — most recently claimed first, from the read model orders' events keep.
 */
@Injectable()
export class ListClaimsHandler {
  constructor(private readonly store: PharmacyStore) {}

  async execute(
    caller: Caller,
    input: { pharmacyId: string; status?: (typeof CLAIM_STATUSES)[number]; page: number; limit: number },
  ): Promise<ClaimPageView> {
    const pharmacy = await operatorPharmacy(this.store.read, caller);
    if (pharmacy.id !== input.pharmacyId) {
      throw new CodedError('INSUFFICIENT_PERMISSIONS', "Only this pharmacy's operators can see its claims.");
    }
    const statuses = input.status ? [input.status] : [...CLAIM_STATUSES];
    const { items, total } = await this.store.read.orders.listHeldBy(pharmacy.id, statuses, input);
    return {
      items: items.map((o) => ({
        orderId: o.orderId,
        platformOrderId: o.platformOrderId!,
        status: o.status as OrderStatusName, // the read model keeps the status orders' events carried
        payoutCents: o.payoutCents ?? 0,
        currency: 'NZD' as const,
        holdExpiresAt: o.holdExpiresAt?.toISOString() ?? null,
        claimedAt: (o.claimedAt ?? o.statusAt).toISOString(),
      })),
      total,
      page: input.page,
      limit: input.limit,
    };
  }
}
