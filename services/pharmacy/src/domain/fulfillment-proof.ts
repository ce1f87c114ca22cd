import { CodedError } from '@prescriptchain/contracts';

/**
 * A proof of dispensing and its lifecycle. `claiming`: recorded, orders not yet asked to move the
 * order to PENDING_REVIEW (or its answer was lost); `pending`: orders accepted it, an admin reviews
 * it; `failed`: orders refused it (its files are freed for another proof); `approved` / `rejected`:
 * reviewed. Every move is checked here and an illegal one throws a coded error, the way orders'
 * `Order` does — the store only writes what the entity decided.
 */
export const PROOF_STATUSES = ['claiming', 'pending', 'failed', 'approved', 'rejected'] as const;
export type ProofStatus = (typeof PROOF_STATUSES)[number];
export type ReviewDecision = 'approve' | 'reject';

/** Exactly the allowed moves; anything else is INVALID_ORDER_STATUS. */
export const PROOF_MOVES: Readonly<Record<ProofStatus, readonly ProofStatus[]>> = {
  claiming: ['pending', 'failed'],
  pending: ['approved', 'rejected'],
  failed: [],
  approved: [],
  rejected: [],
};

/** A proof the order may still have: at most one per order (a rejected one was answered by a new one). */
export const LIVE_PROOF_STATUSES: readonly ProofStatus[] = ['claiming', 'pending', 'approved'];

/** The review status the HTTP contract shows (claiming proofs are not listed; failed ones were never submitted). */
export function reviewStatusOf(status: ProofStatus): 'pending' | 'approved' | 'rejected' {
  if (status === 'approved' || status === 'rejected') return status;
  return 'pending';
}

export interface ProofProps {
  id: string;
  orderId: string;
  pharmacyId: string;
  submittedBy: string;
  status: ProofStatus;
  payoutCents: number;
  notes: string | null;
  fileIds: string[];
  claimAttempts: number;
  lastClaimError: string | null;
  reviewerId: string | null;
  reviewComments: string | null;
  reviewedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewProof {
  id: string;
  orderId: string;
  pharmacyId: string;
  submittedBy: string;
  /** The payout fixed when the pharmacy claimed the order. */
  payoutCents: number;
  notes: string | null;
  fileIds: string[];
}

export class FulfillmentProof {
  private constructor(private props: ProofProps) {}

  /** A new proof is `claiming` until orders accepts or refuses it. */
  static submit(input: NewProof, at: Date): FulfillmentProof {
    if (input.fileIds.length === 0)
      throw new CodedError('VALIDATION_FAILED', 'A proof needs at least one file.');
    if (new Set(input.fileIds).size !== input.fileIds.length)
      throw new CodedError('VALIDATION_FAILED', 'Each file at most once.');
    if (!Number.isSafeInteger(input.payoutCents) || input.payoutCents < 0)
      throw new CodedError('VALIDATION_FAILED', 'A payout is a whole, non-negative number of cents.');
    return new FulfillmentProof({
      ...input,
      fileIds: [...input.fileIds],
      status: 'claiming',
      claimAttempts: 0,
      lastClaimError: null,
      reviewerId: null,
      reviewComments: null,
      reviewedAt: null,
      createdAt: at,
      updatedAt: at,
    });
  }

  static restore(props: ProofProps): FulfillmentProof {
    return new FulfillmentProof({ ...props, fileIds: [...props.fileIds] });
  }

  get id() {
    return this.props.id;
  }
  get orderId() {
    return this.props.orderId;
  }
  get pharmacyId() {
    return this.props.pharmacyId;
  }
  get status() {
    return this.props.status;
  }
  get payoutCents() {
    return this.props.payoutCents;
  }
  get fileIds(): readonly string[] {
    return this.props.fileIds;
  }
  get isAwaitingOrders(): boolean {
    return this.props.status === 'claiming';
  }
  /** A snapshot for reading and persisting; change the proof only through its methods. */
  get snapshot(): Readonly<ProofProps> {
    return this.props;
  }

  /**
   * claiming → pending: orders moved the order to PENDING_REVIEW for this pharmacy. The payout is
   * the one orders fixed at the claim (authoritative over what this proof was recorded with).
   */
  accept(at: Date, payoutCents: number): void {
    this.move('pending', at);
    this.props.payoutCents = payoutCents;
    this.props.claimAttempts += 1;
  }

  /** claiming → failed: orders refused the proof (this pharmacy does not hold the order). */
  refuse(at: Date, error: string): void {
    this.move('failed', at);
    this.props.claimAttempts += 1;
    this.props.lastClaimError = error.slice(0, 1000);
  }

  /** Orders did not answer (or the answer is not known yet): the proof stays claiming, for a retry. */
  noteUnansweredAttempt(at: Date, error: string): void {
    if (this.props.status !== 'claiming') {
      throw new CodedError('INVALID_ORDER_STATUS', `The proof is already ${this.props.status}.`);
    }
    this.props.claimAttempts += 1;
    this.props.lastClaimError = error.slice(0, 1000);
    this.props.updatedAt = at;
  }

  /** pending → approved | rejected, with the reviewer, time and comments. */
  review(at: Date, decision: ReviewDecision, reviewerId: string, comments: string | null): void {
    if (this.props.status !== 'pending') {
      throw new CodedError(
        'INVALID_ORDER_STATUS',
        `The proof is ${this.props.status === 'claiming' ? 'not submitted yet' : `already ${this.props.status}`}.`,
      );
    }
    this.move(decision === 'approve' ? 'approved' : 'rejected', at);
    this.props.reviewerId = reviewerId;
    this.props.reviewComments = comments;
    this.props.reviewedAt = at;
  }

  private move(to: ProofStatus, at: Date): void {
    const from = this.props.status;
    if (!PROOF_MOVES[from].includes(to)) {
      throw new CodedError('INVALID_ORDER_STATUS', `A proof cannot go from ${from} to ${to}.`, { from, to });
    }
    this.props.status = to;
    this.props.updatedAt = at;
  }
}
