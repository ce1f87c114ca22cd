import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import { ClinicCreatedV1, EXCHANGES, queueNames } from '@prescriptchain/contracts';
import * as amqplib from 'amqplib';
import { type TestVhost, createTestVhost, eventually } from '../../../../test/support/infra';
import { createServiceMicroservice } from '../nest/create-service-microservice';
import { recordingLogger, sleep } from '../testing/messaging-test-kit';

const q = queueNames('notifications');

@Controller()
class EventsAndRpcController {
  @EventPattern<string>(ClinicCreatedV1.type)
  onClinicCreated(): void {}

  @MessagePattern('notifications.test.ping')
  ping() {
    return { ok: true };
  }
}

@Module({ controllers: [EventsAndRpcController] })
class EventsAndRpcModule {}

/**
 * The readiness ping is an RPC: a service that answered RPCs before its events queue was bound told
 * the platform "ready" while the broker still dropped every event published to it (an event with no
 * binding goes nowhere). A fresh platform under load lost `identity.clinic.created` that way.
 */
describe('AmqpTransport readiness', () => {
  let vhost: TestVhost;
  let app: INestMicroservice | undefined;
  /** amqplib's channel class (its module is not exported): every channel the transport opens is one. */
  let Channel: { prototype: amqplib.Channel };

  beforeAll(async () => {
    vhost = await createTestVhost('transport-ready');
    const conn = await amqplib.connect(vhost.url);
    Channel = { prototype: Object.getPrototypeOf(await conn.createChannel()) };
    await conn.close();
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await app?.close();
    app = undefined;
  });

  afterAll(async () => {
    await vhost?.drop();
  });

  it('serves no RPC until its events queue is bound', async () => {
    const bindQueue = Channel.prototype.bindQueue;
    const assertQueue = Channel.prototype.assertQueue;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let heldAt: number | undefined;
    const asserted: string[] = [];
    // The events queue's binding is held back, as a slow broker would (a quorum queue under load).
    jest.spyOn(Channel.prototype, 'bindQueue').mockImplementation(async function (this: amqplib.Channel, ...args) {
      const [queue, source] = args;
      if (queue === q.events && source === EXCHANGES.events) {
        heldAt ??= Date.now();
        await gate;
      }
      return bindQueue.apply(this, args);
    });
    jest.spyOn(Channel.prototype, 'assertQueue').mockImplementation(function (this: amqplib.Channel, ...args) {
      asserted.push(String(args[0]));
      return assertQueue.apply(this, args);
    });

    app = await createServiceMicroservice(EventsAndRpcModule, {
      service: 'notifications',
      url: vhost.url,
      logger: recordingLogger(),
      nest: { logger: false },
      shutdownHooks: false,
    });
    const listening = app.listen();
    await eventually(async () => heldAt !== undefined, 10_000, 10);
    await sleep(300);
    expect(asserted).not.toContain(q.rpc);

    release();
    await listening;
    const conn = await amqplib.connect(vhost.url);
    try {
      const ch = await conn.createChannel();
      expect(await ch.checkQueue(q.rpc)).toMatchObject({ consumerCount: 1 });
      expect(await ch.checkQueue(q.events)).toMatchObject({ consumerCount: 1 });
    } finally {
      await conn.close();
    }
  });
});
