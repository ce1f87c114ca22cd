import { Injectable } from '@nestjs/common';
import { CodedError, DebitRejectedV1, DebitSucceededV1, type PayloadOf } from '@prescriptchain/contracts';
import { splitOf } from '../../domain/ledger-entry';
import { AccountsStore, type IncomingMessage } from '../ports/accounts-store';

export type DebitRejection = PayloadOf<typeof DebitRejectedV1>['reason'];

export type DebitOutcome =
  /** This message was handled before: nothing done, nothing published. */
  | { outcome: 'duplicate' }
  | { outcome: 'debited'; fromBalanceCents: number; fromCreditCents: number }
  /** Another request for an order already debited: no money moves, the success is published again. */
  | { outcome: 'already-debited'; fromBalanceCents: number; fromCreditCents: number }
  | { outcome: 'rejected'; reason: DebitRejection };

/** The domain's refusals that are answers to orders (a rejection), not failures of the handler. */
const REFUSALS = new Set<string>(['INSUFFICIENT_FUNDS', 'ACCOUNT_SUSPENDED']);

/**
 * Saga step 2: pay for an order from its clinic's account, keyed by order id (one debit per order,
 * ever), under the account's row lock. The outcome goes back to orders through the outbox.
 */
@Injectable()
export class DebitOrderHandler {
  static readonly consumer = 'accounts.debit-order';

  constructor(private readonly store: AccountsStore) {}

  async execute(
    command: { orderId: string; clinicId: string; amountCents: number },
    message?: IncomingMessage,
  ): Promise<DebitOutcome> {
    const { orderId, clinicId, amountCents } = command;
    return this.store.debitTransaction(async (tx): Promise<DebitOutcome> => {
      const { claimed, account } = await tx.claimAndLockAccount(
        clinicId,
        message && { consumer: DebitOrderHandler.consumer, message },
      );
      if (!claimed) return { outcome: 'duplicate' };

      const reject = async (reason: DebitRejection): Promise<DebitOutcome> => {
        await tx.publish(DebitRejectedV1, { orderId, clinicId, amountCents, reason }, message);
        return { outcome: 'rejected', reason };
      };
      if (!account) return reject('ACCOUNT_NOT_FOUND');

      // The account's row lock is held from here to the commit. The usual case — the domain agrees
      // and the order has no entry yet — is one statement: account, ledger entry and outgoing message.
      let refusal: DebitRejection | undefined;
      try {
        const { split, ...entry } = account.debit(amountCents);
        const payload = {
          orderId,
          clinicId,
          amountCents,
          fromBalanceCents: split.balanceCents,
          fromCreditCents: split.creditCents,
        };
        const written = await tx.recordDebit(
          account,
          { ...entry, clinicId, orderId },
          { definition: DebitSucceededV1, payload, cause: message },
        );
        if (written) {
          return {
            outcome: 'debited',
            fromBalanceCents: split.balanceCents,
            fromCreditCents: split.creditCents,
          };
        }
      } catch (err) {
        if (!(err instanceof CodedError && REFUSALS.has(err.key))) throw err;
        refusal = err.key as DebitRejection;
      }

      // The order already has an entry (nothing was written), or the domain refused: what the order's
      // entries say comes first.
      const { debit, refund } = await tx.findOrderEntries(orderId);
      // A refund recorded first means orders gave up on this order: a late debit must not charge it.
      if (refund) return reject('ORDER_CANCELLED');
      if (debit) {
        if (debit.entry.clinicId !== clinicId) {
          throw new Error(`order ${orderId} was debited to clinic ${debit.entry.clinicId}, not ${clinicId}`);
        }
        const split = splitOf(debit.entry, debit.previous);
        await tx.publish(
          DebitSucceededV1,
          {
            orderId,
            clinicId,
            amountCents: -debit.entry.amountCents,
            fromBalanceCents: split.balanceCents,
            fromCreditCents: split.creditCents,
          },
          message,
        );
        return {
          outcome: 'already-debited',
          fromBalanceCents: split.balanceCents,
          fromCreditCents: split.creditCents,
        };
      }
      if (refusal) return reject(refusal);
      throw new Error(`the debit of order ${orderId} was not written, and the order has no entry`);
    });
  }
}
