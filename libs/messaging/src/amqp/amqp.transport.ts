import { type CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import {
  ERRORS,
  EXCHANGES,
  type Envelope,
  EnvelopeSchema,
  HEADERS,
  type RpcReply,
  allMessages,
  findMessage,
  isCodedError,
  queueNames,
} from '@prescriptchain/contracts';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConsumeMessage, MessageProperties } from 'amqplib';
import { isObservable, lastValueFrom } from 'rxjs';
import { type MessagingLogger, describeError, nestLogger } from '../logger';
import { MessagingMetrics } from '../metrics/messaging.metrics';
import { SpanKind, contextFromHeaders, inSpan } from '../tracing/trace-context';
import { AmqpConnection } from './amqp.connection';
import { AmqpContext } from './amqp.context';
import { isPermanentFailure } from './handler-failure';
import { toRpcError } from './rpc-errors';
import {
  DEFAULT_DELIVERY_LIMIT,
  DEFAULT_RETRY_DELAYS_MS,
  type ServiceQueueOwner,
  assertEventQueues,
  assertExchanges,
  assertRpcQueue,
} from './service.topology';

export interface AmqpTransportOptions {
  url: string;
  service: ServiceQueueOwner;
  /** Unacked events in flight at once (= concurrent event handlers). Default 16. */
  prefetch?: number;
  /** Unacked RPC requests in flight at once. Default: `prefetch`. */
  rpcPrefetch?: number;
  /** One retry queue per entry; a message gets `1 + length` attempts before the DLQ. Default [1000, 5000, 15000]. */
  retryDelaysMs?: readonly number[];
  /** `x-delivery-limit` of the events queue: redeliveries (crashes) before the broker dead-letters. Default 10. */
  deliveryLimit?: number;
  /** Default: `MessagingMetrics.forService(service)`, the instance MessagingModule provides. */
  metrics?: MessagingMetrics;
  logger?: MessagingLogger;
  /** How long `listen` waits for the broker before failing start-up. Default 30000. */
  connectTimeoutMs?: number;
  /** How long `close` waits for in-flight handlers. Default 10000. */
  closeTimeoutMs?: number;
  /** Bound on confirming a retry / dead-letter copy or a reply. Default 5000. */
  publishTimeoutMs?: number;
  reconnectSeconds?: number;
  heartbeatSeconds?: number;
}

type Status = 'connected' | 'disconnected';

/**
 * Nest microservice transport over RabbitMQ for one service: its events/commands queue and its RPC
 * queue. Handlers are ordinary `@EventPattern('<type>')` (called with `(envelope, ctx)`) and
 * `@MessagePattern('<svc>.<name>')` (called with the request data).
 *
 * Events are acked only after the handler's promise resolves; a transient failure is re-published,
 * confirmed, to the next retry queue (or to the DLQ once retries are exhausted, with the error in
 * headers) and only then acked, so a failing message never blocks the ones behind it and never
 * loops. A permanent failure (`isPermanentFailure`: a 4xx-coded error such as VALIDATION_FAILED, a
 * zod parse failure) goes to the DLQ at once, with its error: waiting would not change the answer.
 */
export class AmqpTransport extends Server<Record<string, (...args: any[]) => void>, Status> implements CustomTransportStrategy {
  // Handler failures must reach us (to retry / dead-letter), not only Nest's logger.
  override readonly propagatesEventHandlerErrors = true;

  private readonly opts: Required<
    Omit<AmqpTransportOptions, 'metrics' | 'logger' | 'reconnectSeconds' | 'heartbeatSeconds'>
  > &
    Pick<AmqpTransportOptions, 'reconnectSeconds' | 'heartbeatSeconds'>;
  private readonly log: MessagingLogger;
  private readonly metrics: MessagingMetrics;
  private connection?: AmqpConnection;
  private publisher?: ChannelWrapper;
  private consumers: ChannelWrapper[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly pendingListeners: [string, (...args: any[]) => void][] = [];
  private warnedMangledErrors = false;
  private closing = false;

  constructor(options: AmqpTransportOptions) {
    super();
    const prefetch = options.prefetch ?? 16;
    this.opts = {
      url: options.url,
      service: options.service,
      prefetch,
      rpcPrefetch: options.rpcPrefetch ?? prefetch,
      retryDelaysMs: options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
      deliveryLimit: options.deliveryLimit ?? DEFAULT_DELIVERY_LIMIT,
      connectTimeoutMs: options.connectTimeoutMs ?? 30_000,
      closeTimeoutMs: options.closeTimeoutMs ?? 10_000,
      publishTimeoutMs: options.publishTimeoutMs ?? 5_000,
      reconnectSeconds: options.reconnectSeconds,
      heartbeatSeconds: options.heartbeatSeconds,
    };
    this.metrics = options.metrics ?? MessagingMetrics.forService(options.service);
    this.log = options.logger ?? nestLogger(`AmqpTransport:${options.service}`);
    this.initializeSerializer({});
    this.initializeDeserializer({});
  }

  isConnected(): boolean {
    return this.connection?.isConnected() ?? false;
  }

  listen(callback: (...optionalParams: unknown[]) => any): void {
    this.start().then(
      () => callback(),
      (err) => callback(err),
    );
  }

  /** Listens to the connection's events (`connect`, `disconnect`, `blocked`...), also before `listen`. */
  on(event: string, callback: (...args: any[]) => void): void {
    if (this.connection) this.connection.manager.on(event, callback);
    else this.pendingListeners.push([event, callback]);
  }

  unwrap<T>(): T {
    if (!this.connection) throw new Error('AmqpTransport is not listening yet');
    return this.connection.manager as T;
  }

  /** Stops consuming, waits (bounded) for in-flight handlers to settle their messages, then disconnects. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await withTimeout(Promise.allSettled(this.consumers.map((c) => c.cancelAll())), 2_000);
    const drained = await withTimeout(Promise.allSettled([...this.inFlight]), this.opts.closeTimeoutMs);
    if (!drained) this.log.warn({ inFlight: this.inFlight.size }, 'closing with handlers still running');
    await this.connection?.close();
    this._status$.next('disconnected');
  }

  private async start(): Promise<void> {
    const { service } = this.opts;
    const eventTypes: string[] = [];
    const rpcPatterns: string[] = [];
    for (const [pattern, handler] of this.messageHandlers) {
      (handler.isEventHandler ? eventTypes : rpcPatterns).push(pattern);
    }
    this.checkPatterns(eventTypes, rpcPatterns);

    const connection = new AmqpConnection({
      url: this.opts.url,
      name: `${service}-transport`,
      logger: this.log,
      reconnectSeconds: this.opts.reconnectSeconds,
      heartbeatSeconds: this.opts.heartbeatSeconds,
    });
    this.connection = connection;
    for (const [event, listener] of this.pendingListeners) connection.manager.on(event, listener);
    connection.manager.on('connect', () => this._status$.next('connected'));
    connection.manager.on('disconnect', () => this._status$.next('disconnected'));

    this.publisher = connection.createChannel({
      name: `${service}-transport-publish`,
      confirm: true,
      setup: (ch) => assertExchanges(ch),
    });
    const ready: Promise<void>[] = [this.publisher.waitForConnect()];

    if (eventTypes.length > 0) {
      let raw: Channel | undefined;
      const events = connection.createChannel({
        name: `${service}-events`,
        confirm: false,
        setup: async (ch) => {
          raw = ch;
          await assertEventQueues(ch, {
            service,
            routingKeys: eventTypes,
            retryDelaysMs: this.opts.retryDelaysMs,
            deliveryLimit: this.opts.deliveryLimit,
          });
        },
      });
      this.consumers.push(events);
      // The raw channel is captured per delivery: an ack must go to the channel that delivered the
      // message, never to a newer one after a reconnect (unknown delivery tag = channel error).
      await events.consume(queueNames(service).events, (msg) => this.track(this.onEvent(raw, msg)), {
        prefetch: this.opts.prefetch,
        noAck: false,
      });
      // RPCs (the readiness ping among them) are served only once the events queue is bound: a
      // service that answers its ping before its bindings exist tells the platform it is ready while
      // the broker still drops the events published to it (no binding, no queue, no message) — a
      // fresh platform lost `identity.clinic.created` that way under load, and the account never opened.
      const bound = await withTimeout(events.waitForConnect(), this.opts.connectTimeoutMs);
      if (!bound) {
        await connection.close().catch(() => undefined);
        throw new Error(`AmqpTransport(${service}): events queue not bound within ${this.opts.connectTimeoutMs} ms`);
      }
    }

    if (rpcPatterns.length > 0) {
      let raw: Channel | undefined;
      const rpc = connection.createChannel({
        name: `${service}-rpc`,
        confirm: false,
        setup: async (ch) => {
          raw = ch;
          await assertRpcQueue(ch, service);
        },
      });
      this.consumers.push(rpc);
      await rpc.consume(queueNames(service).rpc, (msg) => this.track(this.onRequest(raw, msg)), {
        prefetch: this.opts.rpcPrefetch,
        noAck: false,
      });
      ready.push(rpc.waitForConnect());
    }

    const ok = await withTimeout(Promise.all(ready), this.opts.connectTimeoutMs);
    if (!ok) {
      await connection.close().catch(() => undefined);
      throw new Error(`AmqpTransport(${service}): broker not reachable within ${this.opts.connectTimeoutMs} ms`);
    }
    this.log.info({ service, events: eventTypes.length, rpc: rpcPatterns.length }, 'consuming');
  }

  private checkPatterns(eventTypes: string[], rpcPatterns: string[]): void {
    const prefix = `${this.opts.service}.`;
    const misrouted = rpcPatterns.filter((p) => !p.startsWith(prefix));
    if (misrouted.length > 0) {
      // Callers route `<svc>.<name>` to `<svc>.rpc`; any other pattern could never be reached.
      throw new Error(`AmqpTransport(${this.opts.service}): RPC patterns must start with "${prefix}": ${misrouted.join(', ')}`);
    }
    const known = new Set(allMessages().map((m) => m.type));
    const unknown = eventTypes.filter((t) => !known.has(t));
    if (unknown.length > 0) {
      this.log.warn({ types: unknown }, 'event handlers for types missing from the contracts registry (they will be dead-lettered)');
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.catch(() => undefined).finally(() => this.inFlight.delete(work));
  }

  // ---------------------------------------------------------------- events / commands

  private async onEvent(ch: Channel | undefined, msg: ConsumeMessage): Promise<void> {
    const headers = msg.properties.headers ?? {};
    const attempt = positiveInt(headers[HEADERS.attempt]) ?? 1;
    try {
      const parsed = this.parseEvent(msg);
      if (typeof parsed === 'string') {
        // Not retryable: no amount of waiting makes an unknown type or a broken envelope parse.
        await this.deadLetter(ch, msg, parsed, attempt);
        return;
      }
      const { envelope, handler } = parsed;
      const ctx = new AmqpContext({ message: msg, pattern: envelope.type, attempt, envelope });
      try {
        await inSpan(
          `${envelope.type} process`,
          SpanKind.CONSUMER,
          contextFromHeaders(headers, envelope.traceparent),
          {
            'messaging.system': 'rabbitmq',
            'messaging.operation.type': 'process',
            'messaging.destination.name': queueNames(this.opts.service).events,
            'messaging.message.id': envelope.messageId,
            'messaging.message.conversation_id': envelope.correlationId,
            'messaging.prescriptchain.attempt': attempt,
          },
          () => this.invoke(handler, envelope, ctx),
        );
      } catch (err) {
        await this.retryOrDeadLetter(ch, msg, envelope, err, attempt);
        return;
      }
      this.settle(ch, msg, 'ack');
      this.metrics.countConsumed();
    } catch (err) {
      // Only a bug in the kit lands here; requeue once rather than lose the message.
      this.log.error({ err: describeError(err) }, 'event processing failed unexpectedly');
      this.settle(ch, msg, 'requeue');
    }
  }

  private parseEvent(msg: ConsumeMessage): { envelope: Envelope; handler: MessageHandler } | string {
    let json: unknown;
    try {
      json = JSON.parse(msg.content.toString('utf8'));
    } catch {
      return 'unparseable envelope: content is not JSON';
    }
    const env = EnvelopeSchema.safeParse(json);
    if (!env.success) return `unparseable envelope: ${describeIssues(env.error.issues)}`;
    const { type, version } = env.data;
    const definition = findMessage(type, version);
    if (!definition) return `unknown message type ${type} v${version}`;
    const payload = definition.payload.safeParse(env.data.payload);
    if (!payload.success) return `invalid payload for ${type} v${version}: ${describeIssues(payload.error.issues)}`;
    const handler = this.getHandlerByPattern(type);
    if (!handler) return `no handler for ${type} in ${this.opts.service}`;
    return { envelope: { ...env.data, payload: payload.data }, handler };
  }

  private async retryOrDeadLetter(
    ch: Channel | undefined,
    msg: ConsumeMessage,
    envelope: Envelope,
    err: unknown,
    attempt: number,
  ): Promise<void> {
    const reason = this.reasonOf(err);
    const level = attempt; // attempt n failed → retry level n
    const log = { type: envelope.type, messageId: envelope.messageId, attempt, err: reason };
    if (isPermanentFailure(err)) {
      this.log.error(log, 'handler failed permanently; dead-lettering without a retry');
      await this.deadLetter(ch, msg, reason, attempt);
      return;
    }
    if (level > this.opts.retryDelaysMs.length) {
      this.log.error(log, 'handler failed; retries exhausted, dead-lettering');
      await this.deadLetter(ch, msg, reason, attempt);
      return;
    }
    this.log.warn(log, 'handler failed; scheduling a retry');
    const q = queueNames(this.opts.service);
    const published = await this.republish(EXCHANGES.retry, q.retryLevel(level), msg, {
      [HEADERS.attempt]: attempt + 1,
      [HEADERS.lastError]: reason,
    });
    if (published) {
      this.settle(ch, msg, 'ack');
      this.metrics.countRetried();
    } else {
      this.settle(ch, msg, 'requeue');
    }
  }

  private async deadLetter(ch: Channel | undefined, msg: ConsumeMessage, reason: string, attempt: number): Promise<void> {
    const q = queueNames(this.opts.service);
    this.log.error({ messageId: msg.properties.messageId, attempt, err: reason }, 'dead-lettering message');
    const published = await this.republish(EXCHANGES.deadLetter, q.events, msg, {
      [HEADERS.lastError]: reason,
      [HEADERS.originalQueue]: q.events,
      [HEADERS.attempt]: attempt,
    });
    if (published) {
      this.settle(ch, msg, 'ack');
      this.metrics.countDeadLettered();
    } else {
      this.settle(ch, msg, 'requeue');
    }
  }

  /** A confirmed, persistent copy of `msg` with extra headers; false if the broker did not confirm in time. */
  private async republish(
    exchange: string,
    routingKey: string,
    msg: ConsumeMessage,
    headers: Record<string, unknown>,
  ): Promise<boolean> {
    if (!this.publisher) return false;
    try {
      await this.publisher.publish(exchange, routingKey, msg.content, {
        ...copyProperties(msg.properties),
        headers: { ...(msg.properties.headers ?? {}), ...headers },
        persistent: true,
        timeout: this.opts.publishTimeoutMs,
      });
      return true;
    } catch (err) {
      // Leaving the original unacked-then-requeued is safe: the copy may exist twice, the inbox absorbs it.
      this.log.error({ exchange, routingKey, err: describeError(err) }, 'could not publish a retry/dead-letter copy');
      return false;
    }
  }

  // ---------------------------------------------------------------- RPC

  private async onRequest(ch: Channel | undefined, msg: ConsumeMessage): Promise<void> {
    const { replyTo, correlationId, type: pattern } = msg.properties;
    const headers = msg.properties.headers ?? {};
    const deadline = positiveInt(headers[HEADERS.deadline]);
    try {
      if (deadline !== undefined && Date.now() > deadline) {
        this.log.debug({ pattern, correlationId }, 'skipping an RPC request past its deadline');
        return;
      }
      if (!replyTo || !correlationId) {
        this.log.warn({ pattern }, 'RPC request without replyTo/correlationId dropped');
        return;
      }
      const reply = await inSpan(
        `${pattern} process`,
        SpanKind.SERVER,
        contextFromHeaders(headers),
        { 'rpc.system': 'rabbitmq', 'rpc.method': String(pattern), 'messaging.message.conversation_id': correlationId },
        () => this.answer(String(pattern), msg, deadline),
      );
      await this.publisher!.sendToQueue(replyTo, Buffer.from(JSON.stringify(reply)), {
        correlationId,
        contentType: 'application/json',
        timeout: this.opts.publishTimeoutMs,
      });
    } catch (err) {
      this.log.error({ pattern, correlationId, err: describeError(err) }, 'could not answer an RPC request');
    } finally {
      // A request is answered at most once: never requeued (its caller has a deadline anyway).
      this.settle(ch, msg, 'ack');
    }
  }

  private async answer(pattern: string, msg: ConsumeMessage, deadline: number | undefined): Promise<RpcReply> {
    const handler = pattern ? this.getHandlerByPattern(pattern) : null;
    if (!handler || handler.isEventHandler) {
      this.log.error({ pattern }, 'no RPC handler for pattern');
      return { ok: false, error: { code: ERRORS.INTERNAL_ERROR.code, message: ERRORS.INTERNAL_ERROR.message } };
    }
    let data: unknown;
    try {
      data = msg.content.length === 0 ? undefined : JSON.parse(msg.content.toString('utf8'));
    } catch {
      return { ok: false, error: { code: ERRORS.MALFORMED_REQUEST.code, message: ERRORS.MALFORMED_REQUEST.message } };
    }
    const ctx = new AmqpContext({ message: msg, pattern, attempt: 1, deadline });
    try {
      const result = await this.invoke(handler, data, ctx);
      return { ok: true, data: result ?? null };
    } catch (err) {
      if (!isCodedError(err)) {
        this.log.error({ pattern, err: this.reasonOf(err, 4000), stack: err instanceof Error ? err.stack : undefined }, 'RPC handler failed');
      }
      return { ok: false, error: toRpcError(err) };
    }
  }

  // ---------------------------------------------------------------- shared

  private async invoke(handler: MessageHandler, data: unknown, ctx: AmqpContext): Promise<unknown> {
    const result = await handler(data, ctx);
    return isObservable(result) ? await lastValueFrom(result, { defaultValue: undefined }) : result;
  }

  private reasonOf(err: unknown, max = 1000): string {
    const e = err as { status?: unknown; message?: unknown } | null;
    if (!this.warnedMangledErrors && e && !(err instanceof Error) && e.status === 'error' && e.message === 'Internal server error') {
      this.warnedMangledErrors = true;
      this.log.warn({}, "handler errors reach the transport as Nest's generic 'Internal server error': install MessagingExceptionFilter");
    }
    // A coded error's details say what was wrong (VALIDATION_FAILED: which fields), worth keeping with it.
    const details = isCodedError(err) && err.details !== undefined ? ` ${safeJson(err.details)}` : '';
    const text = `${describeError(err, max)}${details}`;
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
  }

  private settle(ch: Channel | undefined, msg: ConsumeMessage, how: 'ack' | 'requeue'): void {
    if (!ch) return;
    try {
      if (how === 'ack') ch.ack(msg);
      else ch.nack(msg, false, true);
    } catch {
      // The delivering channel is gone: the broker redelivers the message, and the inbox makes
      // the repeat harmless.
      this.log.debug({ messageId: msg.properties.messageId }, 'channel closed before settling; the broker will redeliver');
    }
  }
}

function copyProperties(p: MessageProperties) {
  return {
    contentType: p.contentType ?? 'application/json',
    contentEncoding: p.contentEncoding,
    messageId: p.messageId,
    correlationId: p.correlationId,
    type: p.type,
    timestamp: p.timestamp,
    appId: p.appId,
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

function positiveInt(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : typeof v === 'bigint' ? Number(v) : NaN;
  return Number.isFinite(n) && n > 0 ? Math.trunc(n) : undefined;
}

function describeIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/** Resolves true when `p` settles in time, false otherwise (never rejects). */
async function withTimeout(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
