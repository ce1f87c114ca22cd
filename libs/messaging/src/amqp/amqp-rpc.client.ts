import { randomUUID } from 'node:crypto';
import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import { CodedError, HEADERS, RpcReplySchema, queueNames, type ServiceName } from '@prescriptchain/contracts';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ConsumeMessage, Message } from 'amqplib';
import { type MessagingLogger, describeError, nestLogger } from '../logger';
import { traceHeaders } from '../tracing/trace-context';
import { AmqpConnection } from './amqp.connection';
import { fromRpcError } from './rpc-errors';

export interface AmqpRpcClientOptions {
  url: string;
  /** Names the connection and the reply queue (e.g. `gateway`). */
  name: string;
  /** Deadline of `send()` and of `call()` without one. Default 5000. */
  defaultDeadlineMs?: number;
  /** How long `connect()` waits for the broker. Default 10000. */
  connectTimeoutMs?: number;
  logger?: MessagingLogger;
  reconnectSeconds?: number;
  heartbeatSeconds?: number;
}

export interface CallOptions {
  /** Time the caller is willing to wait, in ms from now. */
  deadlineMs?: number;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: CodedError) => void;
  timer: NodeJS.Timeout;
}

/**
 * Request/reply over RabbitMQ with a deadline. Pattern `<svc>.<rest>` goes to queue `<svc>.rpc`
 * through the default exchange; replies come back on ONE exclusive auto-delete queue per client
 * (not direct reply-to), matched by correlationId. Every call settles by its deadline:
 * GATEWAY_TIMEOUT when no reply came, SERVICE_UNAVAILABLE when the broker is away, refused the
 * request or no queue exists for the service; an `{ ok: false }` reply re-throws its CodedError.
 */
export class AmqpRpcClient extends ClientProxy {
  private readonly opts: Required<Omit<AmqpRpcClientOptions, 'logger' | 'reconnectSeconds' | 'heartbeatSeconds'>> &
    Pick<AmqpRpcClientOptions, 'reconnectSeconds' | 'heartbeatSeconds'>;
  private readonly log: MessagingLogger;
  private readonly replyQueue: string;
  private readonly pending = new Map<string, Pending>();
  private connection?: AmqpConnection;
  private channel?: ChannelWrapper;
  private replyConsumerReady = false;
  private closed = false;

  constructor(options: AmqpRpcClientOptions) {
    super();
    this.opts = {
      url: options.url,
      name: options.name,
      defaultDeadlineMs: options.defaultDeadlineMs ?? 5_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      reconnectSeconds: options.reconnectSeconds,
      heartbeatSeconds: options.heartbeatSeconds,
    };
    this.log = options.logger ?? nestLogger(`AmqpRpcClient:${options.name}`);
    this.replyQueue = `${options.name}.reply.${randomUUID()}`;
    this.initializeSerializer({});
    this.initializeDeserializer({});
  }

  /** Starts the connection (once) and waits for it; rejects with SERVICE_UNAVAILABLE after `connectTimeoutMs`. */
  async connect(): Promise<void> {
    this.start();
    if (this.closed) throw new CodedError('SERVICE_UNAVAILABLE', 'The RPC client is closed.');
    try {
      await this.connection!.waitForConnect(this.opts.connectTimeoutMs);
      await waitFor(this.channel!.waitForConnect(), this.opts.connectTimeoutMs);
    } catch {
      throw new CodedError('SERVICE_UNAVAILABLE', 'The message broker is not reachable.');
    }
  }

  /** True while connected with the reply queue consumed: readiness reports 503 otherwise. */
  isConnected(): boolean {
    return !this.closed && !!this.connection?.isConnected() && this.replyConsumerReady;
  }

  /** Sends `data` to the `pattern` handler and resolves with its reply data. */
  call<T = unknown>(pattern: string, data: unknown = null, options: CallOptions = {}): Promise<T> {
    const deadlineMs = options.deadlineMs ?? this.opts.defaultDeadlineMs;
    this.start();
    const service = pattern.split('.')[0];
    if (!service || service === pattern) {
      return Promise.reject(new CodedError('INTERNAL_ERROR', `RPC pattern "${pattern}" is not "<service>.<name>"`));
    }
    if (!this.isConnected()) {
      return Promise.reject(new CodedError('SERVICE_UNAVAILABLE', 'The message broker is not reachable.'));
    }
    const correlationId = randomUUID();
    const deadline = Date.now() + deadlineMs;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settle(correlationId, new CodedError('GATEWAY_TIMEOUT'));
      }, deadlineMs);
      this.pending.set(correlationId, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.channel!.sendToQueue(queueNames(service as ServiceName).rpc, Buffer.from(JSON.stringify(data ?? null)), {
        correlationId,
        replyTo: this.replyQueue,
        type: pattern,
        contentType: 'application/json',
        expiration: String(Math.max(1, deadlineMs)),
        // Unroutable (no queue: the service never declared it) comes back as a return, not silence.
        mandatory: true,
        headers: { [HEADERS.deadline]: deadline, ...traceHeaders() },
        timeout: deadlineMs,
      }).catch((err) => {
        this.log.warn({ pattern, err: describeError(err) }, 'RPC request not confirmed by the broker');
        this.settle(correlationId, new CodedError('SERVICE_UNAVAILABLE', 'The message broker did not accept the request.'));
      });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const id of [...this.pending.keys()]) {
      this.settle(id, new CodedError('SERVICE_UNAVAILABLE', 'The RPC client is closing.'));
    }
    await this.connection?.close();
  }

  override on(event: string, callback: (...args: any[]) => void): void {
    this.start();
    this.connection!.manager.on(event, callback);
  }

  unwrap<T>(): T {
    this.start();
    return this.connection!.manager as T;
  }

  /** Nest's `send(pattern, data)`: one reply, with the default deadline. */
  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    let active = true;
    this.call(this.normalizePattern(packet.pattern), packet.data).then(
      (response) => active && callback({ response, isDisposed: true }),
      (err) => active && callback({ err }),
    );
    return () => {
      active = false;
    };
  }

  /** Events are published through a service's outbox, never fire-and-forget from a client. */
  protected dispatchEvent<T = any>(_packet: ReadPacket): Promise<T> {
    return Promise.reject(new Error('AmqpRpcClient does not emit events: publish them through an Outbox'));
  }

  private start(): void {
    if (this.connection || this.closed) return;
    const connection = new AmqpConnection({
      url: this.opts.url,
      name: `${this.opts.name}-rpc-client`,
      logger: this.log,
      reconnectSeconds: this.opts.reconnectSeconds,
      heartbeatSeconds: this.opts.heartbeatSeconds,
    });
    this.connection = connection;
    connection.manager.on('connect', () => this._status$.next('connected'));
    connection.manager.on('disconnect', () => {
      this.replyConsumerReady = false;
      this._status$.next('disconnected');
    });
    this.channel = connection.createChannel({
      name: `${this.opts.name}-rpc-client`,
      confirm: true,
      setup: async (ch) => {
        this.replyConsumerReady = false;
        ch.on('return', (msg: Message) => {
          const id = msg.properties.correlationId as string | undefined;
          if (id) this.settle(id, new CodedError('SERVICE_UNAVAILABLE', 'No queue accepts requests for this service.'));
        });
        await ch.assertQueue(this.replyQueue, { exclusive: true, autoDelete: true, durable: false });
      },
    });
    this.channel.on('connect', () => {
      this.replyConsumerReady = true;
    });
    void this.channel.consume(this.replyQueue, (msg) => this.onReply(msg), { noAck: true }).catch((err) => {
      this.log.error({ err: describeError(err) }, 'could not consume the reply queue');
    });
  }

  private onReply(msg: ConsumeMessage): void {
    const id = msg.properties.correlationId as string | undefined;
    if (!id || !this.pending.has(id)) return; // late reply for a call that already timed out
    let json: unknown;
    try {
      json = JSON.parse(msg.content.toString('utf8'));
    } catch {
      json = undefined;
    }
    const reply = RpcReplySchema.safeParse(json);
    if (!reply.success) {
      this.settle(id, new CodedError('INTERNAL_ERROR', 'The service sent a malformed reply.'));
    } else if (reply.data.ok) {
      this.settle(id, undefined, reply.data.data);
    } else {
      this.settle(id, fromRpcError(reply.data.error));
    }
  }

  private settle(id: string, err: CodedError | undefined, value?: unknown): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (err) p.reject(err);
    else p.resolve(value);
  }
}

async function waitFor(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      p,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
