import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { EXCHANGES, OrderPaidV1, OrderPaymentFailedV1 } from '@prescriptchain/contracts';
import { AmqpConnection, assertExchanges, type Logger } from '@prescriptchain/messaging';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { GatewayConfig } from '../gateway.config';
import { LOGGER } from '../logger.token';

export type OrderOutcome = 'paid' | 'payment_failed';

const OUTCOME_OF: Record<string, OrderOutcome> = {
  [OrderPaidV1.type]: 'paid',
  [OrderPaymentFailedV1.type]: 'payment_failed',
};

/** One registered wait: settles with the outcome event, or null when its time is up (or on shutdown). */
export interface OutcomeWait {
  readonly outcome: Promise<OrderOutcome | null>;
  /** Stop waiting (idempotent); the promise settles with null if it had not settled yet. */
  cancel(): void;
}

/**
 * Tells a request waiting on an order's payment when orders publishes its outcome
 * (`orders.order.paid` / `orders.order.payment_failed`), so POST /orders can answer 201 or 402 as
 * soon as the saga ends instead of polling.
 *
 * Every gateway instance has its OWN exclusive, auto-delete queue bound to the events exchange for
 * both types, so each replica hears every outcome whichever replica took the request. The queue is
 * declared in the channel's setup, so it comes back (with its bindings and consumer) after every
 * reconnect. Events are transient hints here (noAck, nothing durable): whoever waits re-reads the
 * order afterwards, so an event lost while the broker was away costs a 202, never a wrong answer.
 */
@Injectable()
export class OrderOutcomeWaiter implements OnModuleInit, OnApplicationShutdown {
  readonly queue = `gateway.order-outcomes.${randomUUID()}`;
  private readonly waiters = new Map<string, Set<(outcome: OrderOutcome | null) => void>>();
  private connection?: AmqpConnection;
  private channel?: ChannelWrapper;
  private listening = false;
  private closed = false;

  constructor(
    private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Connects in the background: start-up never waits for the broker. */
  onModuleInit(): void {
    this.start();
  }

  /** True while the queue is declared, bound and consumed. */
  isListening(): boolean {
    return this.listening && !this.closed && !!this.connection?.isConnected();
  }

  /**
   * Starts listening for `orderId`'s outcome now (register BEFORE reading the order's status, so an
   * outcome published in between is not missed). Settles with null after `timeoutMs`.
   */
  wait(orderId: string, timeoutMs: number = this.config.orderWaitMs): OutcomeWait {
    let settle!: (outcome: OrderOutcome | null) => void;
    const outcome = new Promise<OrderOutcome | null>((resolve) => {
      const timer = setTimeout(() => settle(null), timeoutMs);
      settle = (value) => {
        clearTimeout(timer);
        const set = this.waiters.get(orderId);
        set?.delete(settle);
        if (set?.size === 0) this.waiters.delete(orderId);
        resolve(value);
      };
    });
    if (this.closed) settle(null);
    else {
      const set = this.waiters.get(orderId) ?? new Set();
      set.add(settle);
      this.waiters.set(orderId, set);
    }
    return { outcome, cancel: () => settle(null) };
  }

  /** How many requests are waiting (metrics, tests). */
  get waiting(): number {
    let n = 0;
    for (const set of this.waiters.values()) n += set.size;
    return n;
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    for (const set of [...this.waiters.values()]) for (const settle of [...set]) settle(null);
    await this.connection
      ?.close()
      .catch((err) => this.logger.warn({ err }, 'closing the outcome queue failed'));
  }

  private start(): void {
    if (this.connection || this.closed) return;
    const connection = new AmqpConnection({
      url: this.config.amqpUrl,
      name: 'gateway-order-outcomes',
      logger: this.logger,
    });
    this.connection = connection;
    connection.manager.on('disconnect', () => {
      this.listening = false;
    });
    this.channel = connection.createChannel({
      name: 'gateway-order-outcomes',
      setup: async (ch) => {
        this.listening = false;
        await assertExchanges(ch);
        await ch.assertQueue(this.queue, { exclusive: true, autoDelete: true, durable: false });
        for (const type of Object.keys(OUTCOME_OF)) await ch.bindQueue(this.queue, EXCHANGES.events, type);
        await ch.consume(this.queue, (msg) => msg && this.onMessage(msg), { noAck: true });
      },
    });
    this.channel.on('connect', () => {
      this.listening = true;
    });
  }

  private onMessage(msg: ConsumeMessage): void {
    const outcome = OUTCOME_OF[msg.fields.routingKey];
    if (!outcome) return;
    let orderId: unknown;
    try {
      orderId = (JSON.parse(msg.content.toString('utf8')) as { payload?: { orderId?: unknown } }).payload
        ?.orderId;
    } catch {
      return; // not an envelope: nobody can be waiting for it
    }
    if (typeof orderId !== 'string') return;
    const set = this.waiters.get(orderId);
    if (set) for (const settle of [...set]) settle(outcome);
  }
}
