import { randomUUID } from 'node:crypto';
import { EXCHANGES, OrderPaidV1, OrderPaymentFailedV1 } from '@prescriptchain/contracts';
import { createLogger } from '@prescriptchain/messaging';
import * as amqplib from 'amqplib';
import { Writable } from 'node:stream';
import {
  closeVhostConnections,
  createTestVhost,
  eventually,
  type TestVhost,
} from '../../../test/support/infra';
import { outcomeEnvelope } from '../../test/support/outcome-events';
import { GatewayConfig } from '../gateway.config';
import { OrderOutcomeWaiter } from './order-outcome.waiter';

jest.setTimeout(60_000);

const quiet = createLogger('gateway', { destination: new Writable({ write: (_c, _e, cb) => cb() }) });

/** The order outcome events as orders' outbox publishes them: an envelope, routing key = type. */
const envelope = outcomeEnvelope;

describe(`${OrderOutcomeWaiter.name} (real RabbitMQ)`, () => {
  let vhost: TestVhost;
  let publisher: amqplib.ChannelModel;
  let channel: amqplib.Channel;
  const waiters: OrderOutcomeWaiter[] = [];

  async function listening(): Promise<OrderOutcomeWaiter> {
    const waiter = new OrderOutcomeWaiter(
      new GatewayConfig({ amqpUrl: vhost.url, orderWaitMs: 5_000 }),
      quiet,
    );
    waiters.push(waiter);
    waiter.onModuleInit();
    await eventually(() => waiter.isListening(), 10_000, 20);
    return waiter;
  }

  const publish = (type: string, orderId: string, extra: Record<string, unknown> = {}) => {
    channel.publish(EXCHANGES.events, type, envelope(type, orderId, extra));
  };

  beforeAll(async () => {
    vhost = await createTestVhost('gw_outcomes');
    publisher = await amqplib.connect(vhost.url);
    channel = await publisher.createChannel();
    await channel.assertExchange(EXCHANGES.events, 'topic', { durable: true });
  });

  afterAll(async () => {
    await Promise.all(waiters.map((w) => w.onApplicationShutdown()));
    await publisher?.close().catch(() => undefined);
    await vhost?.drop();
  });

  it('settles a registered wait with the outcome orders publishes for that order', async () => {
    const sut = await listening();
    const [paid, failed] = [randomUUID(), randomUUID()];
    const waitPaid = sut.wait(paid, 5_000);
    const waitFailed = sut.wait(failed, 5_000);
    publish(OrderPaymentFailedV1.type, failed);
    publish(OrderPaidV1.type, paid);
    await expect(waitPaid.outcome).resolves.toBe('paid');
    await expect(waitFailed.outcome).resolves.toBe('payment_failed');
    expect(sut.waiting).toBe(0);
  });

  it("ignores other orders' outcomes and settles with null when its time is up", async () => {
    const sut = await listening();
    const started = Date.now();
    const wait = sut.wait(randomUUID(), 300);
    publish(OrderPaidV1.type, randomUUID());
    await expect(wait.outcome).resolves.toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(sut.waiting).toBe(0);
  });

  it('wakes every request waiting on the same order, on every gateway instance (one queue each)', async () => {
    const [a, b] = [await listening(), await listening()];
    expect(a.queue).not.toBe(b.queue);
    const orderId = randomUUID();
    const waits = [a.wait(orderId, 5_000), a.wait(orderId, 5_000), b.wait(orderId, 5_000)];
    publish(OrderPaidV1.type, orderId);
    await expect(Promise.all(waits.map((w) => w.outcome))).resolves.toEqual(['paid', 'paid', 'paid']);
  });

  it('declares its queue again after the broker drops the connection, and hears outcomes again', async () => {
    const sut = await listening();
    // Cut this waiter's own connection (the management API lists it a few seconds late).
    await closeVhostConnections(vhost.name, { named: 'gateway-order-outcomes', atLeast: waiters.length });
    await eventually(() => !sut.isListening(), 10_000, 20);
    await eventually(() => sut.isListening(), 20_000, 50);
    const orderId = randomUUID();
    const wait = sut.wait(orderId, 5_000);
    // The publisher's connection was cut too.
    publisher = await amqplib.connect(vhost.url);
    channel = await publisher.createChannel();
    publish(OrderPaidV1.type, orderId);
    await expect(wait.outcome).resolves.toBe('paid');
  });

  it("finds an attempt's outcome heard before anyone asked, and tells attempts apart", async () => {
    const sut = await listening();
    const orderId = randomUUID();
    const since = Date.now();
    publish(OrderPaymentFailedV1.type, orderId, { paymentAttempt: 1, reason: 'INSUFFICIENT_FUNDS' });
    // Heard while nobody waited (orders' answer to the payment step was still on its way).
    await eventually(
      async () => (await sut.outcomeOf(orderId, { paymentAttempt: 1, since, timeoutMs: 0 }).outcome) !== null,
      5_000,
      10,
    );
    await expect(sut.outcomeOf(orderId, { paymentAttempt: 1, since, timeoutMs: 0 }).outcome).resolves.toEqual(
      {
        outcome: 'payment_failed',
        paymentAttempt: 1,
        reason: 'INSUFFICIENT_FUNDS',
      },
    );
    // Heard before `since`: not this request's to take.
    await expect(
      sut.outcomeOf(orderId, { paymentAttempt: 1, since: Date.now() + 1, timeoutMs: 0 }).outcome,
    ).resolves.toBeNull();
    // The retry (attempt 2) does not take the first attempt's refusal; it takes its own outcome.
    const retry = sut.outcomeOf(orderId, { paymentAttempt: 2, since, timeoutMs: 5_000 });
    publish(OrderPaymentFailedV1.type, orderId, { paymentAttempt: 1, reason: 'INSUFFICIENT_FUNDS' });
    publish(OrderPaidV1.type, orderId, { paymentAttempt: 2 });
    await expect(retry.outcome).resolves.toEqual({ outcome: 'paid', paymentAttempt: 2 });
    expect(sut.waiting).toBe(0);
  });

  it('passes on an outcome that names no attempt (an older orders) to whoever waits on the order', async () => {
    const sut = await listening();
    const orderId = randomUUID();
    const wait = sut.outcomeOf(orderId, { paymentAttempt: 3, since: Date.now(), timeoutMs: 5_000 });
    publish(OrderPaidV1.type, orderId);
    await expect(wait.outcome).resolves.toEqual({ outcome: 'paid' });
    const none = sut.outcomeOf(randomUUID(), { paymentAttempt: 1, since: 0, timeoutMs: 200 });
    await expect(none.outcome).resolves.toBeNull();
  });

  it('lets cancel() and shutdown settle waits with null at once', async () => {
    const sut = await listening();
    const cancelled = sut.wait(randomUUID(), 60_000);
    cancelled.cancel();
    await expect(cancelled.outcome).resolves.toBeNull();
    const pending = sut.wait(randomUUID(), 60_000);
    await sut.onApplicationShutdown();
    await expect(pending.outcome).resolves.toBeNull();
    await expect(sut.wait(randomUUID(), 60_000).outcome).resolves.toBeNull();
    expect(sut.isListening()).toBe(false);
  });
});
