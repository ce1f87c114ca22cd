import { type Envelope, EnvelopeSchema, findMessage } from '@prescriptchain/contracts';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConsumeMessage } from 'amqplib';
import { type MessagingLogger, describeError, nestLogger } from '../logger';
import { AmqpConnection } from './amqp.connection';
import { assertBroadcastQueue } from './service.topology';

export interface BroadcastSubscriptionOptions {
  url: string;
  /** Names the connection in RabbitMQ's management UI (e.g. `gateway-access-events`). */
  name: string;
  /** The event types to receive (each a binding on the events exchange). */
  types: readonly string[];
  /**
   * Called for every event, its payload parsed by the contracts registry. Synchronous and quick: a
   * cache invalidation, not work that can fail (nothing is retried; a throw is logged and dropped).
   */
  onEvent: (envelope: Envelope) => void;
  /**
   * Called with true once this process's queue is bound and consumed, with false the moment that
   * stops (connection lost, channel closed, consumer cancelled by the broker). Between a false and
   * the next true, events were missed.
   */
  onLiveChange?: (live: boolean) => void;
  logger?: MessagingLogger;
  reconnectSeconds?: number;
  heartbeatSeconds?: number;
}

/**
 * Every copy of an event, for each process that subscribes: a server-named, exclusive, auto-delete
 * queue of its own on the events exchange (assertBroadcastQueue), consumed without acks — for
 * state a process keeps about others' data (caches), where each replica must hear every event and
 * a missed one is handled by `onLiveChange(false)`, not by redelivery. A new queue is declared on
 * every (re)connect; a broker-cancelled consumer closes the channel, which reconnects.
 */
export class BroadcastSubscription {
  private readonly log: MessagingLogger;
  private connection?: AmqpConnection;
  private channel?: ChannelWrapper;
  private live = false;
  private closed = false;
  /** The channel of the current subscription: a late close of an older one says nothing. */
  private current?: Channel;
  private currentQueue?: string;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly options: BroadcastSubscriptionOptions) {
    this.log = options.logger ?? nestLogger(`BroadcastSubscription:${options.name}`);
  }

  /** The server-named queue of the current subscription (a new one on every reconnect). */
  get queue(): string | undefined {
    return this.live ? this.currentQueue : undefined;
  }

  /** The connection manager (as AmqpTransport.unwrap): e.g. to act as this queue's owner in tests. */
  unwrap<T>(): T {
    if (!this.connection) throw new Error('BroadcastSubscription is not started');
    return this.connection.manager as T;
  }

  /** True while this process's queue is bound and consumed. */
  isLive(): boolean {
    return this.live && !this.closed;
  }

  /** Connects in the background (once); reconnects by itself. */
  start(): void {
    if (this.connection || this.closed) return;
    const connection = new AmqpConnection({
      url: this.options.url,
      name: this.options.name,
      logger: this.log,
      reconnectSeconds: this.options.reconnectSeconds,
      heartbeatSeconds: this.options.heartbeatSeconds,
    });
    this.connection = connection;
    connection.manager.on('disconnect', () => this.setLive(false));
    this.channel = connection.createChannel({
      name: this.options.name,
      confirm: false,
      setup: (ch) => this.setup(ch),
    });
  }

  /** Resolves once live; rejects after `timeoutMs` (the subscription keeps trying). */
  async waitUntilLive(timeoutMs: number): Promise<void> {
    this.start();
    if (this.isLive()) return;
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(done);
        reject(new Error(`${this.options.name}: not subscribed within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(done);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.setLive(false);
    this.closed = true;
    await this.channel?.close().catch(() => undefined);
    await this.connection?.close();
  }

  private async setup(ch: Channel): Promise<void> {
    this.setLive(false);
    this.current = ch;
    ch.once('close', () => {
      if (this.current === ch) this.setLive(false);
    });
    const queue = await assertBroadcastQueue(ch, this.options.types);
    if (this.current === ch) this.currentQueue = queue;
    await ch.consume(
      queue,
      (msg) => {
        if (msg === null) {
          if (this.current !== ch) return;
          // The broker cancelled us (queue deleted, node going down): closing the channel makes
          // the connection reconnect, and setup declare a new queue.
          this.log.warn(
            { subscription: this.options.name },
            'consumer cancelled by the broker; resubscribing',
          );
          this.setLive(false);
          ch.close().catch(() => undefined);
          return;
        }
        this.deliver(msg);
      },
      { noAck: true, exclusive: true },
    );
    if (this.current === ch) this.setLive(true);
  }

  private deliver(msg: ConsumeMessage): void {
    let json: unknown;
    try {
      json = JSON.parse(msg.content.toString('utf8'));
    } catch {
      json = undefined;
    }
    const envelope = EnvelopeSchema.safeParse(json);
    const definition = envelope.success ? findMessage(envelope.data.type, envelope.data.version) : undefined;
    const payload = definition?.payload.safeParse(envelope.data!.payload);
    if (!envelope.success || !payload?.success) {
      // Never the payload itself in the log: events may carry personal data.
      this.log.warn(
        { subscription: this.options.name, type: msg.properties.type, messageId: msg.properties.messageId },
        'unreadable event ignored',
      );
      return;
    }
    try {
      this.options.onEvent({ ...envelope.data, payload: payload.data });
    } catch (err) {
      this.log.error(
        { subscription: this.options.name, type: envelope.data.type, err: describeError(err) },
        'event listener failed',
      );
    }
  }

  private setLive(live: boolean): void {
    if (this.closed || this.live === live) return;
    this.live = live;
    this.log.info({ subscription: this.options.name, live }, live ? 'subscribed' : 'subscription down');
    try {
      this.options.onLiveChange?.(live);
    } finally {
      if (live) for (const waiter of [...this.waiters]) waiter();
    }
  }
}
