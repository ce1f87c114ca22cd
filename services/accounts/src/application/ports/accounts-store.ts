import type { MessageDefinition, PayloadOf } from '@prescriptchain/contracts';
import type { ClinicAccount } from '../../domain/clinic-account.entity';
import type { LedgerEntry, Movement } from '../../domain/ledger-entry';
import type { PaymentSession, QrMethod } from '../../domain/payment-session.entity';
import type { Settlement, SettlementStatus } from '../../domain/settlement.entity';
import type { TopUp } from '../../domain/top-up.entity';
import type { ClinicScope } from '../caller-scope';

/** The message a consumer is handling: the inbox keys on it, and what it causes is correlated to it. */
export interface IncomingMessage {
  messageId: string;
  type: string;
  correlationId: string;
}

export interface PageRequest {
  page: number;
  limit: number;
}

export interface PageOf<T> {
  items: T[];
  total: number;
}

export interface NewLedgerEntry extends Movement {
  clinicId: string;
  orderId?: string | null;
  reference?: string | null;
  actorId?: string | null;
  reason?: string | null;
}

/** The ledger entries an order caused, with the entry before each (to recover how it split). */
export interface OrderEntries {
  debit: { entry: LedgerEntry; previous: LedgerEntry | null } | null;
  refund: { entry: LedgerEntry; previous: LedgerEntry | null } | null;
}

export type IdempotencyClaim =
  /** First use of the key: do the work, then `saveResponse` in the same transaction. */
  | { status: 'new' }
  /** Same key, same request: answer this again. */
  | { status: 'replay'; response: unknown }
  /** Same key, another request. */
  | { status: 'mismatch' };

export interface IdempotencyKeyRef {
  scope: 'adjustment' | 'settlement-paid';
  actorId: string;
  key: string;
  requestHash: string;
}

export interface SettlementFilter {
  status?: SettlementStatus;
  pharmacyId?: string;
}

export interface SettlementTotals {
  pendingCents: number;
  paidCents: number;
  pendingCount: number;
  paidCount: number;
}

/**
 * Everything one use case does to the database happens in one of these transactions: state, ledger,
 * inbox record and outgoing messages commit together or not at all.
 */
export interface AccountsTx {
  /** True the first time `consumer` sees this message; false for a redelivery (do nothing then). */
  claimMessage(consumer: string, message: IncomingMessage): Promise<boolean>;
  /** Queues a message in this transaction (the outbox); it is published only if the transaction commits. */
  publish<D extends MessageDefinition>(
    definition: D,
    payload: PayloadOf<D>,
    cause?: IncomingMessage,
  ): Promise<void>;

  /** False when the clinic already had an account. */
  openAccount(account: ClinicAccount): Promise<boolean>;
  /** The account, locked until the transaction ends (concurrent movements queue behind it). */
  lockAccount(clinicId: string): Promise<ClinicAccount | null>;
  saveAccount(account: ClinicAccount): Promise<Date>;
  appendLedger(entry: NewLedgerEntry): Promise<LedgerEntry>;
  findOrderEntries(orderId: string): Promise<OrderEntries>;

  /** Waits for a concurrent request with the same key to finish, then says what to do. */
  claimIdempotencyKey(ref: IdempotencyKeyRef): Promise<IdempotencyClaim>;
  /** Stores the response of a `new` claim (same transaction as the work). */
  saveIdempotentResponse(ref: IdempotencyKeyRef, response: unknown): Promise<void>;

  /** Inserts the top-up unless (requestedBy, idempotencyKey) exists; returns the stored one and its request hash. */
  insertTopUp(
    topUp: TopUp,
    key: { idempotencyKey: string; requestHash: string; provider: string },
  ): Promise<{ topUp: TopUp; requestHash: string; created: boolean }>;
  lockTopUp(id: string): Promise<TopUp | null>;
  lockTopUpByIntent(paymentIntentId: string): Promise<TopUp | null>;
  saveTopUp(topUp: TopUp): Promise<void>;
  /** False when the event was already recorded (a replay). */
  recordWebhookEvent(event: { id: string; type: string; paymentIntentId: string | null }): Promise<boolean>;

  /** Inserts the session unless (requestedBy, idempotencyKey) exists; returns the stored one and its request hash. */
  insertPaymentSession(
    session: PaymentSession,
    key: { idempotencyKey: string; requestHash: string },
  ): Promise<{ session: PaymentSession; requestHash: string; created: boolean }>;
  /** The session, locked until the transaction ends: notices, polls and cancels of one session queue. */
  lockPaymentSession(id: string): Promise<PaymentSession | null>;
  lockPaymentSessionByOutTradeNo(outTradeNo: string): Promise<PaymentSession | null>;
  savePaymentSession(session: PaymentSession): Promise<void>;
  /** Appends to the payment audit log (append-only). */
  recordPaymentNotice(notice: PaymentNoticeRecord): Promise<void>;

  /** False when the order already has a settlement. */
  openSettlement(settlement: Settlement): Promise<boolean>;
  lockSettlement(id: string): Promise<Settlement | null>;
  saveSettlement(settlement: Settlement): Promise<void>;
}

/** What a debit asks of the account it locks: the claim, the lock and the outcome in few statements. */
export interface DebitTx {
  /**
   * Claims `inbox` (when given) and locks the clinic's account, in one statement. `claimed` false is
   * a redelivery: nothing is locked, do nothing. `account` null: the clinic has no account.
   */
  claimAndLockAccount(
    clinicId: string,
    inbox?: { consumer: string; message: IncomingMessage },
  ): Promise<{ claimed: boolean; account: ClinicAccount | null }>;
  /**
   * In one statement: saves the (debited) account, appends `entry` and queues `message` — unless the
   * order already has a debit or refund entry, when nothing is written and this is false.
   */
  recordDebit<D extends MessageDefinition>(
    account: ClinicAccount,
    entry: NewLedgerEntry & { orderId: string },
    message: { definition: D; payload: PayloadOf<D>; cause?: IncomingMessage },
  ): Promise<boolean>;
  findOrderEntries(orderId: string): Promise<OrderEntries>;
  publish<D extends MessageDefinition>(
    definition: D,
    payload: PayloadOf<D>,
    cause?: IncomingMessage,
  ): Promise<void>;
}

export interface PaymentNoticeRecord {
  sessionId: string | null;
  method: QrMethod;
  source: 'notice' | 'reconcile' | 'cancel';
  noticeId: string | null;
  outcome:
    | 'credited'
    | 'duplicate'
    | 'refund_pending'
    | 'refunded'
    | 'refused_amount'
    | 'refused_unknown'
    | 'ignored'
    | 'expired'
    | 'cancelled';
  amountCents: number | null;
  currency: string | null;
  detail?: Record<string, unknown>;
}

/** Accounts' database (a process seam): the transactions above plus the read side. */
export abstract class AccountsStore {
  abstract transaction<R>(fn: (tx: AccountsTx) => Promise<R>): Promise<R>;
  /**
   * A debit's transaction (the saga's hot path): as `transaction`, but only what a debit does, so it
   * can hold the account's lock for as few round trips as possible.
   */
  abstract debitTransaction<R>(fn: (tx: DebitTx) => Promise<R>): Promise<R>;

  /** The account of `clinicId` if it is in `scope` (a clinic outside it is absent, as an unknown one is). */
  abstract findAccountForClinic(
    scope: ClinicScope,
    clinicId: string,
  ): Promise<{ account: ClinicAccount; updatedAt: Date } | null>;
  /** Newest first; nothing for a clinic outside `scope`. */
  abstract listLedgerForClinic(
    scope: ClinicScope,
    clinicId: string,
    page: PageRequest,
  ): Promise<PageOf<LedgerEntry>>;
  /** Newest first. */
  abstract listSettlements(filter: SettlementFilter, page: PageRequest): Promise<PageOf<Settlement>>;
  abstract settlementTotals(pharmacyId: string): Promise<SettlementTotals>;

  /** Any session, whoever's (the notice, reconciliation and refund paths: the provider is the authority). */
  abstract findPaymentSession(id: string): Promise<PaymentSession | null>;
  /** The session if it belongs to a clinic in `scope` (one of another clinic is absent). */
  abstract findPaymentSessionForClinic(scope: ClinicScope, id: string): Promise<PaymentSession | null>;
  /**
   * Claims up to `limit` sessions the reconciliation job should look at — pending and created before
   * `pendingBefore`, or owing a refund — whose `next_check_at` has come, and moves it `leaseMs` on.
   * `FOR UPDATE SKIP LOCKED`: replicas running the job at once never claim the same session.
   */
  abstract claimSessionsToReconcile(input: {
    pendingBefore: Date;
    leaseMs: number;
    limit: number;
  }): Promise<string[]>;
}
