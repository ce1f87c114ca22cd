import { linePayoutCents } from './money';

/** The order as the read model knows it (from orders.order.* events). */
export interface ScannableOrder {
  id: string;
  platformOrderId: string;
  status: string;
  patientName: string;
  items: OrderLine[];
  expiresAt: Date;
  assignedPharmacyId: string | null;
}

export interface OrderLine {
  medicineId: string;
  name: string;
  pinyin: string;
  englishName: string;
  unit: string;
  /** Per pack, decimal string in the medicine's unit ("12.5" grams). */
  quantity: string;
  packs: number;
}

/** What a pharmacy declared for one medicine. */
export interface DeclaredSupply {
  priceCents: number;
  available: boolean;
}

export interface PayoutEstimate {
  /** Σ over the lines the pharmacy declares. */
  payoutCents: number;
  /** Lines it does not declare (or, with `requireAvailable`, declares unavailable). */
  undeclaredMedicineIds: string[];
}

/**
 * What the platform would pay this pharmacy for the order at its declared wholesale prices:
 * Σ quantity × packs × price per unit, each line rounded half-up to the cent once.
 */
export function estimatePayout(
  items: readonly OrderLine[],
  declared: ReadonlyMap<string, DeclaredSupply>,
  { requireAvailable }: { requireAvailable: boolean },
): PayoutEstimate {
  let payoutCents = 0;
  const undeclared: string[] = [];
  for (const item of items) {
    const supply = declared.get(item.medicineId);
    if (!supply || (requireAvailable && !supply.available)) {
      undeclared.push(item.medicineId);
      if (!supply) continue;
    }
    payoutCents += linePayoutCents(item.quantity, item.packs, supply.priceCents);
  }
  return { payoutCents, undeclaredMedicineIds: [...new Set(undeclared)] };
}

export function isExpired(order: Pick<ScannableOrder, 'status' | 'expiresAt'>, now: Date): boolean {
  return order.status === 'EXPIRED' || order.expiresAt.getTime() <= now.getTime();
}

/**
 * Whether this pharmacy may dispense the order now: it is PAID (or REJECTED after this same
 * pharmacy's proof, which it may resubmit) and the pharmacy declares every item as available.
 */
export function isRedeemableBy(
  order: Pick<ScannableOrder, 'status' | 'assignedPharmacyId'>,
  pharmacyId: string,
  estimate: PayoutEstimate,
): boolean {
  const statusAllows =
    order.status === 'PAID' || (order.status === 'REJECTED' && order.assignedPharmacyId === pharmacyId);
  return statusAllows && estimate.undeclaredMedicineIds.length === 0;
}

/**
 * Whether a pharmacy may claim the order with a proof, as far as the read model can tell (orders'
 * compare-and-set decides). Later states only ever come from events already applied, so a lagging
 * read model can let a doomed claim through, never block a good one.
 */
export function claimRefusalReason(
  order: Pick<ScannableOrder, 'status' | 'assignedPharmacyId'>,
  pharmacyId: string,
): string | null {
  switch (order.status) {
    case 'PAID':
      return null;
    case 'REJECTED':
    case 'PENDING_REVIEW':
      return order.assignedPharmacyId === pharmacyId ? null : 'The order was claimed by another pharmacy.';
    default:
      return `The order is ${order.status.toLowerCase().replace('_', ' ')}.`;
  }
}
