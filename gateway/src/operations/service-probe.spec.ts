import { SERVICES } from '@prescriptchain/contracts';
import { FakeBackendRpc } from '../../test/support/fake-backend-rpc';
import { GatewayConfig } from '../gateway.config';
import { GatewayMetrics } from './gateway-metrics';
import { ServiceProbe } from './service-probe';

const allUp = Object.fromEntries(SERVICES.map((s) => [s, 'up']));

describe(ServiceProbe.name, () => {
  let rpc: FakeBackendRpc;
  let metrics: GatewayMetrics;
  let sut: ServiceProbe;

  beforeEach(() => {
    rpc = new FakeBackendRpc();
    metrics = new GatewayMetrics();
    sut = new ServiceProbe(rpc, metrics, new GatewayConfig({ readyDeadlineMs: 50 }));
  });

  it('is ready when the broker is connected and every service answers its ping', async () => {
    expect(await sut.check()).toEqual({ status: 'ready', broker: 'up', services: allUp });
  });

  it('pings all services in parallel, so one slow service costs one deadline, not five', async () => {
    rpc.down.add('orders').add('pharmacy');
    // Count pings under way at once: sequential pinging would never exceed one.
    let inFlight = 0;
    let maxInFlight = 0;
    const call = rpc.call.bind(rpc);
    rpc.call = (async (...args: Parameters<typeof call>) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      try {
        return await call(...args);
      } finally {
        inFlight--;
      }
    }) as typeof rpc.call;
    const r = await sut.check();
    expect(maxInFlight).toBe(SERVICES.length);
    expect(r).toEqual({
      status: 'not_ready',
      broker: 'up',
      services: { ...allUp, orders: 'down', pharmacy: 'down' },
    });
  });

  it('calls a reply that is not a PingReply down', async () => {
    rpc.call = async <T>() => ({ hello: 'world' }) as T;
    expect((await sut.check()).services.identity).toBe('down');
  });

  it('reports everything down without pinging while the broker is away', async () => {
    rpc.connected = false;
    const r = await sut.check();
    expect(r.status).toBe('not_ready');
    expect(r.broker).toBe('down');
    expect(Object.values(r.services)).toEqual(SERVICES.map(() => 'down'));
    expect(rpc.calls).toHaveLength(0);
  });

  it('records each service’s reported messaging totals and whether it answered', async () => {
    rpc.counters.accounts = { published: 4, consumed: 3, retried: 1, deadLettered: 0, outboxBacklog: 9 };
    await sut.check();
    rpc.down.add('accounts');
    await sut.check();
    const text = await metrics.registry.metrics();
    // The last report is kept while the service is away; its up gauge drops.
    expect(text).toContain('messaging_published_total{service="accounts"} 4');
    expect(text).toContain('messaging_outbox_backlog{service="accounts"} 9');
    expect(text).toContain('backend_service_up{service="accounts"} 0');
    expect(text).toContain('backend_service_up{service="identity"} 1');
  });
});
