import { CodedError } from '@prescriptchain/contracts';
import { assertCents } from './money';

export const SETTLEMENT_STATUSES = ['pending_payment', 'paid'] as const;
export type SettlementStatus = (typeof SETTLEMENT_STATUSES)[number];

export interface SettlementState {
  id: string;
  orderId: string;
  clinicId: string;
  pharmacyId: string;
  amountCents: number;
  status: SettlementStatus;
  reference: string | null;
  paidBy: string | null;
  createdAt: Date;
  paidAt: Date | null;
}

/** What the platform owes a pharmacy for one fulfilled order: opened unpaid, paid once. */
export class Settlement {
  private constructor(private state: SettlementState) {}

  static open(input: {
    id: string;
    orderId: string;
    clinicId: string;
    pharmacyId: string;
    amountCents: number;
    at: Date;
  }): Settlement {
    assertCents(input.amountCents, 'amountCents');
    return new Settlement({
      id: input.id,
      orderId: input.orderId,
      clinicId: input.clinicId,
      pharmacyId: input.pharmacyId,
      amountCents: input.amountCents,
      status: 'pending_payment',
      reference: null,
      paidBy: null,
      createdAt: input.at,
      paidAt: null,
    });
  }

  static restore(state: SettlementState): Settlement {
    return new Settlement({ ...state });
  }

  get id(): string {
    return this.state.id;
  }
  get status(): SettlementStatus {
    return this.state.status;
  }

  /** Paying twice is refused: the pharmacy must not be remitted twice for one order. */
  markPaid(input: { reference: string | null; paidBy: string; at: Date }): void {
    if (this.state.status === 'paid') {
      throw new CodedError('PAYMENT_ALREADY_PROCESSED', 'This settlement is already paid.', {
        settlementId: this.state.id,
        paidAt: this.state.paidAt?.toISOString() ?? null,
      });
    }
    this.state.status = 'paid';
    this.state.reference = input.reference;
    this.state.paidBy = input.paidBy;
    this.state.paidAt = input.at;
  }

  snapshot(): SettlementState {
    return { ...this.state };
  }
}
