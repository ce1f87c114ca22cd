import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { CodedError, HEADERS, queueNames } from '@prescriptchain/contracts';
import * as amqplib from 'amqplib';
import { lastValueFrom } from 'rxjs';
import { type TestVhost, createTestVhost, eventually } from '../../../../test/support/infra';
import { createServiceMicroservice } from '../nest/create-service-microservice';
import { recordingLogger, sleep } from '../testing/messaging-test-kit';
import type { AmqpContext } from './amqp.context';
import { AmqpRpcClient } from './amqp-rpc.client';

const calls: { pattern: string; data: unknown; deadline?: number }[] = [];

@Controller()
class OrdersRpcController {
  @MessagePattern<string>('orders.echo')
  echo(@Payload() data: { text: string }, @Ctx() ctx: AmqpContext) {
    calls.push({ pattern: ctx.getPattern(), data, deadline: ctx.getDeadline() });
    return { echoed: data.text };
  }

  @MessagePattern<string>('orders.get')
  async get(@Payload() data: { orderId: string }) {
    calls.push({ pattern: 'orders.get', data });
    throw new CodedError('ORDER_NOT_FOUND', `Order ${data.orderId} not found.`, { orderId: data.orderId });
  }

  @MessagePattern<string>('orders.crash')
  crash() {
    calls.push({ pattern: 'orders.crash', data: null });
    throw new Error('db password is hunter2');
  }
}

@Module({ controllers: [OrdersRpcController] })
class OrdersRpcModule {}

describe(AmqpRpcClient.name, () => {
  let vhost: TestVhost;
  let app: INestMicroservice | undefined;
  let client: AmqpRpcClient;

  const startOrders = async () => {
    app = await createServiceMicroservice(OrdersRpcModule, {
      service: 'orders',
      url: vhost.url,
      logger: recordingLogger(),
      nest: { logger: false },
      shutdownHooks: false,
    });
    await app.listen();
  };

  beforeAll(async () => {
    vhost = await createTestVhost('rpc');
    client = new AmqpRpcClient({ url: vhost.url, name: 'gateway', logger: recordingLogger() });
    await client.connect();
  });

  beforeEach(async () => {
    calls.length = 0;
    await startOrders();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  afterAll(async () => {
    await client?.close();
    await vhost?.drop();
  });

  it('answers with the handler result, through call() and through Nest send()', async () => {
    expect(await client.call('orders.echo', { text: 'hi' }, { deadlineMs: 2_000 })).toEqual({ echoed: 'hi' });
    expect(await lastValueFrom(client.send('orders.echo', { text: 'nest' }))).toEqual({ echoed: 'nest' });
    expect(calls[0].deadline).toBeGreaterThan(Date.now());
    expect(client.isConnected()).toBe(true);
  });

  it('re-throws a CodedError thrown by the handler with the same code, message and details', async () => {
    const err = await client.call('orders.get', { orderId: 'o-1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CodedError);
    expect(err).toMatchObject({ key: 'ORDER_NOT_FOUND', code: '2001', message: 'Order o-1 not found.', details: { orderId: 'o-1' } });
  });

  it('turns any other handler error into INTERNAL_ERROR without leaking its message', async () => {
    const err = (await client.call('orders.crash', {}).catch((e: unknown) => e)) as CodedError;
    expect(err).toMatchObject({ key: 'INTERNAL_ERROR', code: 'INTERNAL_ERROR' });
    expect(JSON.stringify({ message: err.message, details: err.details })).not.toContain('hunter2');
  });

  it('answers GATEWAY_TIMEOUT within the deadline when the service is down, and the stale request is never processed', async () => {
    await app!.close(); // the queue stays, nobody consumes it
    app = undefined;
    const started = Date.now();
    const err = await client.call('orders.echo', { text: 'too late' }, { deadlineMs: 300 }).catch((e: unknown) => e);
    const took = Date.now() - started;
    expect(err).toMatchObject({ code: 'GATEWAY_TIMEOUT' });
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(300 + 250);

    await startOrders();
    expect(await client.call('orders.echo', { text: 'fresh' })).toEqual({ echoed: 'fresh' });
    expect(calls.map((c) => c.data)).toEqual([{ text: 'fresh' }]);
  });

  it('skips a request whose x-deadline has already passed', async () => {
    const conn = await amqplib.connect(vhost.url);
    const ch = await conn.createConfirmChannel();
    const { queue: replyTo } = await ch.assertQueue('', { exclusive: true });
    ch.sendToQueue(queueNames('orders').rpc, Buffer.from(JSON.stringify({ text: 'stale' })), {
      type: 'orders.echo',
      correlationId: 'stale-1',
      replyTo,
      headers: { [HEADERS.deadline]: Date.now() - 1_000 },
    });
    await ch.waitForConfirms();
    await client.call('orders.echo', { text: 'after' }); // processed after the stale one (same queue, FIFO)
    await sleep(50);
    const reply = await ch.get(replyTo, { noAck: true });
    await conn.close();
    expect(reply).toBe(false);
    expect(calls.map((c) => c.data)).toEqual([{ text: 'after' }]);
  });

  it('fails fast with SERVICE_UNAVAILABLE when no queue exists for the service', async () => {
    const started = Date.now();
    const err = await client.call('pharmacy.nothing', {}, { deadlineMs: 2_000 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('fails fast with SERVICE_UNAVAILABLE and reports not connected while the broker is unreachable', async () => {
    const offline = new AmqpRpcClient({
      url: vhost.url.replace(':5672', ':1'),
      name: 'offline',
      connectTimeoutMs: 200,
      logger: recordingLogger(),
    });
    try {
      await expect(offline.connect()).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      expect(offline.isConnected()).toBe(false);
      const started = Date.now();
      await expect(offline.call('orders.echo', { text: 'x' }, { deadlineMs: 2_000 })).rejects.toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
      });
      expect(Date.now() - started).toBeLessThan(100);
    } finally {
      await offline.close();
    }
  });

  it('uses one exclusive reply queue per client', async () => {
    await client.call('orders.echo', { text: 'a' });
    await client.call('orders.echo', { text: 'b' });
    const replyQueue = (client as unknown as { replyQueue: string }).replyQueue;
    const conn = await amqplib.connect(vhost.url);
    const ch = await conn.createChannel();
    ch.on('error', () => undefined);
    // Another connection may not use an exclusive queue: the broker refuses (405 RESOURCE_LOCKED).
    const err = await ch.checkQueue(replyQueue).then(() => ch.consume(replyQueue, () => undefined)).catch((e: unknown) => e);
    await conn.close().catch(() => undefined);
    expect(String(err)).toMatch(/RESOURCE_LOCKED|exclusive/i);
    await eventually(() => client.isConnected());
  });
});
