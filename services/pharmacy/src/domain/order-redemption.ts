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

/** The order states in which one pharmacy holds the order ("a claimed order"). */
export const HELD_STATUSES: readonly string[] = ['DISPENSING', 'PENDING_REVIEW', 'REJECTED'];
export const isHeld = (status: string) => HELD_STATUSES.includes(status);

/** Who holds the order, as the scan reports it: this pharmacy, another one, or nobody. */
export function claimedByOf(
  order: Pick<ScannableOrder, 'status' | 'assignedPharmacyId'>,
  pharmacyId: string,
): 'you' | 'another' | null {
  if (!isHeld(order.status) || !order.assignedPharmacyId) return null;
  return order.assignedPharmacyId === pharmacyId ? 'you' : 'another';
}

/**
 * Whether this pharmacy may dispense the order now: it declares every item as available, and the
 * order is PAID (anyone may claim it) or held by this pharmacy in DISPENSING or REJECTED (it may
 * submit, or resubmit, proof). Held by another pharmacy: never.
 */
export function isRedeemableBy(
  order: Pick<ScannableOrder, 'status' | 'assignedPharmacyId'>,
  pharmacyId: string,
  estimate: PayoutEstimate,
): boolean {
  const statusAllows =
    order.status === 'PAID' ||
    ((order.status === 'DISPENSING' || order.status === 'REJECTED') &&
      order.assignedPharmacyId === pharmacyId);
  return statusAllows && estimate.undeclaredMedicineIds.length === 0;
}

/**
 * Why this pharmacy may not submit proof for the order, as far as the read model can tell (orders
 * decides): only the pharmacy holding it may (DISPENSING, or REJECTED and held by it; PENDING_REVIEW
 * for it is a repeat). Returns the error code and message, or null.
 */
export function proofRefusal(
  order: Pick<ScannableOrder, 'status' | 'assignedPharmacyId'>,
  pharmacyId: string,
): { code: 'ORDER_ALREADY_CLAIMED' | 'INVALID_ORDER_STATUS'; message: string } | null {
  if (isHeld(order.status)) {
    return order.assignedPharmacyId === pharmacyId
      ? null
      : { code: 'ORDER_ALREADY_CLAIMED', message: 'Another pharmacy is dispensing this order.' };
  }
  if (order.status === 'PAID') {
    return {
      code: 'ORDER_ALREADY_CLAIMED',
      message: 'Only the pharmacy holding the order may submit proof: claim it first.',
    };
  }
  return {
    code: 'INVALID_ORDER_STATUS',
    message: `The order is ${order.status.toLowerCase().replace('_', ' ')}.`,
  };
}

/** How orders' history names a pharmacy that moved an order. */
export const pharmacyActorOf = (pharmacyId: string) => `pharmacy:${pharmacyId}`;
