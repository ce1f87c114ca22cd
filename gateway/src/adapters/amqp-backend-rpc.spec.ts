import { CodedError } from '@prescriptchain/contracts';
import { GatewayMetrics } from '../operations/gateway-metrics';
import { AmqpBackendRpc, type RpcClient } from './amqp-backend-rpc';

/** Stands in for the messaging kit's AmqpRpcClient (the broker is not what is under test here). */
class FakeClient implements RpcClient {
  calls: { pattern: string; data: unknown; deadlineMs?: number }[] = [];
  answer: () => Promise<unknown> = async () => ({ ok: 1 });
  connected = true;
  closed = false;
  call<T>(pattern: string, data: unknown, options?: { deadlineMs?: number }): Promise<T> {
    this.calls.push({ pattern, data, deadlineMs: options?.deadlineMs });
    return this.answer() as Promise<T>;
  }
  isConnected() {
    return this.connected;
  }
  async close() {
    this.closed = true;
  }
}

describe(AmqpBackendRpc.name, () => {
  let client: FakeClient;
  let metrics: GatewayMetrics;
  let sut: AmqpBackendRpc;

  beforeEach(() => {
    client = new FakeClient();
    metrics = new GatewayMetrics();
    sut = new AmqpBackendRpc(client, metrics, 1234);
  });

  const count = async (pattern: string, outcome: string) => {
    const text = await metrics.registry.metrics();
    const m = text.match(
      new RegExp(
        `rpc_client_duration_seconds_count\\{pattern="${pattern.replace(/\./g, '\\.')}",outcome="${outcome}"\\} (\\d+)`,
      ),
    );
    return m ? Number(m[1]) : 0;
  };

  it('sends with the default deadline unless the caller sets one', async () => {
    await sut.call('orders.order.get', { id: 1 });
    await sut.call('orders.order.get', { id: 2 }, { deadlineMs: 50 });
    expect(client.calls.map((c) => c.deadlineMs)).toEqual([1234, 50]);
    expect(client.calls[0].data).toEqual({ id: 1 });
  });

  it('times each call by pattern and outcome, the outcome being the error code of a failure', async () => {
    await sut.call('orders.order.get', {});
    client.answer = () => Promise.reject(new CodedError('GATEWAY_TIMEOUT'));
    await expect(sut.call('orders.order.get', {})).rejects.toMatchObject({ code: 'GATEWAY_TIMEOUT' });
    client.answer = () => Promise.reject(new CodedError('ORDER_NOT_FOUND'));
    await expect(sut.call('orders.order.get', {})).rejects.toMatchObject({ code: '2001' });
    expect(await count('orders.order.get', 'ok')).toBe(1);
    expect(await count('orders.order.get', 'GATEWAY_TIMEOUT')).toBe(1);
    expect(await count('orders.order.get', '2001')).toBe(1);
  });

  it('passes connection state and close through to the client', async () => {
    client.connected = false;
    expect(sut.isConnected()).toBe(false);
    await sut.close();
    expect(client.closed).toBe(true);
  });
});
