import { CodedError } from '@prescriptchain/contracts';
import type { Movement, MovementSplit } from './ledger-entry';
import { MAX_CENTS, assertCents } from './money';

export const ACCOUNT_STATUSES = ['active', 'suspended'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export interface ClinicAccountState {
  clinicId: string;
  balanceCents: number;
  creditLimitCents: number;
  usedCreditCents: number;
  status: AccountStatus;
}

/**
 * A clinic's prepaid balance plus its credit line, in integer cents. Invariants, whatever happens:
 * 0 ≤ balance, 0 ≤ usedCredit ≤ creditLimit. Every money movement returns the ledger movement it
 * makes (with the after-values) and how it split between balance and credit.
 */
export class ClinicAccount {
  private constructor(private state: ClinicAccountState) {}

  /** A new clinic's account: nothing in it, no credit, active. */
  static open(clinicId: string): ClinicAccount {
    return new ClinicAccount({
      clinicId,
      balanceCents: 0,
      creditLimitCents: 0,
      usedCreditCents: 0,
      status: 'active',
    });
  }

  static restore(state: ClinicAccountState): ClinicAccount {
    const { balanceCents, creditLimitCents, usedCreditCents } = state;
    if (
      ![balanceCents, creditLimitCents, usedCreditCents].every((c) => Number.isSafeInteger(c) && c >= 0) ||
      usedCreditCents > creditLimitCents
    ) {
      throw new Error(`clinic account ${state.clinicId} is inconsistent: ${JSON.stringify(state)}`);
    }
    return new ClinicAccount({ ...state });
  }

  get clinicId(): string {
    return this.state.clinicId;
  }
  get balanceCents(): number {
    return this.state.balanceCents;
  }
  get creditLimitCents(): number {
    return this.state.creditLimitCents;
  }
  get usedCreditCents(): number {
    return this.state.usedCreditCents;
  }
  get status(): AccountStatus {
    return this.state.status;
  }
  /** What can still be spent: balance + creditLimit − usedCredit. */
  get availableCents(): number {
    return this.state.balanceCents + this.state.creditLimitCents - this.state.usedCreditCents;
  }

  snapshot(): ClinicAccountState {
    return { ...this.state };
  }

  /** Pays for an order: the balance first, then the credit line. All or nothing. */
  debit(amountCents: number): Movement & { split: MovementSplit } {
    assertCents(amountCents, 'amountCents', { allowZero: false });
    if (this.state.status === 'suspended') throw new CodedError('ACCOUNT_SUSPENDED');
    if (amountCents > this.availableCents) {
      throw new CodedError('INSUFFICIENT_FUNDS', undefined, {
        availableCents: this.availableCents,
        amountCents,
      });
    }
    const fromBalance = Math.min(this.state.balanceCents, amountCents);
    const fromCredit = amountCents - fromBalance;
    this.state.balanceCents -= fromBalance;
    this.state.usedCreditCents += fromCredit;
    return {
      ...this.movement('debit', -amountCents),
      split: { balanceCents: fromBalance, creditCents: fromCredit },
    };
  }

  /**
   * Gives back what an order was charged: restores the credit line first, then the balance. Allowed
   * on a suspended account (the money is the clinic's). A zero refund records that nothing was owed.
   */
  refund(amountCents: number): Movement & { split: MovementSplit } {
    assertCents(amountCents, 'amountCents');
    const split = this.credit(amountCents);
    return { ...this.movement('refund', amountCents), split };
  }

  /** Money paid in (a settled PaymentIntent): repays used credit first, then the balance. */
  topUp(amountCents: number): Movement & { split: MovementSplit } {
    assertCents(amountCents, 'amountCents', { allowZero: false });
    const split = this.credit(amountCents);
    return { ...this.movement('topup', amountCents), split };
  }

  /**
   * An admin's signed correction. A positive one is paid in like a top-up (credit first); a negative
   * one comes off the balance only and may not take it below zero (it never draws on credit).
   */
  adjust(amountCents: number): Movement & { split: MovementSplit } {
    assertCents(amountCents, 'amountCents', { allowNegative: true, allowZero: false });
    if (amountCents > 0) {
      const split = this.credit(amountCents);
      return { ...this.movement('adjustment', amountCents), split };
    }
    const take = -amountCents;
    if (take > this.state.balanceCents) {
      throw new CodedError('INSUFFICIENT_FUNDS', 'The adjustment would take the balance below zero.', {
        balanceCents: this.state.balanceCents,
        amountCents,
      });
    }
    this.state.balanceCents -= take;
    return { ...this.movement('adjustment', amountCents), split: { balanceCents: take, creditCents: 0 } };
  }

  /** A limit below what is already in use would leave the account over its limit: refused. */
  changeCreditLimit(creditLimitCents: number): void {
    assertCents(creditLimitCents, 'creditLimitCents');
    if (creditLimitCents < this.state.usedCreditCents) {
      throw new CodedError('VALIDATION_FAILED', 'The credit limit cannot be lower than the credit in use.', [
        {
          path: 'creditLimitCents',
          message: `must be at least the credit in use (${this.state.usedCreditCents} cents)`,
        },
      ]);
    }
    this.state.creditLimitCents = creditLimitCents;
  }

  /** Suspended accounts cannot pay for orders; refunds, top-ups and adjustments still apply. */
  changeStatus(status: AccountStatus): void {
    if (!ACCOUNT_STATUSES.includes(status)) {
      throw new CodedError('VALIDATION_FAILED', undefined, [
        { path: 'status', message: `must be one of ${ACCOUNT_STATUSES.join(', ')}` },
      ]);
    }
    this.state.status = status;
  }

  private credit(amountCents: number): MovementSplit {
    const toCredit = Math.min(this.state.usedCreditCents, amountCents);
    const toBalance = amountCents - toCredit;
    if (this.state.balanceCents + toBalance > MAX_CENTS) {
      throw new CodedError(
        'VALIDATION_FAILED',
        'The balance would exceed the largest amount an account can hold.',
        [{ path: 'amountCents', message: `the balance may not exceed ${MAX_CENTS} cents` }],
      );
    }
    this.state.usedCreditCents -= toCredit;
    this.state.balanceCents += toBalance;
    return { balanceCents: toBalance, creditCents: toCredit };
  }

  private movement(type: Movement['type'], amountCents: number): Movement {
    return {
      type,
      amountCents,
      balanceAfterCents: this.state.balanceCents,
      usedCreditAfterCents: this.state.usedCreditCents,
    };
  }
}
