import { Injectable } from '@nestjs/common';
import type { Envelope, MessageDefinition, PayloadOf } from '@prescriptchain/contracts';
import { Inbox, Outbox, PiiCipher } from '@prescriptchain/messaging';
import {
  type DueKind,
  type IdempotencyClaim,
  type IdempotencyOutcome,
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

  transaction<R>(work: (tx: OrdersTransaction) => Promise<R>): Promise<R> {
    return this.outbox.transaction(
      (tx) => work(new PrismaOrdersTransaction(tx as Tx, this.outbox, this.cipher)),
      {
        timeout: 20_000,
        maxWait: 10_000,
      },
    );
  }

  async findById(orderId: string): Promise<Order | null> {
    const row = await this.prisma.order.findUnique({
      where: { id: orderId },
      include: WITH_LINES_AND_HISTORY,
    });
    return row ? toOrder(row, this.cipher) : null;
  }

  async findByPlatformOrderId(platformOrderId: string): Promise<Order | null> {
    const row = await this.prisma.order.findUnique({
      where: { platformOrderId },
      include: WITH_LINES_AND_HISTORY,
    });
    return row ? toOrder(row, this.cipher) : null;
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
    return { orders: rows.map((r) => toOrder(r, this.cipher)), total };
  }

  async findIdempotencyKey(practitionerId: string, key: string, notBefore: Date) {
    const row = await this.prisma.orderIdempotencyKey.findUnique({
      where: { practitionerId_key: { practitionerId, key } },
    });
    return row && row.createdAt >= notBefore ? { orderId: row.orderId, requestHash: row.requestHash } : null;
  }

  async partyNames(ids: { clinicId: string; userId: string }) {
    const rows = await this.prisma.orderPartyName.findMany({
      where: { id: { in: [ids.clinicId, ids.userId] } },
    });
    const name = (id: string, kind: string) => rows.find((r) => r.id === id && r.kind === kind)?.name ?? null;
    return { clinic: name(ids.clinicId, 'clinic'), user: name(ids.userId, 'user') };
  }
}

class PrismaOrdersTransaction implements OrdersTransaction {
  constructor(
    private readonly tx: Tx,
    private readonly outbox: Outbox,
    private readonly cipher: PiiCipher,
  ) {}

  async lock(orderId: string): Promise<Order | null> {
    const locked = await this.tx.$queryRawUnsafe<{ id: string }[]>(
      'SELECT id FROM orders WHERE id = $1::uuid FOR UPDATE',
      orderId,
    );
    if (!locked.length) return null;
    const row = await this.tx.order.findUniqueOrThrow({
      where: { id: orderId },
      include: WITH_LINES_AND_HISTORY,
    });
    return toOrder(row, this.cipher);
  }

  async lockDue(kind: DueKind, now: Date, limit: number): Promise<Order[]> {
    const due = await this.tx.$queryRawUnsafe<{ id: string }[]>(DUE_SQL[kind], now.toISOString(), limit);
    if (!due.length) return [];
    const rows = await this.tx.order.findMany({
      where: { id: { in: due.map((d) => d.id) } },
      include: WITH_LINES_AND_HISTORY,
    });
    return rows.map((r) => toOrder(r, this.cipher));
  }

  async insert(order: Order): Promise<void> {
    const o = order.snapshot;
    await this.tx.order.create({
      data: {
        id: o.id,
        practitionerId: o.practitionerId,
        clinicId: o.clinicId,
        patientInfoEnc: this.cipher.encrypt(JSON.stringify(o.patient)),
        packs: o.packs,
        createdAt: o.createdAt,
        ...this.mutableColumns(order),
        items: { create: itemRows(order) },
        history: { create: order.newHistory.map(historyRow) },
      },
    });
    order.markPersisted();
  }

  async save(order: Order): Promise<void> {
    const orderId = order.id;
    await this.tx.order.update({ where: { id: orderId }, data: this.mutableColumns(order) });
    if (order.linesReplaced) {
      await this.tx.orderItem.deleteMany({ where: { orderId } });
      await this.tx.orderItem.createMany({ data: itemRows(order).map((item) => ({ ...item, orderId })) });
    }
    if (order.newHistory.length) {
      await this.tx.orderHistoryEntry.createMany({
        data: order.newHistory.map((h) => ({ ...historyRow(h), orderId })),
      });
    }
    order.markPersisted();
  }

  async claimIdempotencyKey(claim: IdempotencyClaim): Promise<IdempotencyOutcome> {
    // A concurrent holder makes this wait for its commit; a record past the window is taken over.
    const taken = await this.tx.$queryRawUnsafe<{ order_id: string }[]>(
      `INSERT INTO order_idempotency_keys (practitioner_id, key, request_hash, order_id, created_at)
       VALUES ($1::uuid, $2, $3, $4::uuid, $5::timestamptz)
       ON CONFLICT (practitioner_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, order_id = EXCLUDED.order_id, created_at = EXCLUDED.created_at
         WHERE order_idempotency_keys.created_at < $6::timestamptz
       RETURNING order_id`,
      claim.practitionerId,
      claim.key,
      claim.requestHash,
      claim.orderId,
      claim.at.toISOString(),
      claim.expiredBefore.toISOString(),
    );
    if (taken.length) return { claimed: true };
    const held = await this.tx.orderIdempotencyKey.findUniqueOrThrow({
      where: { practitionerId_key: { practitionerId: claim.practitionerId, key: claim.key } },
    });
    return { claimed: false, orderId: held.orderId, requestHash: held.requestHash };
  }

  claimMessage(consumer: string, envelope: Pick<Envelope, 'messageId' | 'type'>): Promise<boolean> {
    return Inbox.claim(this.tx, consumer, envelope);
  }

  async publish<D extends MessageDefinition>(
    definition: D,
    payload: PayloadOf<D>,
    meta: PublishMeta = {},
  ): Promise<void> {
    await this.outbox.enqueue(this.tx, {
      definition,
      payload,
      correlationId: meta.correlationId,
      causationId: meta.causationId ?? null,
    });
  }

  async recordPartyName(party: {
    kind: 'clinic' | 'user';
    id: string;
    name: string;
    at: Date;
  }): Promise<void> {
    await this.tx.orderPartyName.upsert({
      where: { id: party.id },
      create: { id: party.id, kind: party.kind, name: party.name, updatedAt: party.at },
      update: { kind: party.kind, name: party.name, updatedAt: party.at },
    });
  }

  /** Everything a move may change. */
  private mutableColumns(order: Order) {
    const o = order.snapshot;
    const c = o.credential;
    return {
      status: o.status,
      notesEnc: o.notes === null ? null : this.cipher.encrypt(o.notes),
      totalAmount: centsToDecimal(o.totalCents),
      safetyOverride: o.safetyOverride
        ? ({ ...o.safetyOverride, at: o.safetyOverride.at.toISOString() } as Prisma.InputJsonValue)
        : Prisma.DbNull,
      paymentAttempts: o.paymentAttempts,
      paymentDeadlineAt: o.paymentDeadlineAt,
      paymentFailureReason: o.paymentFailureReason,
      paidAt: o.paidAt,
      refundRequestedAt: o.refundRequestedAt,
      platformOrderId: c?.platformOrderId ?? null,
      credentialKid: c?.kid ?? null,
      credentialToken: c?.token ?? null,
      verificationCodeHash: c?.verificationCodeHash ?? null,
      verificationCodeSalt: c?.verificationCodeSalt ?? null,
      verificationCodeEnc: c?.verificationCodeEnc ?? null,
      credentialIssuedAt: c?.issuedAt ?? null,
      expiresAt: c?.expiresAt ?? null,
      assignedPharmacyId: o.assignedPharmacyId,
      payoutAmount: o.payoutCents === null ? null : centsToDecimal(o.payoutCents),
      claimedAt: o.claimedAt,
      holdExpiresAt: o.holdExpiresAt,
      fulfilledAt: o.fulfilledAt,
      updatedAt: o.updatedAt,
    };
  }
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

function historyRow(h: HistoryEntry) {
  return { fromStatus: h.from, toStatus: h.to, at: h.at, by: h.by, reason: h.reason };
}

function toOrder(row: OrderRow, cipher: PiiCipher): Order {
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
      quantityMg: decimalToMg(i.quantity.toFixed(3)),
      unitPriceCents: decimalToCents(i.unitPrice.toFixed(2)),
      totalCents: decimalToCents(i.totalPrice.toFixed(2)),
      processing: i.processing,
      decoctionMethod: i.decoctionMethod,
      dosageInstructions: i.dosageInstructions,
    })),
    totalCents: decimalToCents(row.totalAmount.toFixed(2)),
    safetyOverride: override ? { ...override, at: new Date(override.at) } : null,
    paymentAttempts: row.paymentAttempts,
    paymentDeadlineAt: row.paymentDeadlineAt,
    paymentFailureReason: row.paymentFailureReason,
    paidAt: row.paidAt,
    refundRequestedAt: row.refundRequestedAt,
    credential,
    assignedPharmacyId: row.assignedPharmacyId,
    payoutCents: row.payoutAmount === null ? null : decimalToCents(row.payoutAmount.toFixed(2)),
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
