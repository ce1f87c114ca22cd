import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type Envelope, OrderPaidV1, OrderPaymentFailedV1 } from '@prescriptchain/contracts';
import { BroadcastSubscription, type Logger } from '@prescriptchain/messaging';
import { GatewayConfig } from '../gateway.config';
import { LOGGER } from '../logger.token';

export type OrderOutcome = 'paid' | 'payment_failed';

const OUTCOME_OF: Record<string, OrderOutcome> = {
  [OrderPaidV1.type]: 'paid',
  [OrderPaymentFailedV1.type]: 'payment_failed',
};

/** An outcome event as heard: which outcome, of which payment attempt, and a refusal's reason. */
export interface OutcomeNotice {
  readonly outcome: OrderOutcome;
  /** The attempt it ends (1 = the first payment); absent in events from an orders that predates it. */
  readonly paymentAttempt?: number;
  /** payment_failed: accounts' reason (INSUFFICIENT_FUNDS, ...) or TIMEOUT. */
  readonly reason?: string;
}

/** One registered wait: settles with the outcome event, or null when its time is up (or on shutdown). */
export interface OutcomeWait<T = OrderOutcome> {
  readonly outcome: Promise<T | null>;
  /** Stop waiting (idempotent); the promise settles with null if it had not settled yet. */
  cancel(): void;
}

/**
 * How long, and how many, outcomes heard are remembered for a request that starts waiting after its
 * order's outcome arrived (orders' reply to create can reach the gateway after the saga's outcome).
 */
const RECENT_MS = 60_000;
const RECENT_MAX = 20_000;

interface Heard extends OutcomeNotice {
  readonly at: number;
}

/**
 * Tells a request waiting on an order's payment when orders publishes its outcome
 * (`orders.order.paid` / `orders.order.payment_failed`), so POST /orders can answer 201 or 402 as
 * soon as the saga ends instead of polling.
 *
 * Every gateway instance has its OWN exclusive, auto-delete queue bound to the events exchange for
 * both types (a BroadcastSubscription), so each replica hears every outcome whichever replica took
 * the request, and a new one after every reconnect. Events are transient hints here (noAck, nothing durable): an event lost while the
 * broker was away costs a 202, never a wrong answer. What was heard is remembered for a minute
 * (at most RECENT_MAX orders), so a request whose order's outcome arrived before orders' answer to
 * it still finds it — without reading the order to close that race. An outcome carries no secret:
 * the paid order's credential is read from orders, never taken from the broker.
 */
@Injectable()
export class OrderOutcomeWaiter implements OnModuleInit, OnApplicationShutdown {
  private readonly waiters = new Map<string, Set<(notice: Heard | null) => void>>();
  /** Outcomes heard lately, by order, oldest order first (a Map keeps insertion order). */
  private readonly recent = new Map<string, Heard[]>();
  private subscription?: BroadcastSubscription;
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
    return !this.closed && !!this.subscription?.isLive();
  }

  /** This instance's queue while listening (a new one after every reconnect). */
  get queue(): string | undefined {
    return this.subscription?.queue;
  }

  /**
   * Starts listening for `orderId`'s outcome now (register BEFORE reading the order's status, so an
   * outcome published in between is not missed). Settles with null after `timeoutMs`.
   */
  wait(orderId: string, timeoutMs: number = this.config.orderWaitMs): OutcomeWait {
    const wait = this.listen(orderId, timeoutMs, () => true);
    return { outcome: wait.outcome.then((notice) => notice?.outcome ?? null), cancel: wait.cancel };
  }

  /**
   * The outcome of payment attempt `paymentAttempt` of `orderId` (paymentAttemptOf the order as
   * orders answered the payment step): one heard since `since` (epoch ms) — so one that arrived
   * before the answer did is not missed, and nothing needs reading to close that race — or the next
   * one within `timeoutMs` (0: only what was heard already). Outcomes of other attempts are not
   * this one's; a notice without an attempt (an older orders) may be anyone's, and is passed on for
   * the caller to check by reading the order.
   */
  outcomeOf(
    orderId: string,
    { paymentAttempt, since, timeoutMs }: { paymentAttempt: number; since: number; timeoutMs: number },
  ): OutcomeWait<OutcomeNotice> {
    const matches = (n: Heard) =>
      n.at >= since && (n.paymentAttempt === undefined || n.paymentAttempt === paymentAttempt);
    // A notice naming this attempt is preferred to an attempt-less one heard alongside it.
    const heard = (this.recent.get(orderId) ?? []).filter(matches);
    const known = heard.find((n) => n.paymentAttempt !== undefined) ?? heard[0];
    if (known || this.closed || timeoutMs <= 0) {
      return { outcome: Promise.resolve(known ? noticeOf(known) : null), cancel: () => undefined };
    }
    const wait = this.listen(orderId, timeoutMs, matches);
    return { outcome: wait.outcome.then((n) => n && noticeOf(n)), cancel: wait.cancel };
  }

  private listen(
    orderId: string,
    timeoutMs: number,
    accepts: (notice: Heard) => boolean,
  ): OutcomeWait<Heard> {
    let settle!: (notice: Heard | null) => void;
    const outcome = new Promise<Heard | null>((resolve) => {
      const timer = setTimeout(() => done(null), timeoutMs);
      const done = (value: Heard | null) => {
        clearTimeout(timer);
        const set = this.waiters.get(orderId);
        set?.delete(settle);
        if (set?.size === 0) this.waiters.delete(orderId);
        resolve(value);
      };
      settle = (value) => {
        if (value === null || accepts(value)) done(value);
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
    await this.subscription
      ?.close()
      .catch((err) => this.logger.warn({ err }, 'closing the outcome queue failed'));
  }

  private start(): void {
    if (this.subscription || this.closed) return;
    this.subscription = new BroadcastSubscription({
      url: this.config.amqpUrl,
      name: 'gateway-order-outcomes',
      types: Object.keys(OUTCOME_OF),
      onEvent: (envelope) => this.onEvent(envelope),
      logger: this.logger,
    });
    this.subscription.start();
  }

  private onEvent({ type, payload }: Envelope): void {
    const outcome = OUTCOME_OF[type];
    if (!outcome) return;
    const { orderId, paymentAttempt, reason } = payload as { orderId: string; paymentAttempt?: number; reason?: string };
    const notice: Heard = {
      outcome,
      ...(paymentAttempt !== undefined ? { paymentAttempt } : {}),
      ...(reason ? { reason } : {}),
      at: Date.now(),
    };
    this.remember(orderId, notice);
    const set = this.waiters.get(orderId);
    if (set) for (const settle of [...set]) settle(notice);
  }

  private remember(orderId: string, notice: Heard): void {
    const kept = this.recent.get(orderId) ?? [];
    this.recent.delete(orderId); // re-inserted last: the map stays ordered by latest outcome
    this.recent.set(orderId, [...kept, notice]);
    const expired = notice.at - RECENT_MS;
    for (const [id, notices] of this.recent) {
      if (this.recent.size <= RECENT_MAX && notices.at(-1)!.at >= expired) break;
      this.recent.delete(id);
    }
  }
}

const noticeOf = ({ at: _at, ...notice }: Heard): OutcomeNotice => notice;
