import { CodedError, ORDER_STATUSES, type OrderStatusName } from '@prescriptchain/contracts';
import { sumCents } from './order-money';

/**
 * An order (prescription) and its state machine (`ORDER_MOVES` below). Every move is checked here and
 * appended to the history; an illegal one throws INVALID_ORDER_STATUS, editing anything but a draft
 * throws ORDER_CANNOT_BE_MODIFIED. The saga's state (payment attempts, deadline, refund) lives on
 * the order too, so a restart or another replica picks up exactly where this one stopped.
 */

/** The statuses are the contract's (libs/contracts, orders.rpc.ts); the moves between them are this entity's. */
export { ORDER_STATUSES };
export type OrderStatus = OrderStatusName;

/** Exactly the allowed moves; anything else is INVALID_ORDER_STATUS. */
export const ORDER_MOVES: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  DRAFT: ['PENDING_PAYMENT'],
  PENDING_PAYMENT: ['PAID', 'PAYMENT_FAILED'],
  PAYMENT_FAILED: ['PENDING_PAYMENT', 'CANCELLED'],
  PAID: ['DISPENSING', 'CANCELLED', 'EXPIRED'],
  DISPENSING: ['PENDING_REVIEW', 'PAID', 'EXPIRED'],
  PENDING_REVIEW: ['FULFILLED', 'REJECTED'],
  REJECTED: ['PENDING_REVIEW', 'CANCELLED', 'EXPIRED'],
  FULFILLED: [],
  CANCELLED: [],
  EXPIRED: [],
};

export const canMove = (from: OrderStatus, to: OrderStatus): boolean => ORDER_MOVES[from].includes(to);

/**
 * The states in which one pharmacy holds the order ("a claimed order"): nobody else may
 * claim it or submit proof for it, and its prescriber can no longer cancel it.
 */
export const HELD_STATUSES: readonly OrderStatus[] = ['DISPENSING', 'PENDING_REVIEW', 'REJECTED'];
export const isHeld = (status: OrderStatus): boolean => HELD_STATUSES.includes(status);

/**
 * What the platform pays the pharmacy for an order: its declared Σ quantity × packs × wholesale
 * price, never more than the clinic paid for the order.
 */
export const claimPayoutCents = (declaredCents: number, orderTotalCents: number): number => {
  if (!Number.isSafeInteger(declaredCents) || declaredCents < 0)
    throw new CodedError('VALIDATION_FAILED', 'A payout is a whole, non-negative number of cents.');
  return Math.min(declaredCents, orderTotalCents);
};

/** Who moved the order: a user id, or one of these for moves nobody typed. */
export const SYSTEM_ACTOR = 'system';
export const ACCOUNTS_ACTOR = 'accounts';
export const pharmacyActor = (pharmacyId: string) => `pharmacy:${pharmacyId}`;

/** The reason a saga that heard nothing back within its deadline records. */
export const PAYMENT_TIMEOUT_REASON = 'TIMEOUT';

export interface HistoryEntry {
  from: OrderStatus | null;
  to: OrderStatus;
  at: Date;
  by: string;
  reason: string | null;
}

export interface PatientDetails {
  name: string;
  phone?: string | null;
  email?: string | null;
  dateOfBirth?: string | null;
  address?: string | null;
  pregnant?: boolean | null;
}

/** One priced line: a snapshot of the medicine at pricing time, so retiring it changes nothing here. */
export interface OrderLine {
  medicineId: string;
  name: string;
  pinyin: string;
  englishName: string;
  unit: string;
  /** Per pack, in milligrams (grams × 1000) — exact. */
  quantityMg: bigint;
  unitPriceCents: number;
  totalCents: number;
  processing: string | null;
  decoctionMethod: string | null;
  dosageInstructions: string | null;
}

/** Safety violations the practitioner accepted, with their reason: the audit trail of an override. */
export interface SafetyOverride {
  reason: string;
  violations: { rule: string; medicineIds: string[]; message: string }[];
  by: string;
  at: Date;
}

export interface Credential {
  platformOrderId: string;
  /** Compact EdDSA JWS {oid, pid, exp}. */
  token: string;
  kid: string;
  verificationCodeHash: string;
  verificationCodeSalt: string;
  /** The code itself, encrypted, so the owner can print the prescription again. */
  verificationCodeEnc: string;
  issuedAt: Date;
  expiresAt: Date;
}

export interface OrderProps {
  id: string;
  practitionerId: string;
  clinicId: string;
  status: OrderStatus;
  patient: PatientDetails;
  notes: string | null;
  packs: number;
  lines: OrderLine[];
  totalCents: number;
  safetyOverride: SafetyOverride | null;
  paymentAttempts: number;
  paymentDeadlineAt: Date | null;
  paymentFailureReason: string | null;
  paidAt: Date | null;
  refundRequestedAt: Date | null;
  credential: Credential | null;
  assignedPharmacyId: string | null;
  payoutCents: number | null;
  /** When the holding pharmacy claimed the order (null while nobody holds it). */
  claimedAt: Date | null;
  /** While DISPENSING or REJECTED: when the hold lapses without (re)submitted proof. */
  holdExpiresAt: Date | null;
  fulfilledAt: Date | null;
  history: HistoryEntry[];
  createdAt: Date;
  updatedAt: Date;
}

export interface NewOrder {
  id: string;
  practitionerId: string;
  clinicId: string;
  patient: PatientDetails;
  notes: string | null;
  packs: number;
  lines: OrderLine[];
  safetyOverride: SafetyOverride | null;
}

/** What a debit.succeeded means for the order as it stands now. */
export type DebitSuccessOutcome = 'pay' | 'duplicate' | 'refund';

export class Order {
  private props: OrderProps;
  private loadedHistory: number;
  private linesChanged = false;

  private constructor(props: OrderProps, isNew: boolean) {
    this.props = props;
    this.loadedHistory = isNew ? 0 : props.history.length;
    this.linesChanged = isNew;
  }

  /** A new order starts as a DRAFT (history: created). A safety override is recorded with its reason. */
  static create(input: NewOrder, at: Date): Order {
    if (!input.lines.length) throw new CodedError('VALIDATION_FAILED', 'An order needs at least one item.');
    const order = new Order(
      {
        ...input,
        status: 'DRAFT',
        totalCents: sumCents(input.lines.map((l) => l.totalCents)),
        paymentAttempts: 0,
        paymentDeadlineAt: null,
        paymentFailureReason: null,
        paidAt: null,
        refundRequestedAt: null,
        credential: null,
        assignedPharmacyId: null,
        payoutCents: null,
        claimedAt: null,
        holdExpiresAt: null,
        fulfilledAt: null,
        history: [],
        createdAt: at,
        updatedAt: at,
      },
      true,
    );
    order.props.history.push({
      from: null,
      to: 'DRAFT',
      at,
      by: input.practitionerId,
      reason: input.safetyOverride ? overrideNote(input.safetyOverride) : null,
    });
    return order;
  }

  static restore(props: OrderProps): Order {
    return new Order({ ...props, history: [...props.history], lines: [...props.lines] }, false);
  }

  get id() {
    return this.props.id;
  }
  get status() {
    return this.props.status;
  }
  get practitionerId() {
    return this.props.practitionerId;
  }
  get clinicId() {
    return this.props.clinicId;
  }
  get totalCents() {
    return this.props.totalCents;
  }
  get credential() {
    return this.props.credential;
  }
  get assignedPharmacyId() {
    return this.props.assignedPharmacyId;
  }
  get payoutCents() {
    return this.props.payoutCents;
  }
  get paidAt() {
    return this.props.paidAt;
  }
  get claimedAt() {
    return this.props.claimedAt;
  }
  get holdExpiresAt() {
    return this.props.holdExpiresAt;
  }
  /** Whether `pharmacyId` holds the order now (DISPENSING, PENDING_REVIEW or REJECTED for it). */
  isHeldBy(pharmacyId: string): boolean {
    return isHeld(this.props.status) && this.props.assignedPharmacyId === pharmacyId;
  }
  get refundRequested(): boolean {
    return this.props.refundRequestedAt !== null;
  }
  /** A snapshot for reading and persisting; change the order only through its methods. */
  get snapshot(): Readonly<OrderProps> {
    return this.props;
  }
  /** History entries added since the order was loaded (or all of them for a new order). */
  get newHistory(): readonly HistoryEntry[] {
    return this.props.history.slice(this.loadedHistory);
  }
  /** Whether the lines were replaced since loading (always for a new order). */
  get linesReplaced(): boolean {
    return this.linesChanged;
  }

  /** The store wrote the order: what was new is persisted now. */
  markPersisted(): void {
    this.loadedHistory = this.props.history.length;
    this.linesChanged = false;
  }

  /** Re-prices a draft (prices move until money does). Only a DRAFT may change. */
  revise(lines: OrderLine[], safetyOverride: SafetyOverride | null, at: Date): void {
    if (this.props.status !== 'DRAFT') {
      throw new CodedError(
        'ORDER_CANNOT_BE_MODIFIED',
        `A ${this.props.status} order can no longer be modified.`,
      );
    }
    if (!lines.length) throw new CodedError('VALIDATION_FAILED', 'An order needs at least one item.');
    this.props.lines = lines;
    this.props.totalCents = sumCents(lines.map((l) => l.totalCents));
    this.props.safetyOverride = safetyOverride;
    this.props.updatedAt = at;
    this.linesChanged = true;
  }

  /**
   * DRAFT → PENDING_PAYMENT, or PAYMENT_FAILED → PENDING_PAYMENT (retry). The saga waits for
   * accounts until `deadline`. A retry is refused once a refund was requested: accounts refuses
   * every later debit for an order it was asked to refund.
   */
  requestPayment(at: Date, deadline: Date, by: string): void {
    if (this.props.status === 'PAYMENT_FAILED' && this.refundRequested) {
      throw new CodedError(
        'INVALID_ORDER_STATUS',
        'This order cannot be paid again (its payment timed out or was refunded); create a new order.',
      );
    }
    if (this.props.totalCents <= 0)
      throw new CodedError('VALIDATION_FAILED', 'The order costs nothing to pay for.');
    const retry = this.props.status === 'PAYMENT_FAILED';
    this.move('PENDING_PAYMENT', at, by, retry ? 'payment retried' : null);
    this.props.paymentAttempts += 1;
    this.props.paymentDeadlineAt = deadline;
    this.props.paymentFailureReason = null;
  }

  /** accounts took the money: which effect that has depends on where the order is now. */
  debitSucceededOutcome(): DebitSuccessOutcome {
    if (this.props.status === 'PENDING_PAYMENT') return 'pay';
    if (this.props.paidAt !== null) return 'duplicate';
    return 'refund';
  }

  /** PENDING_PAYMENT → PAID with its freshly minted credential. */
  markPaid(at: Date, credential: Credential): void {
    this.move('PAID', at, ACCOUNTS_ACTOR, null);
    this.props.paidAt = at;
    this.props.paymentDeadlineAt = null;
    this.props.credential = credential;
  }

  /** PENDING_PAYMENT → PAYMENT_FAILED with accounts' reason. */
  markPaymentFailed(at: Date, reason: string, by = ACCOUNTS_ACTOR): void {
    this.move('PAYMENT_FAILED', at, by, reason);
    this.props.paymentFailureReason = reason;
    this.props.paymentDeadlineAt = null;
  }

  /**
   * The saga heard nothing within its deadline: PAYMENT_FAILED (TIMEOUT) and a refund, which makes
   * accounts refuse a debit still on its way or return one it already took. Returns whether a
   * refund is to be requested now.
   */
  timeOutPayment(at: Date): boolean {
    this.markPaymentFailed(at, PAYMENT_TIMEOUT_REASON, SYSTEM_ACTOR);
    return this.requestRefund(at);
  }

  /**
   * PAYMENT_FAILED | PAID → CANCELLED, or REJECTED → CANCELLED by an admin. A claimed order (a
   * pharmacy holds it) can no longer be cancelled by its prescriber: ORDER_CANNOT_BE_MODIFIED.
   * Returns whether a refund is to be requested now.
   */
  cancel(at: Date, by: string, reason: string, { asAdmin }: { asAdmin: boolean }): boolean {
    if (!asAdmin && isHeld(this.props.status)) {
      throw new CodedError(
        'ORDER_CANNOT_BE_MODIFIED',
        'A pharmacy is dispensing this order; it can no longer be cancelled by its prescriber.',
        { status: this.props.status },
      );
    }
    this.move('CANCELLED', at, by, reason);
    this.props.holdExpiresAt = null;
    return this.props.paidAt !== null && this.requestRefund(at);
  }

  /** PAID → EXPIRED once the credential passed its expiry unused; refunds in full. */
  expire(at: Date): boolean {
    const expiresAt = this.props.credential?.expiresAt;
    if (this.props.status !== 'PAID') {
      throw new CodedError(
        'INVALID_ORDER_STATUS',
        `An order cannot go from ${this.props.status} to EXPIRED.`,
        {
          from: this.props.status,
          to: 'EXPIRED',
        },
      );
    }
    if (expiresAt && expiresAt > at) {
      throw new CodedError('INVALID_ORDER_STATUS', 'The credential has not expired yet.');
    }
    this.move('EXPIRED', at, SYSTEM_ACTOR, 'credential expired');
    return this.requestRefund(at);
  }

  /**
   * A pharmacy claims the order before dispensing it (`POST /pharmacies/claims`, like
   * gematik's `$accept`): PAID → DISPENSING, held by `pharmacyId` until `holdUntil`, the payout
   * fixed now at min(declared, the order's total). Returns 'already-held' (and changes nothing) when
   * this pharmacy holds it already; another holder is ORDER_ALREADY_CLAIMED; any other state is
   * INVALID_ORDER_STATUS.
   */
  claim(
    at: Date,
    pharmacyId: string,
    declaredPayoutCents: number,
    holdUntil: Date,
  ): 'claimed' | 'already-held' {
    const { status, assignedPharmacyId, credential } = this.props;
    if (isHeld(status)) {
      if (assignedPharmacyId === pharmacyId) return 'already-held';
      throw new CodedError('ORDER_ALREADY_CLAIMED', 'Another pharmacy is dispensing this order.');
    }
    if (status === 'PAID' && credential && credential.expiresAt <= at) {
      throw new CodedError('INVALID_ORDER_STATUS', 'The prescription has expired.');
    }
    const payout = claimPayoutCents(declaredPayoutCents, this.props.totalCents);
    this.move('DISPENSING', at, pharmacyActor(pharmacyId), null);
    this.props.assignedPharmacyId = pharmacyId;
    this.props.payoutCents = payout;
    this.props.claimedAt = at;
    this.props.holdExpiresAt = holdUntil;
    return 'claimed';
  }

  /**
   * DISPENSING → PAID: the holder (or an admin, `pharmacyId` null) gives the order up, so the patient
   * may go elsewhere. Another pharmacy is ORDER_ALREADY_CLAIMED; any other state INVALID_ORDER_STATUS.
   */
  release(at: Date, by: string, reason: string, pharmacyId: string | null): void {
    const { status, assignedPharmacyId } = this.props;
    if (pharmacyId !== null && isHeld(status) && assignedPharmacyId !== pharmacyId) {
      throw new CodedError('ORDER_ALREADY_CLAIMED', 'Another pharmacy holds this order.');
    }
    if (status !== 'DISPENSING') {
      throw new CodedError(
        'INVALID_ORDER_STATUS',
        status === 'PAID'
          ? 'Nobody holds this order.'
          : `A ${status} order cannot be released; only one being dispensed can.`,
        { from: status, to: 'PAID' },
      );
    }
    this.move('PAID', at, by, reason);
    this.props.assignedPharmacyId = null;
    this.props.payoutCents = null;
    this.props.claimedAt = null;
    this.props.holdExpiresAt = null;
  }

  /**
   * The holder's proof: DISPENSING | REJECTED → PENDING_REVIEW (the hold stops running while an admin
   * reviews). Only the holding pharmacy may: anyone else is ORDER_ALREADY_CLAIMED. Returns false when
   * the order is already PENDING_REVIEW for this pharmacy (a repeated submission).
   */
  submitForReview(at: Date, pharmacyId: string): boolean {
    if (!this.isHeldBy(pharmacyId)) {
      throw new CodedError(
        'ORDER_ALREADY_CLAIMED',
        this.props.assignedPharmacyId && isHeld(this.props.status)
          ? 'Another pharmacy is dispensing this order.'
          : 'Only the pharmacy holding the order may submit proof: claim it first.',
      );
    }
    if (this.props.status === 'PENDING_REVIEW') return false;
    this.move('PENDING_REVIEW', at, pharmacyActor(pharmacyId), null);
    this.props.holdExpiresAt = null;
    return true;
  }

  /**
   * DISPENSING | REJECTED → EXPIRED once the hold lapsed without (re)submitted proof; the clinic is
   * refunded in full. Returns whether a refund is to be requested now.
   */
  lapseHold(at: Date): boolean {
    const { status, holdExpiresAt } = this.props;
    if (!(status === 'DISPENSING' || status === 'REJECTED')) {
      throw new CodedError('INVALID_ORDER_STATUS', `A ${status} order has no hold that could lapse.`);
    }
    if (!holdExpiresAt || holdExpiresAt > at) {
      throw new CodedError('INVALID_ORDER_STATUS', 'The hold has not lapsed yet.');
    }
    this.move('EXPIRED', at, SYSTEM_ACTOR, 'dispensing hold lapsed without proof');
    this.props.holdExpiresAt = null;
    return this.requestRefund(at);
  }

  /**
   * PENDING_REVIEW → FULFILLED (approve) or REJECTED (reject: the holder may resubmit until
   * `holdUntil`, when the hold lapses).
   */
  review(
    at: Date,
    decision: 'approve' | 'reject',
    reviewerId: string,
    comments: string | null,
    holdUntil: Date,
  ): void {
    if (decision === 'approve') {
      this.move('FULFILLED', at, reviewerId, comments);
      this.props.fulfilledAt = at;
    } else {
      this.move('REJECTED', at, reviewerId, comments);
      this.props.holdExpiresAt = holdUntil;
    }
  }

  /** Records that a refund is (to be) requested; false when one already was (at most one per order). */
  requestRefund(at: Date): boolean {
    if (this.props.refundRequestedAt !== null) return false;
    this.props.refundRequestedAt = at;
    this.props.updatedAt = at;
    return true;
  }

  private move(to: OrderStatus, at: Date, by: string, reason: string | null): void {
    const from = this.props.status;
    if (!canMove(from, to)) {
      throw new CodedError('INVALID_ORDER_STATUS', `An order cannot go from ${from} to ${to}.`, { from, to });
    }
    this.props.status = to;
    this.props.updatedAt = at;
    this.props.history.push({ from, to, at, by, reason });
  }
}

function overrideNote(override: SafetyOverride): string {
  const rules = [...new Set(override.violations.map((v) => v.rule))].join(', ');
  return `safety override (${rules}): ${override.reason}`;
}
