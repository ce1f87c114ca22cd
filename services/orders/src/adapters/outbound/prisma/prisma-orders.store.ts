import { Injectable } from '@nestjs/common';
import type { Envelope, MessageDefinition, PayloadOf } from '@prescriptchain/contracts';
import { Inbox, Outbox, PiiCipher } from '@prescriptchain/messaging';
import {
  type DueKind,
  type IdempotencyClaim,
  IdempotencyKeyHeld,
  type OrderListQuery,
  OrdersStore,
  type OrdersTransaction,
  type PublishMeta,
} from '../../../application/ports/orders-store';
import { centsToDecimal, decimalToCents, decimalToMg, formatMg } from '../../../domain/order/order-money';
import {
  type Credential,
  type HistoryEntry,
  Order,
  type OrderStatus,
  type PatientDetails,
  type SafetyOverride,
} from '../../../domain/order/order.entity';
import { Prisma } from '../../../generated/prisma/client';
import { OrdersPrismaService } from './orders-prisma.service';

type Tx = Prisma.TransactionClient;

const WITH_LINES_AND_HISTORY = {
  items: { orderBy: { position: 'asc' } },
  history: { orderBy: { id: 'asc' } },
} as const satisfies Prisma.OrderInclude;

type OrderRow = Prisma.OrderGetPayload<{ include: typeof WITH_LINES_AND_HISTORY }>;

/** Deadline queries of the jobs; `$1` now, `$2` batch size. Rows another worker holds are skipped. */
const DUE_SQL: Record<DueKind, string> = {
  'payment-timeout': `SELECT id FROM orders WHERE status = 'PENDING_PAYMENT' AND payment_deadline_at <= $1::timestamptz
                       ORDER BY payment_deadline_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
  'credential-expiry': `SELECT id FROM orders WHERE status = 'PAID' AND expires_at <= $1::timestamptz
                         ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
  'hold-lapse': `SELECT id FROM orders WHERE status IN ('DISPENSING', 'REJECTED') AND hold_expires_at <= $1::timestamptz
                  ORDER BY hold_expires_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
};

const SORT_COLUMNS = {
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
  totalAmount: 'totalAmount',
  status: 'status',
} as const satisfies Record<OrderListQuery['sort']['field'], keyof Prisma.OrderOrderByWithRelationInput>;

/**
 * Orders in PostgreSQL through Prisma. Patient details and notes are encrypted with the PII cipher
 * before they reach a row; money goes to NUMERIC(12,2) through exact decimal strings; transactions
 * run through the Outbox so the relay publishes right after commit.
 */
@Injectable()
export class PrismaOrdersStore extends OrdersStore {
  constructor(
    private readonly prisma: OrdersPrismaService,
    private readonly outbox: Outbox,
    private readonly cipher: PiiCipher,
  ) {
    super();
  }

  async transaction<R>(work: (tx: OrdersTransaction) => Promise<R>): Promise<R> {
    const tx = new PrismaOrdersTransaction(this.prisma, this.cipher, this.outbox);
    let result: R;
    try {
      result = await work(tx);
      await tx.commit();
    } catch (err) {
      await tx.rollback();
      throw err;
    }
    // The outbox rows went in with the transaction's statements (not through Outbox.transaction),
    // so a relay pass is kicked once the commit made them visible. Not the outbox's fast path: with
    // several orders replicas, another replica's sweeper may take a row whose fast publish outlasts
    // the grace period, and publish it twice (seen under load in the two-replica e2e); the relay's
    // claim (SKIP LOCKED, marked sent in the same transaction) publishes each row once.
    if (tx.enqueued) this.outbox.kick();
    return result;
  }

  /**
   * `work`'s orders writes inside a Prisma interactive transaction someone else holds and commits
   * (one process doing a whole order in one transaction: the bench's monolith). Its queued writes
   * are sent before this returns; the outbox rows it writes are the holder's to have relayed.
   */
  async within<R>(tx: Tx, work: (tx: OrdersTransaction) => Promise<R>): Promise<R> {
    const orders = new PrismaOrdersTransaction(this.prisma, this.cipher, this.outbox, tx);
    const result = await work(orders);
    await orders.flushQueued();
    return result;
  }

  async findById(orderId: string): Promise<Order | null> {
    const rows = await this.prisma.$queryRawUnsafe<RawOrderRow[]>(ORDER_BY_ID_SQL(false), orderId);
    return rows[0] ? toOrder(fromRaw(rows[0]), this.cipher) : null;
  }

  async findByPlatformOrderId(platformOrderId: string): Promise<Order | null> {
    const row = await this.prisma.order.findUnique({
      where: { platformOrderId },
      include: WITH_LINES_AND_HISTORY,
    });
    return row ? toOrder(fromPrisma(row), this.cipher) : null;
  }

  async list(query: OrderListQuery): Promise<{ orders: Order[]; total: number }> {
    const where: Prisma.OrderWhereInput = {
      ...(query.scope.kind === 'practitioner' ? { practitionerId: query.scope.practitionerId } : {}),
      ...(query.scope.kind === 'pharmacy' ? { assignedPharmacyId: query.scope.pharmacyId } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.createdFrom || query.createdTo
        ? {
            createdAt: {
              ...(query.createdFrom ? { gte: query.createdFrom } : {}),
              ...(query.createdTo ? { lte: query.createdTo } : {}),
            },
          }
        : {}),
    };
    const { field, direction } = query.sort;
    const [rows, total] = await Promise.all([
      this.prisma.order.findMany({
        where,
        include: WITH_LINES_AND_HISTORY,
        orderBy: [{ [SORT_COLUMNS[field]]: direction }, { id: direction }],
        skip: (query.page - 1) * query.limit,
        take: query.limit,
      }),
      this.prisma.order.count({ where }),
    ]);
    return { orders: rows.map((r) => toOrder(fromPrisma(r), this.cipher)), total };
  }

  async findIdempotencyKey(practitionerId: string, key: string, notBefore: Date) {
    const rows = await this.prisma.$queryRawUnsafe<{ order_id: string; request_hash: string }[]>(
      `SELECT order_id, request_hash FROM order_idempotency_keys
        WHERE practitioner_id = $1::uuid AND key = $2 AND created_at >= $3::timestamptz`,
      practitionerId,
      key,
      notBefore.toISOString(),
    );
    return rows[0] ? { orderId: rows[0].order_id, requestHash: rows[0].request_hash } : null;
  }

  async partyNames(ids: { clinicId: string; userId: string }) {
    const rows = await this.prisma.orderPartyName.findMany({
      where: { id: { in: [ids.clinicId, ids.userId] } },
    });
    const name = (id: string, kind: string) => rows.find((r) => r.id === id && r.kind === kind)?.name ?? null;
    return { clinic: name(ids.clinicId, 'clinic'), user: name(ids.userId, 'user') };
  }
}

/** A queued write: the bodies of data-modifying CTEs, `$1..$n` numbered from 1 in `values`. */
interface QueuedWrite {
  parts: string[];
  values: unknown[];
}

const TRANSACTION_OPTIONS = { timeout: 20_000, maxWait: 10_000 };
const ROLLED_BACK = new Error('rolled back');

/** `INSERT INTO t (columns) VALUES rows` (how every queued INSERT is written). */
const PLAIN_INSERT = /^\s*(INSERT INTO \w+ \([^)]*\))\s+VALUES\s+([\s\S]+)$/;

/**
 * One orders transaction, lazily: writes (insert, save, publish) are queued and sent together as
 * ONE statement of data-modifying CTEs, right before the transaction's next read (so the read sees
 * them) or at the commit; the database transaction (BEGIN … COMMIT) is opened only by the first
 * statement that needs one — a read, a row lock, an inbox claim. A transaction that only writes
 * (creating an order) is therefore a single statement, atomic on its own, without BEGIN/COMMIT.
 * A queued write's failure (a constraint, say) surfaces at that statement and nothing commits, as
 * before. Two writes of the same order never share a statement (its sub-statements do not see each
 * other's changes).
 */
class PrismaOrdersTransaction implements OrdersTransaction {
  private queued: QueuedWrite[] = [];
  private readonly queuedOrders = new Set<string>();
  /** An Idempotency-Key the queued writes are conditional on (see holdIdempotencyKey). */
  private guard: IdempotencyClaim | null = null;
  private open: { tx: Promise<Tx>; end: (commit: boolean) => void; done: Promise<void> } | null = null;
  /** Whether an outbox row was written (the relay is kicked after the commit). */
  enqueued = false;

  constructor(
    private readonly prisma: OrdersPrismaService,
    private readonly cipher: PiiCipher,
    private readonly outbox: Outbox,
    held?: Tx,
  ) {
    if (held) this.open = { tx: Promise.resolve(held), end: () => undefined, done: Promise.resolve() };
  }

  /** Sends what is queued, in the open transaction (see PrismaOrdersStore.within). */
  flushQueued(): Promise<void> {
    return this.flush();
  }

  /** The interactive transaction, begun on first use; its callback waits for commit or rollback. */
  private db(): Promise<Tx> {
    if (!this.open) {
      let ready!: (tx: Tx) => void;
      let end!: (commit: boolean) => void;
      const decided = new Promise<boolean>((resolve) => (end = resolve));
      const tx = new Promise<Tx>((resolve) => (ready = resolve));
      const done = this.prisma.$transaction(async (t) => {
        ready(t);
        if (!(await decided)) throw ROLLED_BACK;
      }, TRANSACTION_OPTIONS);
      done.catch(() => undefined); // awaited by commit/rollback; a failure to begin rejects `tx` below
      this.open = {
        tx: Promise.race([tx, done.then(() => Promise.reject(new Error('transaction ended before use')))]),
        end,
        done,
      };
    }
    return this.open.tx;
  }

  async commit(): Promise<void> {
    if (this.open) {
      await this.flush();
      this.open.end(true);
      await this.open.done;
    } else {
      await this.flush(this.prisma); // one statement: atomic without a transaction around it
    }
  }

  async rollback(): Promise<void> {
    if (!this.open) return;
    this.open.end(false);
    await this.open.done.catch(() => undefined);
  }

  /**
   * Sends the queued writes as one statement (nothing when none are queued). Under a held
   * Idempotency-Key, every write is conditional on the key's claim in the same statement; when
   * another order holds it, nothing is written and IdempotencyKeyHeld is thrown.
   */
  private async flush(db?: OrdersPrismaService): Promise<void> {
    const guard = this.guard;
    if (!this.queued.length && !guard) return;
    const writes = this.queued;
    this.queued = [];
    this.queuedOrders.clear();
    this.guard = null;
    const values: unknown[] = [];
    const ctes: string[] = [];
    if (guard) {
      // A concurrent holder makes the INSERT wait for its commit; a record past the window is taken over.
      ctes.push(`k AS (INSERT INTO order_idempotency_keys (practitioner_id, key, request_hash, order_id, created_at)
        VALUES ($1::uuid, $2, $3, $4::uuid, $5::timestamptz)
        ON CONFLICT (practitioner_id, key) DO UPDATE
          SET request_hash = EXCLUDED.request_hash, order_id = EXCLUDED.order_id, created_at = EXCLUDED.created_at
          WHERE order_idempotency_keys.created_at < $6::timestamptz
        RETURNING 1)`);
      values.push(
        guard.practitionerId,
        guard.key,
        guard.requestHash,
        guard.orderId,
        guard.at.toISOString(),
        guard.expiredBefore.toISOString(),
      );
    }
    for (const w of writes) {
      const offset = values.length;
      values.push(...w.values);
      for (const part of w.parts) {
        const renumbered = part.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
        ctes.push(`w${ctes.length} AS (${guard ? conditionalOnKey(renumbered) : renumbered})`);
      }
    }
    const run = db ?? (await this.db());
    if (!guard) {
      await run.$executeRawUnsafe(`WITH ${ctes.join(', ')} SELECT 1`, ...values);
      return;
    }
    const [row] = await run.$queryRawUnsafe<{ claimed: number }[]>(
      `WITH ${ctes.join(', ')} SELECT (SELECT count(*) FROM k)::int AS claimed`,
      ...values,
    );
    if (Number(row?.claimed) !== 1) throw new IdempotencyKeyHeld(guard.practitionerId, guard.key);
  }

  private async queueOrderWrite(orderId: string, write: QueuedWrite): Promise<void> {
    if (this.queuedOrders.has(orderId)) await this.flush();
    this.queued.push(write);
    this.queuedOrders.add(orderId);
  }

  async lock(orderId: string): Promise<Order | null> {
    await this.flush();
    // The row lock and the whole order (lines, history) in one round trip.
    const rows = await (await this.db()).$queryRawUnsafe<RawOrderRow[]>(ORDER_BY_ID_SQL(true), orderId);
    return rows[0] ? toOrder(fromRaw(rows[0]), this.cipher) : null;
  }

  async claimMessageAndLock(
    consumer: string,
    envelope: Pick<Envelope, 'messageId' | 'type'>,
    orderId: string,
  ): Promise<{ claimed: boolean; order: Order | null }> {
    await this.flush();
    const [row] = await (await this.db()).$queryRawUnsafe<(RawOrderRow & { claimed: number })[]>(
      ORDER_BY_ID_SQL(true, true),
      orderId,
      ...Inbox.claimValues(consumer, envelope),
    );
    const claimed = Number(row?.claimed) === 1;
    return { claimed, order: claimed && row?.id ? toOrder(fromRaw(row), this.cipher) : null };
  }

  async lockDue(kind: DueKind, now: Date, limit: number): Promise<Order[]> {
    await this.flush();
    const due = await (await this.db()).$queryRawUnsafe<{ id: string }[]>(DUE_SQL[kind], now.toISOString(), limit);
    if (!due.length) return [];
    const rows = await (await this.db()).order.findMany({
      where: { id: { in: due.map((d) => d.id) } },
      include: WITH_LINES_AND_HISTORY,
    });
    return rows.map((r) => toOrder(fromPrisma(r), this.cipher));
  }

  async insert(order: Order): Promise<void> {
    // The order, its lines and its history in ONE statement (data-modifying CTEs; the foreign keys
    // are checked at the end of the statement, when the order row is there) — queued, so the
    // outbox row of its debit request joins that statement too.
    const o = order.snapshot;
    const sql = new SqlValues();
    const columns = [
      ['id', sql.add(o.id, 'uuid')],
      ['practitioner_id', sql.add(o.practitionerId, 'uuid')],
      ['clinic_id', sql.add(o.clinicId, 'uuid')],
      ['patient_info_enc', sql.add(this.cipher.encrypt(JSON.stringify(o.patient)))],
      ['packs', sql.add(o.packs, 'int')],
      ['created_at', sql.add(o.createdAt.toISOString(), 'timestamptz')],
      ...this.mutableColumns(order, sql),
    ];
    const parts = [
      `INSERT INTO orders (${columns.map((c) => c[0]).join(', ')}) VALUES (${columns.map((c) => c[1]).join(', ')})`,
    ];
    const orderId = sql.add(o.id, 'uuid');
    const items = itemsInsert(order, orderId, sql);
    if (items) parts.push(items);
    const history = historyInsert(order.newHistory, orderId, sql);
    if (history) parts.push(history);
    await this.queueOrderWrite(o.id, { parts, values: sql.values });
    order.markPersisted();
  }

  async save(order: Order): Promise<void> {
    const sql = new SqlValues();
    const orderId = sql.add(order.id, 'uuid');
    const set = this.mutableColumns(order, sql).map(([column, value]) => `${column} = ${value}`);
    const update = `UPDATE orders SET ${set.join(', ')} WHERE id = ${orderId}`;
    if (order.linesReplaced) {
      // Replaced lines reuse the (order_id, position) keys the deleted ones had: separate statements,
      // since the sub-statements of one WITH do not see each other's changes.
      await this.flush();
      await (await this.db()).$executeRawUnsafe(update, ...sql.values);
      await (await this.db()).$executeRawUnsafe('DELETE FROM order_items WHERE order_id = $1::uuid', order.id);
      const lines = new SqlValues();
      const items = itemsInsert(order, lines.add(order.id, 'uuid'), lines);
      if (items) await (await this.db()).$executeRawUnsafe(items, ...lines.values);
      const later = new SqlValues();
      const history = historyInsert(order.newHistory, later.add(order.id, 'uuid'), later);
      if (history) await (await this.db()).$executeRawUnsafe(history, ...later.values);
    } else {
      // The status move and its history entries: one statement (queued, with whatever it causes).
      const history = historyInsert(order.newHistory, orderId, sql);
      await this.queueOrderWrite(order.id, { parts: history ? [update, history] : [update], values: sql.values });
    }
    order.markPersisted();
  }

  async holdIdempotencyKey(claim: IdempotencyClaim): Promise<void> {
    await this.flush(); // writes queued before the key are not conditional on it
    this.guard = claim;
  }

  async claimMessage(consumer: string, envelope: Pick<Envelope, 'messageId' | 'type'>): Promise<boolean> {
    await this.flush();
    return Inbox.claim(await this.db(), consumer, envelope);
  }

  async publish<D extends MessageDefinition>(
    definition: D,
    payload: PayloadOf<D>,
    meta: PublishMeta = {},
  ): Promise<void> {
    // The outbox validates the payload and builds the envelope and its row; the row's INSERT is
    // queued, to go with the transaction's next statement, and published once this commits.
    const insert = this.outbox.insertFor(this, {
      definition,
      payload,
      correlationId: meta.correlationId,
      causationId: meta.causationId ?? null,
    });
    const taken: QueuedWrite[] = [{ parts: [insert.sql], values: insert.values }];
    this.queued.push(...taken);
    this.enqueued = true;
  }

  async recordPartyName(party: {
    kind: 'clinic' | 'user';
    id: string;
    name: string;
    at: Date;
  }): Promise<void> {
    await this.flush();
    await (await this.db()).orderPartyName.upsert({
      where: { id: party.id },
      create: { id: party.id, kind: party.kind, name: party.name, updatedAt: party.at },
      update: { kind: party.kind, name: party.name, updatedAt: party.at },
    });
  }

  /** Everything a move may change, as `[column, placeholder]` pairs valued in `sql`. */
  private mutableColumns(order: Order, sql: SqlValues): [string, string][] {
    const o = order.snapshot;
    const c = o.credential;
    const at = (d: Date | null | undefined) => sql.add(d ? d.toISOString() : null, 'timestamptz');
    return [
      ['status', sql.add(o.status)],
      ['notes_enc', sql.add(o.notes === null ? null : this.cipher.encrypt(o.notes))],
      ['total_amount', sql.add(centsToDecimal(o.totalCents), 'numeric')],
      [
        'safety_override',
        sql.add(
          o.safetyOverride ? JSON.stringify({ ...o.safetyOverride, at: o.safetyOverride.at.toISOString() }) : null,
          'jsonb',
        ),
      ],
      ['payment_attempts', sql.add(o.paymentAttempts, 'int')],
      ['payment_deadline_at', at(o.paymentDeadlineAt)],
      ['payment_failure_reason', sql.add(o.paymentFailureReason)],
      ['paid_at', at(o.paidAt)],
      ['refund_requested_at', at(o.refundRequestedAt)],
      ['platform_order_id', sql.add(c?.platformOrderId ?? null)],
      ['credential_kid', sql.add(c?.kid ?? null)],
      ['credential_token', sql.add(c?.token ?? null)],
      ['verification_code_hash', sql.add(c?.verificationCodeHash ?? null)],
      ['verification_code_salt', sql.add(c?.verificationCodeSalt ?? null)],
      ['verification_code_enc', sql.add(c?.verificationCodeEnc ?? null)],
      ['credential_issued_at', at(c?.issuedAt)],
      ['expires_at', at(c?.expiresAt)],
      ['assigned_pharmacy_id', sql.add(o.assignedPharmacyId, 'uuid')],
      ['payout_amount', sql.add(o.payoutCents === null ? null : centsToDecimal(o.payoutCents), 'numeric')],
      ['claimed_at', at(o.claimedAt)],
      ['hold_expires_at', at(o.holdExpiresAt)],
      ['fulfilled_at', at(o.fulfilledAt)],
      ['updated_at', at(o.updatedAt)],
    ];
  }
}

/**
 * A queued `INSERT … VALUES` made conditional on the Idempotency-Key's claim (`k`) of the same
 * statement: its rows are inserted only when the claim returned one.
 */
function conditionalOnKey(insert: string): string {
  const m = PLAIN_INSERT.exec(insert);
  if (!m) throw new Error('only INSERT … VALUES writes may go with an Idempotency-Key');
  return `${m[1]} SELECT * FROM (VALUES ${m[2]}) AS v WHERE EXISTS (SELECT 1 FROM k)`;
}

/** Positional parameters of a raw statement: `add` returns the placeholder (`$n::type`). */
class SqlValues {
  readonly values: unknown[] = [];

  add(value: unknown, type = 'text'): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
}

/** The order's lines as one multi-row INSERT (null when it has none). */
function itemsInsert(order: Order, orderId: string, sql: SqlValues): string | null {
  const rows = itemRows(order).map(
    (l) =>
      `(${[
        orderId,
        sql.add(l.position, 'int'),
        sql.add(l.medicineId, 'uuid'),
        sql.add(l.name),
        sql.add(l.pinyin),
        sql.add(l.englishName),
        sql.add(l.unit),
        sql.add(l.quantity, 'numeric'),
        sql.add(l.unitPrice, 'numeric'),
        sql.add(l.totalPrice, 'numeric'),
        sql.add(l.processing),
        sql.add(l.decoctionMethod),
        sql.add(l.dosageInstructions),
      ].join(', ')})`,
  );
  if (!rows.length) return null;
  return `INSERT INTO order_items (order_id, position, medicine_id, name, pinyin, english_name, unit, quantity,
            unit_price, total_price, processing, decoction_method, dosage_instructions) VALUES ${rows.join(', ')}`;
}

/** New history entries as one multi-row INSERT, ids in their order (null when there are none). */
function historyInsert(entries: readonly HistoryEntry[], orderId: string, sql: SqlValues): string | null {
  if (!entries.length) return null;
  const rows = entries.map(
    (h) =>
      `(${[orderId, sql.add(h.from), sql.add(h.to), sql.add(h.at.toISOString(), 'timestamptz'), sql.add(h.by), sql.add(h.reason)].join(', ')})`,
  );
  return `INSERT INTO order_history (order_id, from_status, to_status, at, by, reason) VALUES ${rows.join(', ')}`;
}

function itemRows(order: Order) {
  return order.snapshot.lines.map((l, position) => ({
    position,
    medicineId: l.medicineId,
    name: l.name,
    pinyin: l.pinyin,
    englishName: l.englishName,
    unit: l.unit,
    quantity: formatMg(l.quantityMg),
    unitPrice: centsToDecimal(l.unitPriceCents),
    totalPrice: centsToDecimal(l.totalCents),
    processing: l.processing,
    decoctionMethod: l.decoctionMethod,
    dosageInstructions: l.dosageInstructions,
  }));
}

/**
 * An order as read, decimals as exact text (NUMERIC never passes through a float) — what the Prisma
 * model rows and the raw `ORDER_BY_ID_SQL` rows both become before `toOrder`.
 */
interface OrderRecord
  extends Omit<OrderRow, 'items' | 'history' | 'totalAmount' | 'payoutAmount' | 'safetyOverride' | 'currency'> {
  totalAmount: string;
  payoutAmount: string | null;
  safetyOverride: unknown;
  items: (Omit<OrderRow['items'][number], 'orderId' | 'quantity' | 'unitPrice' | 'totalPrice'> & {
    quantity: string;
    unitPrice: string;
    totalPrice: string;
  })[];
  history: { fromStatus: string | null; toStatus: string; at: Date; by: string; reason: string | null }[];
}

function fromPrisma(row: OrderRow): OrderRecord {
  return {
    ...row,
    totalAmount: row.totalAmount.toFixed(2),
    payoutAmount: row.payoutAmount === null ? null : row.payoutAmount.toFixed(2),
    items: row.items.map((i) => ({
      ...i,
      quantity: i.quantity.toFixed(3),
      unitPrice: i.unitPrice.toFixed(2),
      totalPrice: i.totalPrice.toFixed(2),
    })),
  };
}

/**
 * One order with its lines and history in one statement (json aggregates, decimals as text),
 * optionally locking the order row (`FOR UPDATE` lives in the CTE: it cannot go with aggregates).
 * With `claim`, the same statement first claims a message in the inbox (`$2..$4`, Inbox.claimValues)
 * and answers one row whatever happens: `claimed` 1 or 0, and the order's columns (null when the
 * order does not exist).
 */
const ORDER_BY_ID_SQL = (forUpdate: boolean, claim = false) => `
  WITH ${claim ? `c AS (${Inbox.claimStatement(2)}), ` : ''}o AS (SELECT * FROM orders WHERE id = $1::uuid${forUpdate ? ' FOR UPDATE' : ''})
  SELECT ${claim ? '(SELECT count(*) FROM c)::int AS claimed, ' : ''}o.id, o.practitioner_id, o.clinic_id, o.status, o.patient_info_enc, o.notes_enc, o.packs,
         o.total_amount::text AS total_amount, o.safety_override, o.payment_attempts, o.payment_deadline_at,
         o.payment_failure_reason, o.paid_at, o.refund_requested_at, o.platform_order_id, o.credential_kid,
         o.credential_token, o.verification_code_hash, o.verification_code_salt, o.verification_code_enc,
         o.credential_issued_at, o.expires_at, o.assigned_pharmacy_id, o.payout_amount::text AS payout_amount,
         o.claimed_at, o.hold_expires_at, o.fulfilled_at, o.created_at, o.updated_at,
         (SELECT coalesce(json_agg(json_build_object(
                   'position', i.position, 'medicineId', i.medicine_id, 'name', i.name, 'pinyin', i.pinyin,
                   'englishName', i.english_name, 'unit', i.unit, 'quantity', i.quantity::text,
                   'unitPrice', i.unit_price::text, 'totalPrice', i.total_price::text, 'processing', i.processing,
                   'decoctionMethod', i.decoction_method, 'dosageInstructions', i.dosage_instructions)
                   ORDER BY i.position), '[]'::json)
            FROM order_items i WHERE i.order_id = o.id)::text AS items,
         (SELECT coalesce(json_agg(json_build_object(
                   'fromStatus', h.from_status, 'toStatus', h.to_status, 'at', h.at, 'by', h.by, 'reason', h.reason)
                   ORDER BY h.id), '[]'::json)
            FROM order_history h WHERE h.order_id = o.id)::text AS history
    FROM ${claim ? '(SELECT 1) AS one LEFT JOIN o ON true' : 'o'}`;

type Timestamp = Date | string;

interface RawOrderRow {
  id: string;
  practitioner_id: string;
  clinic_id: string;
  status: string;
  patient_info_enc: string;
  notes_enc: string | null;
  packs: number;
  total_amount: string;
  safety_override: unknown;
  payment_attempts: number;
  payment_deadline_at: Timestamp | null;
  payment_failure_reason: string | null;
  paid_at: Timestamp | null;
  refund_requested_at: Timestamp | null;
  platform_order_id: string | null;
  credential_kid: string | null;
  credential_token: string | null;
  verification_code_hash: string | null;
  verification_code_salt: string | null;
  verification_code_enc: string | null;
  credential_issued_at: Timestamp | null;
  expires_at: Timestamp | null;
  assigned_pharmacy_id: string | null;
  payout_amount: string | null;
  claimed_at: Timestamp | null;
  hold_expires_at: Timestamp | null;
  fulfilled_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** JSON text (see ORDER_BY_ID_SQL). */
  items: string;
  history: string;
}

const date = (t: Timestamp) => (t instanceof Date ? t : new Date(t));
const dateOrNull = (t: Timestamp | null) => (t === null ? null : date(t));

function fromRaw(r: RawOrderRow): OrderRecord {
  const history = JSON.parse(r.history) as (Omit<OrderRecord['history'][number], 'at'> & { at: string })[];
  return {
    id: r.id,
    practitionerId: r.practitioner_id,
    clinicId: r.clinic_id,
    status: r.status,
    patientInfoEnc: r.patient_info_enc,
    notesEnc: r.notes_enc,
    packs: Number(r.packs),
    totalAmount: r.total_amount,
    safetyOverride: typeof r.safety_override === 'string' ? JSON.parse(r.safety_override) : r.safety_override,
    paymentAttempts: Number(r.payment_attempts),
    paymentDeadlineAt: dateOrNull(r.payment_deadline_at),
    paymentFailureReason: r.payment_failure_reason,
    paidAt: dateOrNull(r.paid_at),
    refundRequestedAt: dateOrNull(r.refund_requested_at),
    platformOrderId: r.platform_order_id,
    credentialKid: r.credential_kid,
    credentialToken: r.credential_token,
    verificationCodeHash: r.verification_code_hash,
    verificationCodeSalt: r.verification_code_salt,
    verificationCodeEnc: r.verification_code_enc,
    credentialIssuedAt: dateOrNull(r.credential_issued_at),
    expiresAt: dateOrNull(r.expires_at),
    assignedPharmacyId: r.assigned_pharmacy_id,
    payoutAmount: r.payout_amount,
    claimedAt: dateOrNull(r.claimed_at),
    holdExpiresAt: dateOrNull(r.hold_expires_at),
    fulfilledAt: dateOrNull(r.fulfilled_at),
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
    items: JSON.parse(r.items) as OrderRecord['items'],
    history: history.map((h) => ({ ...h, at: new Date(h.at) })),
  };
}

function toOrder(row: OrderRecord, cipher: PiiCipher): Order {
  const credential: Credential | null =
    row.platformOrderId && row.credentialToken && row.expiresAt
      ? {
          platformOrderId: row.platformOrderId,
          token: row.credentialToken,
          kid: row.credentialKid ?? '',
          verificationCodeHash: row.verificationCodeHash ?? '',
          verificationCodeSalt: row.verificationCodeSalt ?? '',
          verificationCodeEnc: row.verificationCodeEnc ?? '',
          issuedAt: row.credentialIssuedAt ?? row.expiresAt,
          expiresAt: row.expiresAt,
        }
      : null;
  const override = row.safetyOverride as (Omit<SafetyOverride, 'at'> & { at: string }) | null;
  return Order.restore({
    id: row.id,
    practitionerId: row.practitionerId,
    clinicId: row.clinicId,
    status: row.status as OrderStatus,
    patient: JSON.parse(cipher.decrypt(row.patientInfoEnc)) as PatientDetails,
    notes: row.notesEnc === null ? null : cipher.decrypt(row.notesEnc),
    packs: row.packs,
    lines: row.items.map((i) => ({
      medicineId: i.medicineId,
      name: i.name,
      pinyin: i.pinyin,
      englishName: i.englishName,
      unit: i.unit,
      quantityMg: decimalToMg(i.quantity),
      unitPriceCents: decimalToCents(i.unitPrice),
      totalCents: decimalToCents(i.totalPrice),
      processing: i.processing,
      decoctionMethod: i.decoctionMethod,
      dosageInstructions: i.dosageInstructions,
    })),
    totalCents: decimalToCents(row.totalAmount),
    safetyOverride: override ? { ...override, at: new Date(override.at) } : null,
    paymentAttempts: row.paymentAttempts,
    paymentDeadlineAt: row.paymentDeadlineAt,
    paymentFailureReason: row.paymentFailureReason,
    paidAt: row.paidAt,
    refundRequestedAt: row.refundRequestedAt,
    credential,
    assignedPharmacyId: row.assignedPharmacyId,
    payoutCents: row.payoutAmount === null ? null : decimalToCents(row.payoutAmount),
    claimedAt: row.claimedAt,
    holdExpiresAt: row.holdExpiresAt,
    fulfilledAt: row.fulfilledAt,
    history: row.history.map((h) => ({
      from: h.fromStatus as OrderStatus | null,
      to: h.toStatus as OrderStatus,
      at: h.at,
      by: h.by,
      reason: h.reason,
    })),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  });
}
