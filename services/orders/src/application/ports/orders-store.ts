import type { Envelope, MessageDefinition, PayloadOf } from '@prescriptchain/contracts';
import type { Order, OrderStatus } from '../../domain/order/order.entity';

export interface PublishMeta {
  correlationId?: string;
  causationId?: string | null;
}

/** Whose orders a query may return: a practitioner's own, a pharmacy's claimed ones, or all (admin). */
export type OrderScope =
  | { kind: 'practitioner'; practitionerId: string }
  | { kind: 'pharmacy'; pharmacyId: string }
  | { kind: 'all' };

export interface OrderListQuery {
  scope: OrderScope;
  status?: OrderStatus;
  createdFrom?: Date;
  createdTo?: Date;
  sort: { field: 'createdAt' | 'updatedAt' | 'totalAmount' | 'status'; direction: 'asc' | 'desc' };
  page: number;
  limit: number;
}

export interface IdempotencyClaim {
  practitionerId: string;
  key: string;
  requestHash: string;
  orderId: string;
  at: Date;
  /** A record older than this no longer counts (the 24-hour window): the key is free again. */
  expiredBefore: Date;
}

/**
 * Thrown by `OrdersStore.transaction` when the Idempotency-Key its transaction was to hold is held
 * by another order (a live record, or a concurrent request that committed first): nothing of that
 * transaction was written.
 */
export class IdempotencyKeyHeld extends Error {
  constructor(readonly practitionerId: string, readonly key: string) {
    super('idempotency key held by another order');
  }
}

/**
 * Deadlines the jobs enforce: unanswered payments, paid credentials past their expiry, and
 * dispensing holds that lapsed without (re)submitted proof.
 */
export type DueKind = 'payment-timeout' | 'credential-expiry' | 'hold-lapse';

/**
 * One database transaction: row locks, the orders written in it, and the messages it causes
 * (outbox) and consumed (inbox) — all committed together or not at all.
 */
export interface OrdersTransaction {
  /** The order, locked until commit (`FOR UPDATE`); null when it does not exist. */
  lock(orderId: string): Promise<Order | null>;
  /** Up to `limit` orders past their deadline, locked, skipping rows another worker holds. */
  lockDue(kind: DueKind, now: Date, limit: number): Promise<Order[]>;
  insert(order: Order): Promise<void>;
  save(order: Order): Promise<void>;
  /**
   * Holds an Idempotency-Key for a practitioner, with the transaction's writes: they happen only if
   * the key is free (or its record past the window). When another order holds it, nothing is
   * written and the transaction rejects with IdempotencyKeyHeld (the caller replays that order).
   * A concurrent holder makes this wait for its commit.
   */
  holdIdempotencyKey(claim: IdempotencyClaim): Promise<void>;
  /** Inbox: true the first time `consumer` sees this message, false for a redelivery. */
  claimMessage(consumer: string, envelope: Pick<Envelope, 'messageId' | 'type'>): Promise<boolean>;
  /**
   * `claimMessage` and `lock` in one round trip: the inbox claim (claimed false for a redelivery,
   * whose effect is already done) and the order, locked (null when it does not exist).
   */
  claimMessageAndLock(
    consumer: string,
    envelope: Pick<Envelope, 'messageId' | 'type'>,
    orderId: string,
  ): Promise<{ claimed: boolean; order: Order | null }>;
  /** Outbox: published if and only if this transaction commits. */
  publish<D extends MessageDefinition>(
    definition: D,
    payload: PayloadOf<D>,
    meta?: PublishMeta,
  ): Promise<void>;
  /** Remembers a clinic's or a user's display name (from identity's events) for printed prescriptions. */
  recordPartyName(party: { kind: 'clinic' | 'user'; id: string; name: string; at: Date }): Promise<void>;
}

/** Orders' own database. */
export abstract class OrdersStore {
  abstract transaction<R>(work: (tx: OrdersTransaction) => Promise<R>): Promise<R>;
  abstract findById(orderId: string): Promise<Order | null>;
  abstract findByPlatformOrderId(platformOrderId: string): Promise<Order | null>;
  abstract list(query: OrderListQuery): Promise<{ orders: Order[]; total: number }>;
  abstract findIdempotencyKey(
    practitionerId: string,
    key: string,
    notBefore: Date,
  ): Promise<{ orderId: string; requestHash: string } | null>;
  /** Display names known from identity's events (null when never heard of). */
  abstract partyNames(ids: {
    clinicId: string;
    userId: string;
  }): Promise<{ clinic: string | null; user: string | null }>;
}
