import type { ClaimView } from '@prescriptchain/contracts';
import type { Order } from '../../domain/order/order.entity';

/** The claim of an order as pharmacy (and through it the HTTP API) sees it. */
export function claimView(order: Order, pharmacyId: string, alreadyHeld: boolean): ClaimView {
  const o = order.snapshot;
  return {
    orderId: o.id,
    platformOrderId: o.credential!.platformOrderId,
    pharmacyId,
    status: o.status,
    payoutCents: o.payoutCents ?? 0,
    holdExpiresAt: o.holdExpiresAt?.toISOString() ?? null,
    claimedAt: (o.claimedAt ?? o.updatedAt).toISOString(),
    movedAt: o.updatedAt.toISOString(),
    alreadyHeld,
  };
}
