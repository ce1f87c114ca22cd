import type { AmqpRpcClient } from '@prescriptchain/messaging';
import type { GatewayMetrics } from '../operations/gateway-metrics';
import { BackendRpc, type RpcCallOptions } from '../ports/backend-rpc';

/** What this adapter uses of the messaging kit's client. */
export type RpcClient = Pick<AmqpRpcClient, 'call' | 'isConnected' | 'close'>;

const outcomeOf = (err: unknown) =>
  typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string'
    ? (err as { code: string }).code
    : 'INTERNAL_ERROR';

/** BackendRpc over RabbitMQ request/reply (the messaging kit's AmqpRpcClient), timed per pattern. */
export class AmqpBackendRpc extends BackendRpc {
  constructor(
    private readonly client: RpcClient,
    private readonly metrics: GatewayMetrics,
    private readonly defaultDeadlineMs: number,
  ) {
    super();
  }

  async call<T>(pattern: string, data: unknown, opts: RpcCallOptions = {}): Promise<T> {
    const stop = this.metrics.rpcDuration.startTimer({ pattern });
    try {
      const reply = await this.client.call<T>(pattern, data, {
        deadlineMs: opts.deadlineMs ?? this.defaultDeadlineMs,
      });
      stop({ outcome: 'ok' });
      return reply;
    } catch (err) {
      stop({ outcome: outcomeOf(err) });
      throw err;
    }
  }

  isConnected(): boolean {
    return this.client.isConnected();
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
