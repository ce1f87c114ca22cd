import { Injectable, Logger } from '@nestjs/common';
import { RefundCompletedV1, refundReasonCode } from '@prescriptchain/contracts';
import { splitOf } from '../../domain/ledger-entry';
import { AccountsStore, type IncomingMessage } from '../ports/accounts-store';

export type RefundOutcome =
  | { outcome: 'duplicate' }
  | { outcome: 'refunded'; amountCents: number; toCreditCents: number; toBalanceCents: number }
  /** Another request for an order already refunded: no money moves, the completion is published again. */
  | { outcome: 'already-refunded'; amountCents: number; toCreditCents: number; toBalanceCents: number };

/**
 * Compensation: give back exactly what was debited for the order (credit first, then balance), once.
 * With nothing debited yet it records a zero refund, which makes a late debit for the order refused.
 */
@Injectable()
export class RefundOrderHandler {
  static readonly consumer = 'accounts.refund-order';
  private readonly log = new Logger(RefundOrderHandler.name);

  constructor(private readonly store: AccountsStore) {}

  async execute(
    command: { orderId: string; clinicId: string; reason: string },
    message?: IncomingMessage,
  ): Promise<RefundOutcome> {
    const { orderId, clinicId } = command;
    return this.store.transaction(async (tx): Promise<RefundOutcome> => {
      if (message && !(await tx.claimMessage(RefundOrderHandler.consumer, message)))
        return { outcome: 'duplicate' };

      const account = await tx.lockAccount(clinicId);
      if (!account) {
        // No account, so no debit could have happened (and none can: a debit needs the account).
        this.log.warn(`refund for order ${orderId}: clinic ${clinicId} has no account; nothing to refund`);
        await tx.publish(
          RefundCompletedV1,
          { orderId, clinicId, amountCents: 0, toCreditCents: 0, toBalanceCents: 0 },
          message,
        );
        return { outcome: 'refunded', amountCents: 0, toCreditCents: 0, toBalanceCents: 0 };
      }

      const { debit, refund } = await tx.findOrderEntries(orderId);
      if (refund) {
        const split = splitOf(refund.entry, refund.previous);
        const done = {
          amountCents: refund.entry.amountCents,
          toCreditCents: split.creditCents,
          toBalanceCents: split.balanceCents,
        };
        await tx.publish(RefundCompletedV1, { orderId, clinicId, ...done }, message);
        return { outcome: 'already-refunded', ...done };
      }
      if (debit && debit.entry.clinicId !== clinicId) {
        throw new Error(`order ${orderId} was debited to clinic ${debit.entry.clinicId}, not ${clinicId}`);
      }

      const amountCents = debit ? -debit.entry.amountCents : 0;
      const { split, ...entry } = account.refund(amountCents);
      await tx.saveAccount(account);
      // The ledger is append-only and readable by the whole clinic: a code, never free text.
      await tx.appendLedger({ ...entry, clinicId, orderId, reason: refundReasonCode(command.reason) });
      const done = { amountCents, toCreditCents: split.creditCents, toBalanceCents: split.balanceCents };
      await tx.publish(RefundCompletedV1, { orderId, clinicId, ...done }, message);
      return { outcome: 'refunded', ...done };
    });
  }
}
