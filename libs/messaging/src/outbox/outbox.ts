import { randomUUID } from 'node:crypto';
import { EXCHANGES, type Envelope, HEADERS, type MessageDefinition } from '@prescriptchain/contracts';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { z } from 'zod';
import type { AmqpConnection } from '../amqp/amqp.connection';
import { assertExchanges } from '../amqp/service.topology';
import type { Inbox } from '../inbox/inbox';
import { type MessagingLogger, describeError, nestLogger } from '../logger';
import type { MessagingMetrics } from '../metrics/messaging.metrics';
import type { SqlClient, SqlExecutor } from '../sql/sql-client';
import { SpanKind, contextFromHeaders, inSpan, traceHeaders } from '../tracing/trace-context';

export interface OutgoingMessage<S extends z.ZodType = z.ZodType> {
  definition: MessageDefinition<S>;
  payload: z.input<S>;
  /** Defaults to the new message's own id (a new conversation). */
  correlationId?: string;
  /** The messageId of the message that caused this one, if any. */
  causationId?: string | null;
}

export interface OutboxOptions {
  db: SqlClient;
  connection: AmqpConnection;
  service: string;
  metrics?: MessagingMetrics;
  logger?: MessagingLogger;
  /** Rows claimed (and confirmed together) per relay transaction. Default 100. */
  batchSize?: number;
  /** Sweeper period for rows a crash or an outage left behind. Default 1000. */
  sweepEveryMs?: number;
  /**
   * The sweeper's timer passes take only rows older than this: younger ones belong to the fast path
   * of the process that committed them (published from memory right after the commit), so two
   * replicas do not both publish the same row in the normal case (a fast path slower than this
   * — a broker in flow control, a starved pool — costs a duplicate, which the Inbox absorbs). Default
   * 1000 (a crash's leftovers go out within grace + `sweepEveryMs`).
   */
  sweepGraceMs?: number;
  /**
   * How long confirmed fast-path messages wait to be marked sent by the next `transaction` of this
   * outbox (one more statement in it, no commit of its own) before one autocommit UPDATE marks them.
   * Default 0: marks at once (the backlog gauge reads 0 as soon as the broker confirmed); a linger
   * saves commits but leaves confirmed rows counted as backlog meanwhile.
   */
  markLingerMs?: number;
  /** Bound on waiting for the broker's confirms of one batch. Default 5000. */
  publishTimeoutMs?: number;
  /** How long `stop()` keeps publishing what is pending. Default 5000. */
  flushTimeoutMs?: number;
  /** Retention housekeeping, run by the sweeper timer at start and then every `housekeepingEveryMs`. */
  inbox?: Inbox;
  inboxRetentionMs?: number;
  sentRetentionMs?: number;
  housekeepingEveryMs?: number;
  /**
   * Fault-injection seam for tests: runs after a batch's confirms, before its rows are marked sent.
   * Throwing here is a relay crash between publish and commit.
   */
  beforeMarkSent?: (messageIds: string[]) => Promise<void> | void;
}

interface OutboxRow {
  id: string | number | bigint;
  message_id: string;
  exchange: string;
  routing_key: string;
  type: string;
  envelope: Envelope | string;
  traceparent: string | null;
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * Transactional outbox. `enqueue` writes messages in the caller's transaction, so they exist iff the
 * state change committed.
 *
 * Fast path: `transaction` (or `kick(tx)` after the caller's own commit) knows the envelopes that
 * transaction wrote; once it committed they are published from memory (persistent, confirmed) and
 * then marked sent by one autocommit UPDATE shared by every commit that finished meanwhile. No
 * claim transaction, no extra round trips before the publish.
 *
 * Relay (sweeper): claims unsent rows (`FOR UPDATE SKIP LOCKED`, so replicas share the work),
 * publishes them and marks them sent in the same transaction. Its timer passes take only rows older
 * than `sweepGraceMs` (a young row is still its committer's fast path), so it picks up what a
 * failed publish, an outage or a crash between commit and publish left behind. A crash between
 * publish and mark-sent re-publishes: at-least-once, consumers dedupe with the Inbox.
 */
/** Outbox rows as parts of an INSERT (see `Outbox.insertFor`). */
export interface OutboxInsert {
  envelopes: Envelope[];
  /** `INSERT INTO outbox_message (columns)` */
  into: string;
  /** The VALUES rows, `($n::uuid, …), …` */
  rows: string;
  values: unknown[];
  /** `${into} VALUES ${rows}` */
  sql: string;
}

export class Outbox {
  private readonly db: SqlClient;
  private readonly connection: AmqpConnection;
  private readonly service: string;
  private readonly metrics?: MessagingMetrics;
  private readonly log: MessagingLogger;
  private readonly batchSize: number;
  private readonly sweepEveryMs: number;
  private readonly publishTimeoutMs: number;
  private readonly flushTimeoutMs: number;
  private readonly sweepGraceMs: number;
  private readonly opts: OutboxOptions;
  private channel?: ChannelWrapper;
  private sweeper?: NodeJS.Timeout;
  private lastHousekeeping = 0;
  private running?: Promise<void>;
  /** Kicks so far, and how many of them the latest claim query already covered (it started after them). */
  private kicks = 0;
  private covered = 0;
  /** Whether a pass was asked for that must not wait out the grace period (a kick, a reconnect, `relay()`). */
  private wantsAll = false;
  private stopped = false;
  /** The envelopes `enqueue` wrote in each transaction (the fast path publishes them after the commit). */
  private readonly wroteIn = new WeakMap<object, Envelope[]>();
  /** Transactions run by `transaction` (their commit is certainly followed by the fast path). */
  private readonly ownTx = new WeakSet<object>();
  /** Fast-path messages between commit and mark-sent: this process's relay leaves them alone. */
  private readonly fastInFlight = new Set<string>();
  private readonly fastWork = new Set<Promise<void>>();
  /** Confirmed fast-path messages waiting for the shared mark-sent UPDATE, and the one in flight. */
  private toMark: { messageId: string; done: () => void }[] = [];
  private marking?: Promise<void>;
  private markTimer?: NodeJS.Timeout;

  constructor(options: OutboxOptions) {
    this.opts = options;
    this.db = options.db;
    this.connection = options.connection;
    this.service = options.service;
    this.metrics = options.metrics;
    this.log = options.logger ?? nestLogger(`Outbox:${options.service}`);
    this.batchSize = options.batchSize ?? 100;
    this.sweepEveryMs = options.sweepEveryMs ?? 1_000;
    this.publishTimeoutMs = options.publishTimeoutMs ?? 5_000;
    this.flushTimeoutMs = options.flushTimeoutMs ?? 5_000;
    this.sweepGraceMs = options.sweepGraceMs ?? 1_000;
    this.metrics?.setBacklogSource(() => this.backlog());
  }

  /**
   * Validates and writes messages inside `tx` (the caller's transaction). Invalid payloads throw:
   * that is a bug in the caller, and the transaction must not commit. Returns the envelopes written.
   */
  async enqueue<S extends z.ZodType>(tx: SqlExecutor, message: OutgoingMessage<S>): Promise<Envelope<z.output<S>>>;
  async enqueue(tx: SqlExecutor, messages: OutgoingMessage[]): Promise<Envelope[]>;
  async enqueue(tx: SqlExecutor, input: OutgoingMessage | OutgoingMessage[]): Promise<Envelope | Envelope[]> {
    const messages = Array.isArray(input) ? input : [input];
    if (messages.length === 0) return [];
    const insert = this.insertFor(tx, messages);
    await tx.$executeRawUnsafe(insert.sql, ...insert.values);
    return Array.isArray(input) ? insert.envelopes : insert.envelopes[0];
  }

  /**
   * The outbox rows of `messages` (validated envelopes, as `enqueue` makes them) as an INSERT the
   * caller sends itself, in its transaction `tx` — folded into a statement of its own (a CTE), say,
   * to spare a round trip. `kick(tx)` once that transaction committed publishes them (the fast path).
   * `values` are numbered from `$offset + 1`.
   */
  insertFor(tx: object, input: OutgoingMessage | OutgoingMessage[], offset = 0): OutboxInsert {
    const messages = Array.isArray(input) ? input : [input];
    const { traceparent = null } = traceHeaders();
    const occurredAt = new Date().toISOString();
    const envelopes = messages.map((m): Envelope => {
      const parsed = m.definition.payload.safeParse(m.payload);
      if (!parsed.success) {
        throw new Error(`outbox: invalid ${m.definition.type} v${m.definition.version} payload: ${parsed.error.message}`);
      }
      const messageId = randomUUID();
      return {
        messageId,
        type: m.definition.type,
        version: m.definition.version,
        occurredAt,
        correlationId: m.correlationId ?? messageId,
        causationId: m.causationId ?? null,
        traceparent,
        payload: parsed.data,
      };
    });
    const values: unknown[] = [];
    const rows = envelopes.map((e) => {
      const base = offset + values.length;
      values.push(e.messageId, EXCHANGES.events, e.type, e.type, JSON.stringify(e), e.traceparent);
      return `($${base + 1}::uuid, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}::jsonb, $${base + 6})`;
    });
    const written = this.wroteIn.get(tx);
    if (written) written.push(...envelopes);
    else this.wroteIn.set(tx, envelopes);
    // Claimed for the fast path already: a relay pass of this process that starts between the
    // commit and the fast path (a kick, a reconnect) must not publish them too.
    if (this.ownTx.has(tx)) for (const e of envelopes) this.fastInFlight.add(e.messageId);
    const into = 'INSERT INTO outbox_message (message_id, exchange, routing_key, type, envelope, traceparent)';
    const list = rows.join(', ');
    return { envelopes, into, rows: list, values, sql: `${into} VALUES ${list}` };
  }

  /**
   * Runs `fn` in a transaction and, if it enqueued anything (on the `tx` it was given), publishes
   * those messages once it committed (the fast path). A transaction that wrote no message costs
   * nothing more. Does not wait for the publish.
   */
  async transaction<R>(fn: (tx: SqlExecutor) => Promise<R>, options?: { timeout?: number; maxWait?: number }): Promise<R> {
    let used: object | undefined;
    let result: R;
    // Confirmed messages still to be marked sent ride in this transaction: no commit of their own.
    const marks = this.toMark.splice(0);
    try {
      result = await this.db.$transaction(async (tx) => {
        used = tx;
        this.ownTx.add(tx);
        if (marks.length > 0) await this.markIn(tx, marks);
        return fn(tx);
      }, options);
    } catch (err) {
      // Rolled back: its messages never existed, and the marks it carried wait for the next round.
      if (used) for (const e of this.wroteIn.get(used) ?? []) this.fastInFlight.delete(e.messageId);
      if (marks.length > 0) {
        this.toMark.push(...marks);
        this.scheduleMarks();
      }
      throw err;
    }
    for (const m of marks) m.done();
    if (used) this.kick(used);
    return result;
  }

  /**
   * Call right after a commit that enqueued. With the committed transaction (the `tx` given to
   * `enqueue`), publishes its messages from memory (the fast path); without it, runs a relay pass
   * over every pending row. Never throws.
   */
  kick(committedTx?: object): void {
    if (this.stopped) return;
    if (committedTx !== undefined) {
      const envelopes = this.wroteIn.get(committedTx);
      if (!envelopes) return; // wrote nothing
      this.wroteIn.delete(committedTx);
      if (!this.fastPublish(envelopes)) for (const e of envelopes) this.fastInFlight.delete(e.messageId);
      return;
    }
    this.wantsAll = true;
    this.kicks++;
    void this.pass().catch(() => undefined);
  }

  /** Starts the sweeper (leftovers from crashes and outages; retention housekeeping) and publishes at once. */
  start(): void {
    if (this.sweeper || this.stopped) return;
    this.ensureChannel();
    this.sweeper = setInterval(() => this.sweep(), this.sweepEveryMs);
    this.sweeper.unref();
    // What an earlier process left behind goes out now, young or not.
    this.wantsAll = true;
    this.sweep();
  }

  /** Stops the sweeper after publishing what is pending (bounded by `flushTimeoutMs`). */
  async stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    const until = Date.now() + this.flushTimeoutMs;
    await this.settleFastPath();
    while (!this.stopped && Date.now() < until && this.connection.isConnected()) {
      await this.relay().catch(() => undefined);
      if ((await this.backlog().catch(() => 0)) === 0) break;
      await sleep(50);
    }
    this.stopped = true;
    await this.running?.catch(() => undefined);
    await this.channel?.close().catch(() => undefined);
    this.channel = undefined;
  }

  /** Unsent rows (the metrics gauge). */
  async backlog(): Promise<number> {
    const rows = await this.db.$queryRawUnsafe<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM outbox_message WHERE sent_at IS NULL',
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Deletes rows sent before `olderThan`; returns how many. */
  async purgeSent(olderThan: Date): Promise<number> {
    return this.db.$executeRawUnsafe(
      'DELETE FROM outbox_message WHERE sent_at IS NOT NULL AND sent_at < $1::timestamptz',
      olderThan.toISOString(),
    );
  }

  /**
   * One relay pass over every pending row (the fast path's in-flight messages aside, after waiting
   * for them to settle); single-flight per process: a kick during a pass schedules one more pass,
   * unless the pass's claim query started after that kick (its commit is then already seen: no empty
   * pass, no commit for nothing). Loops while batches come back full.
   */
  async relay(): Promise<void> {
    await this.settleFastPath();
    this.wantsAll = true;
    this.kicks++;
    return this.pass();
  }

  /** Waits until the fast path's publishes and mark-sent UPDATEs started so far have settled (not later ones: under traffic there always are). */
  private async settleFastPath(): Promise<void> {
    if (this.fastWork.size > 0) await Promise.allSettled([...this.fastWork]);
  }

  private pass(): Promise<void> {
    if (this.running) return this.running;
    const run = (async () => {
      try {
        do {
          while (!this.stopped && (await this.relayBatch()) === this.batchSize) {
            // full batch: more may be waiting
          }
        } while (this.covered !== this.kicks && !this.stopped);
      } finally {
        this.running = undefined;
      }
    })();
    this.running = run;
    return run;
  }

  private sweep(): void {
    if (!this.stopped) {
      this.kicks++;
      void this.pass().catch(() => undefined);
    }
    const every = this.opts.housekeepingEveryMs ?? DAY;
    if (Date.now() - this.lastHousekeeping >= every) {
      this.lastHousekeeping = Date.now();
      void this.housekeeping();
    }
  }

  private async housekeeping(): Promise<void> {
    try {
      const sent = await this.purgeSent(new Date(Date.now() - (this.opts.sentRetentionMs ?? 7 * DAY)));
      const seen = this.opts.inbox
        ? await this.opts.inbox.purgeOlderThan(new Date(Date.now() - (this.opts.inboxRetentionMs ?? 14 * DAY)))
        : 0;
      if (sent + seen > 0) this.log.info({ outboxPurged: sent, inboxPurged: seen }, 'messaging retention purge');
    } catch (err) {
      this.log.warn({ err: describeError(err) }, 'messaging retention purge failed');
    }
  }

  private ensureChannel(): ChannelWrapper {
    if (!this.channel) {
      this.channel = this.connection.createChannel({
        name: `${this.service}-outbox`,
        confirm: true,
        setup: (ch) => assertExchanges(ch),
      });
      // Rows written while the broker was away go out as soon as it is back.
      this.channel.on('connect', () => this.kick());
    }
    return this.channel;
  }

  /** Claims, publishes and marks one batch in one transaction; returns the number of rows claimed. */
  private async relayBatch(): Promise<number> {
    // Whatever was kicked until now is covered by this batch (or, offline, by the reconnect's kick).
    const kicks = this.kicks;
    if (!this.connection.isConnected()) {
      this.covered = kicks;
      return 0; // the sweeper / reconnect kick will come back
    }
    const graceMs = this.wantsAll ? 0 : this.sweepGraceMs;
    const channel = this.ensureChannel();
    try {
      return await this.db.$transaction(
        async (tx) => {
          // Set once the claim query is about to be sent: transactions that kicked before it committed first.
          this.covered = kicks;
          this.wantsAll = false;
          const rows = await tx.$queryRawUnsafe<OutboxRow[]>(
            `SELECT id, message_id, exchange, routing_key, type, envelope, traceparent
               FROM outbox_message
              WHERE sent_at IS NULL AND created_at <= now() - make_interval(secs => $2::int / 1000.0::float8)
                AND NOT (message_id = ANY(string_to_array($3, ',')::uuid[]))
              ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
            this.batchSize,
            graceMs,
            [...this.fastInFlight].join(','),
          );
          if (rows.length === 0) return 0;
          const results = await Promise.allSettled(rows.map((row) => this.publishRow(channel, row)));
          const sent = rows.filter((_, i) => results[i].status === 'fulfilled');
          if (sent.length > 0) {
            await this.opts.beforeMarkSent?.(sent.map((r) => r.message_id));
            await tx.$executeRawUnsafe(
              'UPDATE outbox_message SET sent_at = now() WHERE id = ANY(string_to_array($1, \',\')::bigint[])',
              sent.map((r) => String(r.id)).join(','),
            );
          }
          for (const [i, r] of results.entries()) {
            if (r.status === 'rejected') {
              const error = describeError(r.reason);
              this.log.warn({ messageId: rows[i].message_id, type: rows[i].type, err: error }, 'outbox publish failed; will retry');
              await tx.$executeRawUnsafe(
                'UPDATE outbox_message SET attempts = attempts + 1, last_error = $2 WHERE id = $1::bigint',
                String(rows[i].id),
                error,
              );
            }
          }
          return rows.length;
        },
        { timeout: this.publishTimeoutMs + 10_000, maxWait: 5_000 },
      );
    } catch (err) {
      this.log.error({ err: describeError(err) }, 'outbox relay batch failed; rows stay pending');
      return 0;
    }
  }

  /**
   * The fast path: publishes a committed transaction's envelopes (in order, confirmed), then queues
   * them for the shared mark-sent UPDATE. A failure leaves the rows to the relay (a reconnect's pass
   * or the sweeper once they are past the grace period).
   */
  private fastPublish(envelopes: Envelope[]): boolean {
    if (!this.connection.isConnected()) return false; // the reconnect's pass publishes them
    const channel = this.ensureChannel();
    for (const e of envelopes) this.fastInFlight.add(e.messageId);
    const rows = envelopes.map(
      (e): OutboxRow => ({
        id: 0,
        message_id: e.messageId,
        exchange: EXCHANGES.events,
        routing_key: e.type,
        type: e.type,
        envelope: e,
        traceparent: e.traceparent ?? null,
      }),
    );
    let failed = false;
    const work = (async () => {
      try {
        // Issued together, in order, on the one confirm channel: the broker keeps their order.
        const results = await Promise.allSettled(rows.map((row) => this.publishRow(channel, row)));
        const sent: string[] = [];
        for (const [i, r] of results.entries()) {
          if (r.status === 'fulfilled') sent.push(rows[i].message_id);
          else {
            failed = true;
            this.log.warn({ messageId: rows[i].message_id, type: rows[i].type, err: describeError(r.reason) }, 'outbox publish failed; the relay will retry');
          }
        }
        if (sent.length === 0) return;
        await this.opts.beforeMarkSent?.(sent);
        await this.markSent(sent);
      } catch (err) {
        this.log.warn({ err: describeError(err) }, 'outbox fast path failed after publish; the relay will re-publish');
      } finally {
        for (const e of envelopes) this.fastInFlight.delete(e.messageId);
        // Retry at once while the broker is there (it nacked or timed out); else its reconnect kicks.
        if (failed && this.connection.isConnected()) this.kick();
      }
    })();
    this.fastWork.add(work);
    void work.finally(() => this.fastWork.delete(work));
    return true;
  }

  /**
   * Marks messages sent: by the next `transaction` within `markLingerMs`, else by one autocommit
   * UPDATE shared by every message confirmed meanwhile.
   */
  private markSent(messageIds: string[]): Promise<void> {
    const done = messageIds.map((messageId) => new Promise<void>((resolve) => this.toMark.push({ messageId, done: resolve })));
    this.scheduleMarks();
    return Promise.all(done).then(() => undefined);
  }

  private scheduleMarks(): void {
    const linger = this.opts.markLingerMs ?? 0;
    if (linger <= 0 || this.stopped) {
      if (!this.marking) this.marking = this.markLoop();
      return;
    }
    if (this.markTimer) return;
    this.markTimer = setTimeout(() => {
      this.markTimer = undefined;
      if (this.toMark.length > 0 && !this.marking) this.marking = this.markLoop();
    }, linger);
  }

  private markIn(executor: SqlExecutor, batch: { messageId: string }[]): Promise<number> {
    return executor.$executeRawUnsafe(
      `UPDATE outbox_message SET sent_at = now()
        WHERE message_id = ANY(string_to_array($1, ',')::uuid[]) AND sent_at IS NULL`,
      batch.map((m) => m.messageId).join(','),
    );
  }

  private async markLoop(): Promise<void> {
    try {
      while (this.toMark.length > 0) {
        const batch = this.toMark;
        this.toMark = [];
        try {
          await this.markIn(this.db, batch);
        } catch (err) {
          // Unmarked rows are re-published by the relay once past the grace period: a duplicate, not a loss.
          this.log.warn({ err: describeError(err), messages: batch.length }, 'outbox mark-sent failed; the relay will re-publish');
        }
        for (const m of batch) m.done();
      }
    } finally {
      this.marking = undefined;
    }
  }

  private async publishRow(channel: ChannelWrapper, row: OutboxRow): Promise<void> {
    const envelope: Envelope = typeof row.envelope === 'string' ? JSON.parse(row.envelope) : row.envelope;
    // The publish span descends from the transaction that wrote the row, not from the relay's context.
    await inSpan(
      `${row.type} publish`,
      SpanKind.PRODUCER,
      contextFromHeaders(undefined, row.traceparent),
      {
        'messaging.system': 'rabbitmq',
        'messaging.operation.type': 'publish',
        'messaging.destination.name': row.exchange,
        'messaging.rabbitmq.destination.routing_key': row.routing_key,
        'messaging.message.id': row.message_id,
        'messaging.message.conversation_id': envelope.correlationId,
      },
      async (_span, ctx) => {
        await channel.publish(row.exchange, row.routing_key, Buffer.from(JSON.stringify(envelope)), {
          persistent: true,
          messageId: row.message_id,
          correlationId: envelope.correlationId,
          type: row.type,
          contentType: 'application/json',
          timestamp: Math.floor(Date.parse(envelope.occurredAt) / 1000),
          appId: this.service,
          headers: {
            [HEADERS.messageType]: row.type,
            [HEADERS.messageVersion]: envelope.version,
            // The row's own traceparent, unless a tracer made the publish span its child.
            ...(row.traceparent ? { [HEADERS.traceparent]: row.traceparent } : {}),
            ...traceHeaders(ctx),
          },
          timeout: this.publishTimeoutMs,
        });
      },
    );
    this.metrics?.countPublished();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
