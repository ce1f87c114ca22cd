import { assertCents } from './money';

export const TOP_UP_STATUSES = ['creating', 'pending', 'succeeded', 'failed'] as const;
export type TopUpStatus = (typeof TOP_UP_STATUSES)[number];

export interface TopUpState {
  id: string;
  clinicId: string;
  amountCents: number;
  /** `creating` until the provider answered with a PaymentIntent, `pending` until its webhook. */
  status: TopUpStatus;
  paymentIntentId: string | null;
  requestedBy: string;
  createdAt: Date;
  completedAt: Date | null;
}

/** A clinic paying money in through the payment provider; it credits the account once, when it succeeds. */
export class TopUp {
  private constructor(private state: TopUpState) {}

  static request(input: {
    id: string;
    clinicId: string;
    amountCents: number;
    requestedBy: string;
    at: Date;
  }): TopUp {
    assertCents(input.amountCents, 'amountCents', { allowZero: false });
    return new TopUp({
      ...input,
      status: 'creating',
      paymentIntentId: null,
      createdAt: input.at,
      completedAt: null,
    });
  }

  static restore(state: TopUpState): TopUp {
    return new TopUp({ ...state });
  }

  get id(): string {
    return this.state.id;
  }
  get clinicId(): string {
    return this.state.clinicId;
  }
  get amountCents(): number {
    return this.state.amountCents;
  }
  get status(): TopUpStatus {
    return this.state.status;
  }
  get requestedBy(): string {
    return this.state.requestedBy;
  }
  get paymentIntentId(): string | null {
    return this.state.paymentIntentId;
  }

  /** The provider created the intent. A webhook may already have settled it: then nothing changes. */
  intentCreated(paymentIntentId: string): void {
    if (this.state.paymentIntentId && this.state.paymentIntentId !== paymentIntentId) {
      throw new Error(
        `top-up ${this.state.id} already has PaymentIntent ${this.state.paymentIntentId}, not ${paymentIntentId}`,
      );
    }
    this.state.paymentIntentId = paymentIntentId;
    if (this.state.status === 'creating') this.state.status = 'pending';
  }

  /** True the first time: the caller credits the account then, and only then. */
  succeed(paymentIntentId: string, at: Date): boolean {
    if (this.state.status === 'succeeded') return false;
    this.intentCreated(paymentIntentId);
    this.state.status = 'succeeded';
    this.state.completedAt = at;
    return true;
  }

  /** A failed attempt; the client may confirm the same intent again, so a later success still counts. */
  fail(paymentIntentId: string): void {
    if (this.state.status === 'succeeded') return;
    this.intentCreated(paymentIntentId);
    this.state.status = 'failed';
  }

  snapshot(): TopUpState {
    return { ...this.state };
  }
}
