import {
  AccountsStore,
  type AccountsTx,
  type DebitTx,
  type NewLedgerEntry,
} from '../../../services/accounts/src/application/ports/accounts-store';

/** Which debit a fault is armed for (orders mint order ids, so tests usually match on the clinic). */
export type DebitMatch = (entry: NewLedgerEntry) => boolean;
type DebitHook = (entry: NewLedgerEntry) => Promise<void>;

/**
 * Accounts' real store with two one-shot faults a test arms for the next matching debit:
 * - `failAfterDebitInsert`: the debit's ledger row is written, then the transaction throws — a crash
 *   between two steps of the debit. `onRolledBack` runs once PostgreSQL has rolled it back and
 *   before the handler's failure reaches the transport (so before any retry can happen).
 * - `afterDebitCommit`: the debit commits, then `hook` runs before the handler returns, i.e. before
 *   the transport can ack — where a test kills the process's broker connection.
 * Everything else is the real store.
 */
export class FaultInjectingAccountsStore extends AccountsStore {
  private readonly failing: { match: DebitMatch; hook: DebitHook }[] = [];
  private readonly afterCommit: { match: DebitMatch; hook: DebitHook }[] = [];
  /** Debit ledger rows written per order id, whether their transaction committed or not. */
  readonly debitInserts = new Map<string, number>();

  constructor(private readonly real: AccountsStore) {
    super();
  }

  failAfterDebitInsert(match: DebitMatch, onRolledBack: DebitHook = async () => undefined): void {
    this.failing.push({ match, hook: onRolledBack });
  }

  afterDebitCommit(match: DebitMatch, hook: DebitHook): void {
    this.afterCommit.push({ match, hook });
  }

  transaction<R>(fn: (tx: AccountsTx) => Promise<R>): Promise<R> {
    return this.injecting((seen) => this.real.transaction((tx) => fn(this.watch(tx, 'appendLedger', seen))));
  }

  debitTransaction<R>(fn: (tx: DebitTx) => Promise<R>): Promise<R> {
    return this.injecting((seen) =>
      this.real.debitTransaction((tx) => fn(this.watch(tx, 'recordDebit', seen))),
    );
  }

  private async injecting<R>(run: (seen: Seen) => Promise<R>): Promise<R> {
    const seen: Seen = {};
    let result: R;
    try {
      result = await run(seen);
    } catch (err) {
      if (seen.injected && seen.debit) await seen.injected(seen.debit);
      throw err;
    }
    const armed = seen.debit ? take(this.afterCommit, seen.debit) : undefined;
    if (armed && seen.debit) await armed(seen.debit);
    return result;
  }

  findAccountForClinic: AccountsStore['findAccountForClinic'] = (scope, clinicId) =>
    this.real.findAccountForClinic(scope, clinicId);
  listLedgerForClinic: AccountsStore['listLedgerForClinic'] = (scope, clinicId, page) =>
    this.real.listLedgerForClinic(scope, clinicId, page);
  listSettlements: AccountsStore['listSettlements'] = (filter, page) =>
    this.real.listSettlements(filter, page);
  settlementTotals: AccountsStore['settlementTotals'] = (pharmacyId) =>
    this.real.settlementTotals(pharmacyId);
  findPaymentSession: AccountsStore['findPaymentSession'] = (id) => this.real.findPaymentSession(id);
  findPaymentSessionForClinic: AccountsStore['findPaymentSessionForClinic'] = (scope, id) =>
    this.real.findPaymentSessionForClinic(scope, id);
  claimSessionsToReconcile: AccountsStore['claimSessionsToReconcile'] = (input) =>
    this.real.claimSessionsToReconcile(input);

  /** `tx` with its debit ledger write (`appendLedger`, or the debit's one-statement `recordDebit`) watched. */
  private watch<T extends AccountsTx | DebitTx>(
    tx: T,
    method: 'appendLedger' | 'recordDebit',
    seen: Seen,
  ): T {
    const written = (entry: NewLedgerEntry): void => {
      seen.debit = entry;
      this.debitInserts.set(entry.orderId!, (this.debitInserts.get(entry.orderId!) ?? 0) + 1);
      const onRolledBack = take(this.failing, entry);
      if (onRolledBack) {
        seen.injected = onRolledBack;
        throw new Error(`injected failure after the debit ledger insert of order ${entry.orderId}`);
      }
    };
    const watched = async (...args: unknown[]) => {
      const result: unknown = await (tx[method as keyof T] as (...a: unknown[]) => Promise<unknown>).apply(
        tx,
        args,
      );
      const entry = (method === 'appendLedger' ? args[0] : args[1]) as NewLedgerEntry;
      // recordDebit's false: the order had an entry already, nothing was written.
      if (entry.type === 'debit' && entry.orderId && result !== false) written(entry);
      return result;
    };
    return new Proxy(tx, {
      get(target, property, receiver) {
        if (property === method) return watched;
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
}

type Seen = { debit?: NewLedgerEntry; injected?: DebitHook };

/** Removes and returns the hook of the first armed fault matching `entry` (each fires once). */
function take(armed: { match: DebitMatch; hook: DebitHook }[], entry: NewLedgerEntry): DebitHook | undefined {
  const i = armed.findIndex((a) => a.match(entry));
  return i < 0 ? undefined : armed.splice(i, 1)[0].hook;
}
