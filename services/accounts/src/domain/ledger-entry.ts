/** What moved a clinic account. The ledger is append-only: entries are never updated or deleted. */
export const LEDGER_ENTRY_TYPES = ['debit', 'refund', 'topup', 'adjustment'] as const;
export type LedgerEntryType = (typeof LEDGER_ENTRY_TYPES)[number];

/**
 * One movement as the account computed it. `amountCents` is signed (a debit is negative), so the
 * sum of an account's entries always equals `balance − usedCredit`.
 */
export interface Movement {
  type: LedgerEntryType;
  amountCents: number;
  balanceAfterCents: number;
  usedCreditAfterCents: number;
}

/** How a movement split between the prepaid balance and the credit line (both non-negative). */
export interface MovementSplit {
  balanceCents: number;
  creditCents: number;
}

export interface LedgerEntry extends Movement {
  id: string;
  clinicId: string;
  orderId: string | null;
  /** A top-up's PaymentIntent id. */
  reference: string | null;
  actorId: string | null;
  reason: string | null;
  createdAt: Date;
}

/**
 * The split of an entry, read from the entry and the one before it (their after-values chain, so
 * nothing else needs storing). `previous` is null for an account's first entry.
 */
export function splitOf(
  entry: Movement,
  previous: Pick<Movement, 'balanceAfterCents' | 'usedCreditAfterCents'> | null,
): MovementSplit {
  const before = previous ?? { balanceAfterCents: 0, usedCreditAfterCents: 0 };
  return {
    balanceCents: Math.abs(entry.balanceAfterCents - before.balanceAfterCents),
    creditCents: Math.abs(entry.usedCreditAfterCents - before.usedCreditAfterCents),
  };
}
