import * as amqp from 'amqp-connection-manager';
import type { AmqpConnectionManager, ChannelWrapper, CreateChannelOpts } from 'amqp-connection-manager';
import type { Channel } from 'amqplib';
import { type MessagingLogger, describeError, nestLogger } from '../logger';

export interface AmqpConnectionOptions {
  url: string;
  /** Shown as the connection name in RabbitMQ's management UI. */
  name: string;
  /** Default 5. */
  heartbeatSeconds?: number;
  /** Delay before each reconnect attempt. Default 1. */
  reconnectSeconds?: number;
  logger?: MessagingLogger;
}

/**
 * One self-healing broker connection (amqp-connection-manager over amqplib). Channels created here
 * re-run their `setup` on every reconnect, which is where topology is (re-)declared.
 */
export class AmqpConnection {
  readonly manager: AmqpConnectionManager;
  readonly name: string;
  private readonly logger: MessagingLogger;
  private closed = false;

  constructor(options: AmqpConnectionOptions) {
    this.name = options.name;
    this.logger = options.logger ?? nestLogger('AmqpConnection');
    this.manager = amqp.connect([options.url], {
      heartbeatIntervalInSeconds: options.heartbeatSeconds ?? 5,
      reconnectTimeInSeconds: options.reconnectSeconds ?? 1,
      // noDelay: small RPC replies and confirms must not wait on Nagle + delayed ACKs (measured:
      // 1-client order p50 124 → 58 ms).
      connectionOptions: { noDelay: true, clientProperties: { connection_name: options.name } },
    });
    this.manager.on('connect', () => this.logger.info({ connection: this.name }, 'broker connected'));
    this.manager.on('disconnect', ({ err }) => {
      if (!this.closed) this.logger.warn({ connection: this.name, err: describeError(err) }, 'broker connection lost');
    });
    this.manager.on('connectFailed', ({ err }) =>
      this.logger.warn({ connection: this.name, err: describeError(err) }, 'broker connection attempt failed'),
    );
  }

  isConnected(): boolean {
    return !this.closed && this.manager.isConnected();
  }

  /** Resolves once connected; rejects after `timeoutMs` (reconnect attempts go on in the background). */
  async waitForConnect(timeoutMs: number): Promise<void> {
    if (this.manager.isConnected()) return;
    await this.manager.connect({ timeout: timeoutMs });
  }

  /**
   * A channel whose `setup` runs on every (re)connect. A channel closed by a broker error while the
   * connection stays up is never reopened by amqp-connection-manager, so that case forces a reconnect.
   */
  createChannel(options: Omit<CreateChannelOpts, 'setup'> & { setup?: (channel: Channel) => Promise<void> }): ChannelWrapper {
    const userSetup = options.setup;
    let current: Channel | undefined;
    let wrapperClosed = false;
    const wrapper = this.manager.createChannel({
      ...options,
      setup: async (channel: Channel) => {
        current = channel;
        channel.on('close', () => {
          // Give a closing connection time to report itself before deciding the channel died alone.
          setTimeout(() => {
            if (wrapperClosed || this.closed || current !== channel || !this.manager.isConnected()) return;
            this.logger.warn({ connection: this.name, channel: options.name }, 'channel closed by the broker; reconnecting');
            this.manager.reconnect();
          }, 200).unref();
        });
        if (userSetup) await userSetup(channel);
      },
    });
    wrapper.once('close', () => {
      wrapperClosed = true;
    });
    wrapper.on('error', (err: Error) =>
      this.logger.error({ connection: this.name, channel: options.name, err: describeError(err) }, 'channel error'),
    );
    return wrapper;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.manager.close();
  }
}
