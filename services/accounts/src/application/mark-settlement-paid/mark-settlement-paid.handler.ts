import { Injectable } from '@nestjs/common';
import { CodedError, SettlementPaidV1, type SettlementView, requestHash } from '@prescriptchain/contracts';
import { AccountsStore, type IdempotencyKeyRef } from '../ports/accounts-store';
import { settlementView } from '../views';
import { type AccountsCaller, requireAdmin } from '../caller-scope';

export interface MarkSettlementPaidInput {
  settlementId: string;
  reference?: string | null;
  idempotencyKey: string;
  /** An admin; recorded as who paid. */
  caller: AccountsCaller;
}

/**
 * An admin records that a pharmacy was paid; `accounts.settlement.paid` (the remittance email) goes
 * out once. The same key and request answer the first result again; paying an already-paid
 * settlement under a new key is refused (PAYMENT_ALREADY_PROCESSED).
 */
@Injectable()
export class MarkSettlementPaidHandler {
  constructor(private readonly store: AccountsStore) {}

  async execute(input: MarkSettlementPaidInput): Promise<SettlementView> {
    requireAdmin(input.caller);
    const reference = input.reference ?? null;
    const ref: IdempotencyKeyRef = {
      scope: 'settlement-paid',
      actorId: input.caller.userId,
      key: input.idempotencyKey,
      requestHash: requestHash({ settlementId: input.settlementId, reference }),
    };
    return this.store.transaction(async (tx) => {
      const claim = await tx.claimIdempotencyKey(ref);
      if (claim.status === 'mismatch') throw new CodedError('IDEMPOTENCY_KEY_REUSED');
      if (claim.status === 'replay') return claim.response as SettlementView;

      const settlement = await tx.lockSettlement(input.settlementId);
      if (!settlement) throw new CodedError('NOT_FOUND', 'No such settlement.');
      settlement.markPaid({ reference, paidBy: input.caller.userId, at: new Date() });
      await tx.saveSettlement(settlement);
      const s = settlement.snapshot();
      await tx.publish(SettlementPaidV1, {
        settlementId: s.id,
        orderId: s.orderId,
        pharmacyId: s.pharmacyId,
        amountCents: s.amountCents,
        reference: s.reference,
        paidAt: s.paidAt!.toISOString(),
      });
      const view = settlementView(settlement);
      await tx.saveIdempotentResponse(ref, view);
      return view;
    });
  }
}
