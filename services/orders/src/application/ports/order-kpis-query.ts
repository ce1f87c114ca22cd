/** A half-open range of instants: `from` inclusive, `to` exclusive. */
export interface KpiRange {
  from: Date;
  to: Date;
}

/** The raw figures of a range, as the database counts and sums them (money in integer cents). */
export interface OrderKpiFigures {
  /** Orders created in the range that left DRAFT. */
  ordersCreated: number;
  /** Distinct practitioners with any order (drafts too) created in the range. */
  activePractitioners: number;
  /** Orders whose move to PAID falls in the range, and the sum of their totals. */
  ordersPaid: number;
  paidTotalCents: number;
  /** Of those paid in the range, how many have reached FULFILLED since. */
  paidSinceFulfilled: number;
  /** Orders whose move to FULFILLED falls in the range; Σ (total − payout) over them. */
  ordersFulfilled: number;
  fulfilledMarginCents: number;
  /** Mean seconds from PAID to FULFILLED over those fulfilled in the range; null when none. */
  avgFulfillmentSeconds: number | null;
  /** Distinct pharmacies that claimed an order (DISPENSING) or submitted proof for one in the range. */
  activePharmacies: number;
}

/** Aggregates over orders and their history (the database seam of the KPI report). */
export abstract class OrderKpisQuery {
  abstract figures(range: KpiRange): Promise<OrderKpiFigures>;
}
