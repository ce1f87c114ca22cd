import { randomUUID } from 'node:crypto';
import {
  centsToDecimal,
  decimalToCents,
  type MessageDefinition,
  type PayloadOf,
} from '@prescriptchain/contracts';
import type { PoolClient } from 'pg';
import { Inbox, type SqlExecutor } from '@prescriptchain/messaging';
import type {
  AccountsTx,
  DebitTx,
  IdempotencyClaim,
  IdempotencyKeyRef,
  IncomingMessage,
  NewLedgerEntry,
  OrderEntries,
  PaymentNoticeRecord,
  PageOf,
  PageRequest,
  SettlementFilter,
  SettlementTotals,
} from '../../../application/ports/accounts-store';
import { AccountsStore } from '../../../application/ports/accounts-store';
import { type AccountStatus, ClinicAccount } from '../../../domain/clinic-account.entity';
import type { LedgerEntry, LedgerEntryType } from '../../../domain/ledger-entry';
import {
  PaymentSession,
  type PaymentSessionStatus,
  type QrMethod,
  type RefundStatus,
} from '../../../domain/payment-session.entity';
import { Settlement, type SettlementStatus } from '../../../domain/settlement.entity';
import { TopUp, type TopUpStatus } from '../../../domain/top-up.entity';
import type {
  Prisma,
  LedgerEntry as LedgerRow,
  Settlement as SettlementRow,
} from '../../../generated/prisma/client';
import type { AccountsPrismaService } from './accounts-prisma.service';
import { type ClinicScope, inClinicScope } from '../../../application/caller-scope';

/** The part of the messaging kit's Outbox this store uses (structural, so tests can wrap it). */
export interface OutboxWriter {
  enqueue(
    tx: SqlExecutor,
    message: {
      definition: MessageDefinition;
      payload: unknown;
      correlationId?: string;
      causationId?: string | null;
    },
  ): Promise<unknown>;
  /** The outbox rows of a message for a statement of the caller's own, written in `tx` (see Outbox.insertFor). */
  insertFor(
    tx: object,
    message: {
      definition: MessageDefinition;
      payload: unknown;
      correlationId?: string;
      causationId?: string | null;
    },
    offset?: number,
  ): { into: string; rows: string; values: unknown[] };
  /** After a commit: publishes what `tx` wrote (the fast path), or without it every pending row. */
  kick(committedTx?: object): void;
}

// Bounded: a transaction waiting behind a locked account must give up rather than hang a consumer.
const TX_OPTIONS = { maxWait: 10_000, timeout: 15_000 };
// The same bounds on a debit's plain transaction (its statements, and its wait for the account's lock).
const DEBIT_TX_BEGIN = `BEGIN; SET LOCAL statement_timeout = ${TX_OPTIONS.timeout}; SET LOCAL lock_timeout = ${TX_OPTIONS.maxWait}`;

interface AccountRow {
  clinic_id: string;
  balance: string;
  credit_limit: string;
  used_credit: string;
  status: AccountStatus;
}

interface TopUpRow {
  id: string;
  clinic_id: string;
  amount: string;
  status: TopUpStatus;
  payment_intent_id: string | null;
  requested_by: string;
  request_hash: string;
  created_at: Date;
  completed_at: Date | null;
}

interface SettlementLockRow {
  id: string;
  order_id: string;
  clinic_id: string;
  pharmacy_id: string;
  amount: string;
  status: SettlementStatus;
  reference: string | null;
  paid_by: string | null;
  created_at: Date;
  paid_at: Date | null;
}

// NUMERIC columns are read as text in raw SQL, so no float ever holds an amount.
const TOP_UP_COLUMNS = `id, clinic_id, amount::text AS amount, status, payment_intent_id, requested_by, request_hash, created_at, completed_at`;

const toAccount = (r: AccountRow) =>
  ClinicAccount.restore({
    clinicId: r.clinic_id,
    balanceCents: decimalToCents(r.balance),
    creditLimitCents: decimalToCents(r.credit_limit),
    usedCreditCents: decimalToCents(r.used_credit),
    status: r.status,
  });

const toLedgerEntry = (r: LedgerRow): LedgerEntry => ({
  id: r.id,
  clinicId: r.clinicId,
  type: r.type as LedgerEntryType,
  amountCents: decimalToCents(r.amount),
  balanceAfterCents: decimalToCents(r.balanceAfter),
  usedCreditAfterCents: decimalToCents(r.usedCreditAfter),
  orderId: r.orderId,
  reference: r.reference,
  actorId: r.actorId,
  reason: r.reason,
  createdAt: r.createdAt,
});

/** A ledger row as LEDGER_COLUMNS selects it (amounts as text). */
interface LedgerSqlRow {
  id: string;
  clinic_id: string;
  type: string;
  amount: string;
  balance_after: string;
  used_credit_after: string;
  order_id: string | null;
  reference: string | null;
  actor_id: string | null;
  reason: string | null;
  created_at: Date | string;
}

const LEDGER_COLUMNS = (table: string, prefix = '') =>
  [
    'id',
    'clinic_id',
    'type',
    'amount::text',
    'balance_after::text',
    'used_credit_after::text',
    'order_id',
    'reference',
    'actor_id',
    'reason',
    'created_at',
  ]
    .map((c) => `${table}${c} AS ${prefix}${c.replace('::text', '')}`)
    .join(', ');

const fromLedgerSql = (row: LedgerSqlRow | Record<string, unknown>, prefix: string): LedgerEntry => {
  const r = row as unknown as Record<string, unknown>;
  const v = (c: keyof LedgerSqlRow) => r[`${prefix}${c}`];
  const created = v('created_at') as Date | string;
  return {
    id: v('id') as string,
    clinicId: v('clinic_id') as string,
    type: v('type') as LedgerEntryType,
    amountCents: decimalToCents(v('amount') as string),
    balanceAfterCents: decimalToCents(v('balance_after') as string),
    usedCreditAfterCents: decimalToCents(v('used_credit_after') as string),
    orderId: (v('order_id') as string | null) ?? null,
    reference: (v('reference') as string | null) ?? null,
    actorId: (v('actor_id') as string | null) ?? null,
    reason: (v('reason') as string | null) ?? null,
    createdAt: created instanceof Date ? created : new Date(created),
  };
};

const toTopUp = (r: TopUpRow) =>
  TopUp.restore({
    id: r.id,
    clinicId: r.clinic_id,
    amountCents: decimalToCents(r.amount),
    status: r.status,
    paymentIntentId: r.payment_intent_id,
    requestedBy: r.requested_by,
    createdAt: r.created_at,
    completedAt: r.completed_at,
  });

interface SessionRow {
  id: string;
  clinic_id: string;
  method: QrMethod;
  provider: string;
  amount: string;
  out_trade_no: string;
  provider_trade_no: string | null;
  qr_content: string | null;
  status: PaymentSessionStatus;
  expires_at: Date;
  requested_by: string;
  request_hash: string;
  created_at: Date;
  paid_at: Date | null;
  closed_at: Date | null;
  refund_status: RefundStatus | null;
  refund_no: string | null;
  refund_amount: string | null;
  refunded_at: Date | null;
}

const SESSION_COLUMNS = `id, clinic_id, method, provider, amount::text AS amount, out_trade_no, provider_trade_no, qr_content,
  status, expires_at, requested_by, request_hash, created_at, paid_at, closed_at, refund_status, refund_no,
  refund_amount::text AS refund_amount, refunded_at`;

const toSession = (r: SessionRow) =>
  PaymentSession.restore({
    id: r.id,
    clinicId: r.clinic_id,
    method: r.method,
    provider: r.provider,
    amountCents: decimalToCents(r.amount),
    currency: 'NZD',
    outTradeNo: r.out_trade_no,
    providerTradeNo: r.provider_trade_no,
    qrContent: r.qr_content,
    status: r.status,
    expiresAt: r.expires_at,
    requestedBy: r.requested_by,
    createdAt: r.created_at,
    paidAt: r.paid_at,
    closedAt: r.closed_at,
    refundStatus: r.refund_status,
    refundNo: r.refund_no,
    refundAmountCents: r.refund_amount === null ? null : decimalToCents(r.refund_amount),
    refundedAt: r.refunded_at,
  });

const toSettlement = (r: SettlementRow) =>
  Settlement.restore({
    id: r.id,
    orderId: r.orderId,
    clinicId: r.clinicId,
    pharmacyId: r.pharmacyId,
    amountCents: decimalToCents(r.amount),
    status: r.status as SettlementStatus,
    reference: r.reference,
    paidBy: r.paidBy,
    createdAt: r.createdAt,
    paidAt: r.paidAt,
  });

/** The order's debit and refund, each with the account's entry before it, in one statement. */
async function findOrderEntries(db: SqlExecutor, orderId: string): Promise<OrderEntries> {
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT ${LEDGER_COLUMNS('e.')}, ${LEDGER_COLUMNS('p.', 'p_')}
       FROM ledger_entry e
       LEFT JOIN LATERAL (SELECT * FROM ledger_entry p WHERE p.clinic_id = e.clinic_id AND p.seq < e.seq
                           ORDER BY p.seq DESC LIMIT 1) p ON true
      WHERE e.order_id = $1::uuid AND e.type IN ('debit', 'refund')
      ORDER BY e.seq`,
    orderId,
  );
  const of = (type: string) => {
    const row = rows.find((r) => r.type === type);
    if (!row) return null;
    return { entry: fromLedgerSql(row, ''), previous: row.p_id == null ? null : fromLedgerSql(row, 'p_') };
  };
  return { debit: of('debit'), refund: of('refund') };
}

class PrismaAccountsTx implements AccountsTx {
  published = false;

  constructor(
    private readonly tx: Prisma.TransactionClient,
    private readonly outbox: OutboxWriter,
  ) {}

  claimMessage(consumer: string, message: IncomingMessage): Promise<boolean> {
    return Inbox.claim(this.tx, consumer, message);
  }

  async publish<D extends MessageDefinition>(
    definition: D,
    payload: PayloadOf<D>,
    cause?: IncomingMessage,
  ): Promise<void> {
    await this.outbox.enqueue(this.tx, {
      definition,
      payload,
      correlationId: cause?.correlationId,
      causationId: cause?.messageId ?? null,
    });
    this.published = true;
  }

  async openAccount(account: ClinicAccount): Promise<boolean> {
    const s = account.snapshot();
    const inserted = await this.tx.$executeRaw`
      INSERT INTO clinic_account (clinic_id, balance, credit_limit, used_credit, status)
      VALUES (${s.clinicId}::uuid, ${centsToDecimal(s.balanceCents)}::numeric, ${centsToDecimal(s.creditLimitCents)}::numeric,
              ${centsToDecimal(s.usedCreditCents)}::numeric, ${s.status})
      ON CONFLICT (clinic_id) DO NOTHING`;
    return inserted === 1;
  }

  async lockAccount(clinicId: string): Promise<ClinicAccount | null> {
    const rows = await this.tx.$queryRaw<AccountRow[]>`
      SELECT clinic_id, balance::text AS balance, credit_limit::text AS credit_limit, used_credit::text AS used_credit, status
        FROM clinic_account WHERE clinic_id = ${clinicId}::uuid FOR UPDATE`;
    return rows[0] ? toAccount(rows[0]) : null;
  }

  async saveAccount(account: ClinicAccount): Promise<Date> {
    // Raw SQL on the debit's hot path; `updated_at` is set here as Prisma's @updatedAt would (the client's clock).
    const s = account.snapshot();
    const rows = await this.tx.$queryRaw<{ updated_at: Date }[]>`
      UPDATE clinic_account
         SET balance = ${centsToDecimal(s.balanceCents)}::numeric, credit_limit = ${centsToDecimal(s.creditLimitCents)}::numeric,
             used_credit = ${centsToDecimal(s.usedCreditCents)}::numeric, status = ${s.status},
             updated_at = ${new Date().toISOString()}::timestamptz
       WHERE clinic_id = ${s.clinicId}::uuid
       RETURNING updated_at`;
    if (!rows[0]) throw new Error(`no account for clinic ${s.clinicId}`);
    return new Date(rows[0].updated_at);
  }

  async appendLedger(entry: NewLedgerEntry): Promise<LedgerEntry> {
    const rows = await this.tx.$queryRawUnsafe<LedgerSqlRow[]>(
      `INSERT INTO ledger_entry (id, clinic_id, type, amount, balance_after, used_credit_after, order_id, reference, actor_id, reason)
       VALUES ($1::uuid, $2::uuid, $3, $4::numeric, $5::numeric, $6::numeric, $7::uuid, $8, $9::uuid, $10)
       RETURNING ${LEDGER_COLUMNS('')}`,
      randomUUID(),
      entry.clinicId,
      entry.type,
      centsToDecimal(entry.amountCents),
      centsToDecimal(entry.balanceAfterCents),
      centsToDecimal(entry.usedCreditAfterCents),
      entry.orderId ?? null,
      entry.reference ?? null,
      entry.actorId ?? null,
      entry.reason ?? null,
    );
    return fromLedgerSql(rows[0], '');
  }

  findOrderEntries(orderId: string): Promise<OrderEntries> {
    return findOrderEntries(this.tx, orderId);
  }

  async claimIdempotencyKey(ref: IdempotencyKeyRef): Promise<IdempotencyClaim> {
    // A concurrent request with the same key holds its uncommitted row: this INSERT waits for it,
    // then either inserts (it rolled back) or finds its committed response.
    const inserted = await this.tx.$executeRaw`
      INSERT INTO idempotency_record (scope, actor_id, key, request_hash, response)
      VALUES (${ref.scope}, ${ref.actorId}::uuid, ${ref.key}, ${ref.requestHash}, 'null'::jsonb)
      ON CONFLICT DO NOTHING`;
    if (inserted === 1) return { status: 'new' };
    const record = await this.tx.idempotencyRecord.findUniqueOrThrow({
      where: { scope_actorId_key: { scope: ref.scope, actorId: ref.actorId, key: ref.key } },
    });
    if (record.requestHash !== ref.requestHash) return { status: 'mismatch' };
    return { status: 'replay', response: record.response };
  }

  async saveIdempotentResponse(ref: IdempotencyKeyRef, response: unknown): Promise<void> {
    await this.tx.idempotencyRecord.update({
      where: { scope_actorId_key: { scope: ref.scope, actorId: ref.actorId, key: ref.key } },
      data: { response: response as Prisma.InputJsonValue },
    });
  }

  async insertTopUp(
    topUp: TopUp,
    key: { idempotencyKey: string; requestHash: string; provider: string },
  ): Promise<{ topUp: TopUp; requestHash: string; created: boolean }> {
    const s = topUp.snapshot();
    const inserted = await this.tx.$executeRaw`
      INSERT INTO top_up (id, clinic_id, amount, status, provider, payment_intent_id, requested_by, idempotency_key, request_hash, created_at)
      VALUES (${s.id}::uuid, ${s.clinicId}::uuid, ${centsToDecimal(s.amountCents)}::numeric, ${s.status}, ${key.provider},
              ${s.paymentIntentId}, ${s.requestedBy}::uuid, ${key.idempotencyKey}, ${key.requestHash}, ${s.createdAt}::timestamptz)
      ON CONFLICT (requested_by, idempotency_key) DO NOTHING`;
    const rows = await this.tx.$queryRawUnsafe<TopUpRow[]>(
      `SELECT ${TOP_UP_COLUMNS} FROM top_up WHERE requested_by = $1::uuid AND idempotency_key = $2`,
      s.requestedBy,
      key.idempotencyKey,
    );
    return { topUp: toTopUp(rows[0]), requestHash: rows[0].request_hash, created: inserted === 1 };
  }

  async lockTopUp(id: string): Promise<TopUp | null> {
    const rows = await this.tx.$queryRawUnsafe<TopUpRow[]>(
      `SELECT ${TOP_UP_COLUMNS} FROM top_up WHERE id = $1::uuid FOR UPDATE`,
      id,
    );
    return rows[0] ? toTopUp(rows[0]) : null;
  }

  async lockTopUpByIntent(paymentIntentId: string): Promise<TopUp | null> {
    const rows = await this.tx.$queryRawUnsafe<TopUpRow[]>(
      `SELECT ${TOP_UP_COLUMNS} FROM top_up WHERE payment_intent_id = $1 FOR UPDATE`,
      paymentIntentId,
    );
    return rows[0] ? toTopUp(rows[0]) : null;
  }

  async saveTopUp(topUp: TopUp): Promise<void> {
    const s = topUp.snapshot();
    await this.tx.topUp.update({
      where: { id: s.id },
      data: { status: s.status, paymentIntentId: s.paymentIntentId, completedAt: s.completedAt },
    });
  }

  async recordWebhookEvent(event: {
    id: string;
    type: string;
    paymentIntentId: string | null;
  }): Promise<boolean> {
    const inserted = await this.tx.$executeRaw`
      INSERT INTO payment_webhook_event (event_id, type, payment_intent_id)
      VALUES (${event.id}, ${event.type}, ${event.paymentIntentId})
      ON CONFLICT (event_id) DO NOTHING`;
    return inserted === 1;
  }

  async insertPaymentSession(
    session: PaymentSession,
    key: { idempotencyKey: string; requestHash: string },
  ): Promise<{ session: PaymentSession; requestHash: string; created: boolean }> {
    const s = session.snapshot();
    const inserted = await this.tx.$executeRaw`
      INSERT INTO payment_session (id, clinic_id, method, provider, amount, currency, out_trade_no, status, expires_at,
                                   requested_by, idempotency_key, request_hash, created_at, next_check_at)
      VALUES (${s.id}::uuid, ${s.clinicId}::uuid, ${s.method}, ${s.provider}, ${centsToDecimal(s.amountCents)}::numeric,
              ${s.currency}, ${s.outTradeNo}, ${s.status}, ${s.expiresAt}::timestamptz, ${s.requestedBy}::uuid,
              ${key.idempotencyKey}, ${key.requestHash}, ${s.createdAt}::timestamptz, ${s.createdAt}::timestamptz)
      ON CONFLICT (requested_by, idempotency_key) DO NOTHING`;
    const rows = await this.tx.$queryRawUnsafe<SessionRow[]>(
      `SELECT ${SESSION_COLUMNS} FROM payment_session WHERE requested_by = $1::uuid AND idempotency_key = $2`,
      s.requestedBy,
      key.idempotencyKey,
    );
    return { session: toSession(rows[0]), requestHash: rows[0].request_hash, created: inserted === 1 };
  }

  async lockPaymentSession(id: string): Promise<PaymentSession | null> {
    const rows = await this.tx.$queryRawUnsafe<SessionRow[]>(
      `SELECT ${SESSION_COLUMNS} FROM payment_session WHERE id = $1::uuid FOR UPDATE`,
      id,
    );
    return rows[0] ? toSession(rows[0]) : null;
  }

  async lockPaymentSessionByOutTradeNo(outTradeNo: string): Promise<PaymentSession | null> {
    const rows = await this.tx.$queryRawUnsafe<SessionRow[]>(
      `SELECT ${SESSION_COLUMNS} FROM payment_session WHERE out_trade_no = $1 FOR UPDATE`,
      outTradeNo,
    );
    return rows[0] ? toSession(rows[0]) : null;
  }

  async savePaymentSession(session: PaymentSession): Promise<void> {
    const s = session.snapshot();
    await this.tx.paymentSession.update({
      where: { id: s.id },
      data: {
        status: s.status,
        qrContent: s.qrContent,
        providerTradeNo: s.providerTradeNo,
        paidAt: s.paidAt,
        closedAt: s.closedAt,
        refundStatus: s.refundStatus,
        refundNo: s.refundNo,
        refundAmount: s.refundAmountCents === null ? null : centsToDecimal(s.refundAmountCents),
        refundedAt: s.refundedAt,
      },
    });
  }

  async recordPaymentNotice(n: PaymentNoticeRecord): Promise<void> {
    await this.tx.$executeRaw`
      INSERT INTO payment_notice (session_id, method, source, notice_id, outcome, amount, currency, detail)
      VALUES (${n.sessionId}::uuid, ${n.method}, ${n.source}, ${n.noticeId}, ${n.outcome},
              ${n.amountCents === null || n.amountCents < 0 ? null : centsToDecimal(n.amountCents)}::numeric,
              ${n.currency}, ${JSON.stringify(n.detail ?? {})}::jsonb)`;
  }

  async openSettlement(settlement: Settlement): Promise<boolean> {
    const s = settlement.snapshot();
    const inserted = await this.tx.$executeRaw`
      INSERT INTO settlement (id, order_id, clinic_id, pharmacy_id, amount, status, created_at)
      VALUES (${s.id}::uuid, ${s.orderId}::uuid, ${s.clinicId}::uuid, ${s.pharmacyId}::uuid,
              ${centsToDecimal(s.amountCents)}::numeric, ${s.status}, ${s.createdAt}::timestamptz)
      ON CONFLICT (order_id) DO NOTHING`;
    return inserted === 1;
  }

  async lockSettlement(id: string): Promise<Settlement | null> {
    const rows = await this.tx.$queryRaw<SettlementLockRow[]>`
      SELECT id, order_id, clinic_id, pharmacy_id, amount::text AS amount, status, reference, paid_by, created_at, paid_at
        FROM settlement WHERE id = ${id}::uuid FOR UPDATE`;
    const r = rows[0];
    if (!r) return null;
    return Settlement.restore({
      id: r.id,
      orderId: r.order_id,
      clinicId: r.clinic_id,
      pharmacyId: r.pharmacy_id,
      amountCents: decimalToCents(r.amount),
      status: r.status,
      reference: r.reference,
      paidBy: r.paid_by,
      createdAt: r.created_at,
      paidAt: r.paid_at,
    });
  }

  async saveSettlement(settlement: Settlement): Promise<void> {
    const s = settlement.snapshot();
    await this.tx.settlement.update({
      where: { id: s.id },
      data: { status: s.status, reference: s.reference, paidBy: s.paidBy, paidAt: s.paidAt },
    });
  }
}

const ACCOUNT_COLUMNS = `clinic_id, balance::text AS balance, credit_limit::text AS credit_limit, used_credit::text AS used_credit, status`;

/** A `pg` connection as the messaging kit's SqlExecutor (what the outbox writes with). */
const executorOf = (client: PoolClient): SqlExecutor => ({
  $executeRawUnsafe: async (query: string, ...values: unknown[]) =>
    (await client.query(query, values)).rowCount ?? 0,
  $queryRawUnsafe: async <T>(query: string, ...values: unknown[]) =>
    (await client.query(query, values)).rows as T,
});

/**
 * The debit's transaction on a plain `pg` connection: claim + lock, then one statement that writes
 * the account, its ledger entry and the outgoing message, then COMMIT — the account's row lock is
 * held for two round trips. The other outcomes (rejections, an order already debited) take a few more.
 */
class PgDebitTx implements DebitTx {
  published = false;
  /**
   * What the outbox rows it wrote are recorded under: after the commit, `kick(key)` for each
   * publishes them from memory (the outbox's fast path). A gated row that was not written has a key
   * of its own, never kicked.
   */
  readonly written: object[] = [];
  private readonly db: SqlExecutor;

  constructor(
    client: PoolClient,
    private readonly outbox: OutboxWriter,
  ) {
    this.db = executorOf(client);
  }

  async claimAndLockAccount(
    clinicId: string,
    inbox?: { consumer: string; message: IncomingMessage },
  ): Promise<{ claimed: boolean; account: ClinicAccount | null }> {
    // The account is locked only when the claim succeeded: a redelivery waits for nobody.
    const claim = inbox
      ? `claim AS (${Inbox.claimStatement(2)}), c AS (SELECT count(*)::int AS claimed FROM claim)`
      : 'c AS (SELECT 1 AS claimed)';
    const rows = await this.db.$queryRawUnsafe<(Partial<AccountRow> & { claimed: number })[]>(
      `WITH ${claim}
       SELECT c.claimed, a.* FROM c
         LEFT JOIN LATERAL (SELECT ${ACCOUNT_COLUMNS} FROM clinic_account
                             WHERE clinic_id = $1::uuid AND c.claimed = 1 FOR UPDATE) a ON true`,
      clinicId,
      ...(inbox ? Inbox.claimValues(inbox.consumer, inbox.message) : []),
    );
    const row = rows[0];
    if (!row || Number(row.claimed) !== 1) return { claimed: false, account: null };
    return { claimed: true, account: row.clinic_id ? toAccount(row as AccountRow) : null };
  }

  async recordDebit<D extends MessageDefinition>(
    account: ClinicAccount,
    entry: NewLedgerEntry & { orderId: string },
    message: { definition: D; payload: PayloadOf<D>; cause?: IncomingMessage },
  ): Promise<boolean> {
    const s = account.snapshot();
    const values: unknown[] = [
      entry.orderId,
      s.clinicId,
      centsToDecimal(s.balanceCents),
      centsToDecimal(s.creditLimitCents),
      centsToDecimal(s.usedCreditCents),
      s.status,
      new Date().toISOString(),
      randomUUID(),
      entry.type,
      centsToDecimal(entry.amountCents),
      centsToDecimal(entry.balanceAfterCents),
      centsToDecimal(entry.usedCreditAfterCents),
      entry.reference ?? null,
      entry.actorId ?? null,
      entry.reason ?? null,
    ];
    const outgoing = this.outboxInsert(message, values.length);
    // `gate` reads the ledger after the lock was granted (this statement's snapshot), so it sees a
    // debit or refund of this order committed while this transaction waited for the account.
    const rows = await this.db.$queryRawUnsafe<{ fresh: boolean; accounts: number }[]>(
      `WITH gate AS (
         SELECT NOT EXISTS (SELECT 1 FROM ledger_entry WHERE order_id = $1::uuid AND type IN ('debit', 'refund')) AS fresh
       ), account AS (
         UPDATE clinic_account
            SET balance = $3::numeric, credit_limit = $4::numeric, used_credit = $5::numeric, status = $6,
                updated_at = $7::timestamptz
          WHERE clinic_id = $2::uuid AND (SELECT fresh FROM gate)
          RETURNING 1
       ), entry AS (
         INSERT INTO ledger_entry (id, clinic_id, type, amount, balance_after, used_credit_after, order_id, reference, actor_id, reason)
         SELECT $8::uuid, $2::uuid, $9, $10::numeric, $11::numeric, $12::numeric, $1::uuid, $13, $14::uuid, $15
          WHERE (SELECT fresh FROM gate)
         RETURNING 1
       ), message AS (${outgoing.query})
       SELECT (SELECT fresh FROM gate) AS fresh, (SELECT count(*)::int FROM account) AS accounts`,
      ...values,
      ...outgoing.values,
    );
    const { fresh, accounts } = rows[0];
    if (!fresh) return false;
    if (Number(accounts) !== 1) throw new Error(`no account for clinic ${s.clinicId}`);
    this.written.push(outgoing.key);
    this.published = true;
    return true;
  }

  /**
   * The outbox's INSERT for `message` (the kit builds and validates the envelope), as a CTE body
   * that writes only when `gate` lets it, its parameters numbered after the statement's first `offset`.
   */
  private outboxInsert(
    message: { definition: MessageDefinition; payload: unknown; cause?: IncomingMessage },
    offset: number,
  ): { key: object; query: string; values: unknown[] } {
    const key = {};
    const insert = this.outbox.insertFor(
      key,
      {
        definition: message.definition,
        payload: message.payload,
        correlationId: message.cause?.correlationId,
        causationId: message.cause?.messageId ?? null,
      },
      offset,
    );
    return {
      key,
      query: `${insert.into} SELECT * FROM (VALUES ${insert.rows}) AS m WHERE (SELECT fresh FROM gate)`,
      values: insert.values,
    };
  }

  async findOrderEntries(orderId: string): Promise<OrderEntries> {
    return findOrderEntries(this.db, orderId);
  }

  async publish<D extends MessageDefinition>(
    definition: D,
    payload: PayloadOf<D>,
    cause?: IncomingMessage,
  ): Promise<void> {
    await this.outbox.enqueue(this.db, {
      definition,
      payload,
      correlationId: cause?.correlationId,
      causationId: cause?.messageId ?? null,
    });
    if (!this.written.includes(this.db)) this.written.push(this.db);
    this.published = true;
  }
}

/** AccountsStore on accounts' own PostgreSQL database, with the messaging kit's outbox and inbox. */
export class PrismaAccountsStore extends AccountsStore {
  constructor(
    private readonly prisma: AccountsPrismaService,
    private readonly outbox: OutboxWriter,
  ) {
    super();
  }

  async transaction<R>(fn: (tx: AccountsTx) => Promise<R>): Promise<R> {
    let committed: object | undefined;
    const result = await this.prisma.$transaction(async (client) => {
      const tx = new PrismaAccountsTx(client, this.outbox);
      const r = await fn(tx);
      if (tx.published) committed = client;
      return r;
    }, TX_OPTIONS);
    // Its messages, from memory, now that they are committed (the outbox's fast path).
    if (committed) this.outbox.kick(committed);
    return result;
  }

  async debitTransaction<R>(fn: (tx: DebitTx) => Promise<R>): Promise<R> {
    const client = await this.prisma.pool.connect();
    const tx = new PgDebitTx(client, this.outbox);
    let result: R;
    try {
      await client.query(DEBIT_TX_BEGIN);
      result = await fn(tx);
      await client.query('COMMIT');
    } catch (err) {
      // A connection that cannot roll back is dropped, not handed to the next transaction.
      const broken = await client.query('ROLLBACK').then(
        () => undefined,
        (rollbackErr: Error) => rollbackErr,
      );
      client.release(broken);
      throw err;
    }
    client.release();
    for (const key of tx.written) this.outbox.kick(key);
    return result;
  }

  async findAccountForClinic(
    scope: ClinicScope,
    clinicId: string,
  ): Promise<{ account: ClinicAccount; updatedAt: Date } | null> {
    if (!inClinicScope(scope, clinicId)) return null;
    const row = await this.prisma.clinicAccount.findUnique({ where: { clinicId } });
    if (!row) return null;
    const account = ClinicAccount.restore({
      clinicId: row.clinicId,
      balanceCents: decimalToCents(row.balance),
      creditLimitCents: decimalToCents(row.creditLimit),
      usedCreditCents: decimalToCents(row.usedCredit),
      status: row.status as AccountStatus,
    });
    return { account, updatedAt: row.updatedAt };
  }

  async listLedgerForClinic(
    scope: ClinicScope,
    clinicId: string,
    page: PageRequest,
  ): Promise<PageOf<LedgerEntry>> {
    if (!inClinicScope(scope, clinicId)) return { items: [], total: 0 };
    const [rows, total] = await Promise.all([
      this.prisma.ledgerEntry.findMany({
        where: { clinicId },
        orderBy: { seq: 'desc' },
        skip: (page.page - 1) * page.limit,
        take: page.limit,
      }),
      this.prisma.ledgerEntry.count({ where: { clinicId } }),
    ]);
    return { items: rows.map(toLedgerEntry), total };
  }

  async listSettlements(filter: SettlementFilter, page: PageRequest): Promise<PageOf<Settlement>> {
    const where = { status: filter.status, pharmacyId: filter.pharmacyId };
    const [rows, total] = await Promise.all([
      this.prisma.settlement.findMany({
        where,
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        skip: (page.page - 1) * page.limit,
        take: page.limit,
      }),
      this.prisma.settlement.count({ where }),
    ]);
    return { items: rows.map(toSettlement), total };
  }

  async findPaymentSession(id: string): Promise<PaymentSession | null> {
    return this.findPaymentSessionForClinic('all', id);
  }

  async findPaymentSessionForClinic(scope: ClinicScope, id: string): Promise<PaymentSession | null> {
    const rows = await this.prisma.$queryRawUnsafe<SessionRow[]>(
      `SELECT ${SESSION_COLUMNS} FROM payment_session WHERE id = $1::uuid AND ($2::uuid[] IS NULL OR clinic_id = ANY($2::uuid[]))`,
      id,
      scope === 'all' ? null : [...scope],
    );
    return rows[0] ? toSession(rows[0]) : null;
  }

  async claimSessionsToReconcile(input: {
    pendingBefore: Date;
    leaseMs: number;
    limit: number;
  }): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      UPDATE payment_session SET next_check_at = now() + ${input.leaseMs} * interval '1 millisecond'
       WHERE id IN (
         SELECT id FROM payment_session
          WHERE ((status = 'pending' AND created_at < ${input.pendingBefore}::timestamptz) OR refund_status = 'pending')
            AND next_check_at <= now()
          ORDER BY next_check_at
          LIMIT ${input.limit}
          FOR UPDATE SKIP LOCKED)
      RETURNING id`;
    return rows.map((r) => r.id);
  }

  async settlementTotals(pharmacyId: string): Promise<SettlementTotals> {
    const rows = await this.prisma.$queryRaw<{ status: SettlementStatus; n: number; total: string }[]>`
      SELECT status, count(*)::int AS n, coalesce(sum(amount), 0)::text AS total
        FROM settlement WHERE pharmacy_id = ${pharmacyId}::uuid GROUP BY status`;
    const of = (status: SettlementStatus) => rows.find((r) => r.status === status);
    return {
      pendingCents: decimalToCents(of('pending_payment')?.total ?? '0'),
      paidCents: decimalToCents(of('paid')?.total ?? '0'),
      pendingCount: of('pending_payment')?.n ?? 0,
      paidCount: of('paid')?.n ?? 0,
    };
  }
}
