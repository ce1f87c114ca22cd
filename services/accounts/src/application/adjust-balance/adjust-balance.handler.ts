import { Injectable } from '@nestjs/common';
import { CodedError, type LedgerEntryView, requestHash } from '@prescriptchain/contracts';
import { AccountsStore, type IdempotencyKeyRef } from '../ports/accounts-store';
import { ledgerEntryView } from '../views';
import { type AccountsCaller, requireAdmin } from '../caller-scope';

export interface AdjustBalanceInput {
  clinicId: string;
  /** Signed cents; the balance may not end below zero. */
  amountCents: number;
  reason: string;
  /** An admin; recorded as the actor. */
  caller: AccountsCaller;
  idempotencyKey: string;
}

/**
 * An admin's signed correction of a clinic's balance, recorded with who and why. Idempotent by key:
 * the same key and request answer the first ledger entry again; another request under the key is refused.
 */
@Injectable()
export class AdjustBalanceHandler {
  constructor(private readonly store: AccountsStore) {}

  async execute(input: AdjustBalanceInput): Promise<LedgerEntryView> {
    requireAdmin(input.caller);
    const { clinicId, amountCents, reason } = input;
    const actorId = input.caller.userId;
    const ref: IdempotencyKeyRef = {
      scope: 'adjustment',
      actorId,
      key: input.idempotencyKey,
      requestHash: requestHash({ clinicId, amountCents, reason }),
    };
    return this.store.transaction(async (tx) => {
      const claim = await tx.claimIdempotencyKey(ref);
      if (claim.status === 'mismatch') throw new CodedError('IDEMPOTENCY_KEY_REUSED');
      if (claim.status === 'replay') return claim.response as LedgerEntryView;

      const account = await tx.lockAccount(clinicId);
      if (!account) throw new CodedError('NOT_FOUND', 'No account for this clinic.');
      const { split: _split, ...movement } = account.adjust(amountCents);
      await tx.saveAccount(account);
      const view = ledgerEntryView(await tx.appendLedger({ ...movement, clinicId, actorId, reason }));
      await tx.saveIdempotentResponse(ref, view);
      return view;
    });
  }
}
