import { CodedError, type MessagingCounters, type PingReply } from '@prescriptchain/contracts';
import { BackendRpc, type RpcCallOptions } from '../../src/ports/backend-rpc';

/**
 * A BackendRpc whose services answer `<svc>.system.ping` like real ones, unless marked down (then
 * the call times out at its deadline, as the AMQP client does). Other patterns answer `replies`
 * (a value, or a function of the request data).
 */
export class FakeBackendRpc extends BackendRpc {
  connected = true;
  closed = false;
  readonly down = new Set<string>();
  readonly calls: { pattern: string; data: unknown; opts?: RpcCallOptions }[] = [];
  readonly counters: Record<string, MessagingCounters> = {};
  readonly replies = new Map<string, unknown>();

  async call<T>(pattern: string, data: unknown, opts?: RpcCallOptions): Promise<T> {
    this.calls.push({ pattern, data, opts });
    const [service, , name] = pattern.split('.');
    if (this.down.has(service)) {
      await new Promise((r) => setTimeout(r, opts?.deadlineMs ?? 0));
      throw new CodedError('GATEWAY_TIMEOUT');
    }
    if (name === 'ping') {
      const reply: PingReply = {
        service,
        status: 'up',
        messaging: this.counters[service] ?? {
          published: 0,
          consumed: 0,
          retried: 0,
          deadLettered: 0,
          outboxBacklog: 0,
        },
      };
      return reply as T;
    }
    if (this.replies.has(pattern)) {
      const reply = this.replies.get(pattern);
      // A function answers per request (and may throw a CodedError, as a service would).
      return (typeof reply === 'function' ? await reply(data) : reply) as T;
    }
    throw new CodedError('NOT_FOUND');
  }

  isConnected(): boolean {
    return this.connected;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
