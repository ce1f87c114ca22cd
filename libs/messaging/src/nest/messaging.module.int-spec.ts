import { randomUUID } from 'node:crypto';
import { Controller, Inject, type INestMicroservice, Module } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { ClinicCreatedV1, EXCHANGES, PingReplySchema, RPC } from '@prescriptchain/contracts';
import { type TestVhost, createTestVhost, eventually } from '../../../../test/support/infra';
import { AmqpRpcClient } from '../amqp/amqp-rpc.client';
import { Outbox } from '../outbox/outbox';
import { type CapturedQueue, type MessagingDb, captureQueue, createMessagingDb, recordingLogger } from '../testing/messaging-test-kit';
import { createServiceMicroservice } from './create-service-microservice';
import { MessagingModule } from './messaging.module';

const PRISMA = Symbol('PRISMA');

describe(MessagingModule.name, () => {
  let vhost: TestVhost;
  let db: MessagingDb;
  let capture: CapturedQueue;
  let client: AmqpRpcClient;
  let app: INestMicroservice | undefined;

  @Controller()
  class CreateClinicController {
    constructor(@Inject(Outbox) private readonly outbox: Outbox) {}

    @MessagePattern<string>('identity.clinics.create')
    async create(data: { name: string }) {
      const envelope = await this.outbox.transaction((tx) =>
        this.outbox.enqueue(tx, { definition: ClinicCreatedV1, payload: { clinicId: randomUUID(), name: data.name, ownerId: null } }),
      );
      return { messageId: envelope.messageId };
    }
  }

  const start = async () => {
    @Module({ providers: [{ provide: PRISMA, useValue: db.sql }], exports: [PRISMA] })
    class PrismaModule {}

    @Module({
      imports: [MessagingModule.forService({ service: 'identity', prismaToken: PRISMA, imports: [PrismaModule], url: vhost.url, logger: recordingLogger() })],
      controllers: [CreateClinicController],
    })
    class IdentityModule {}

    app = await createServiceMicroservice(IdentityModule, {
      service: 'identity',
      url: vhost.url,
      logger: recordingLogger(),
      nest: { logger: false },
      shutdownHooks: false,
    });
    await app.listen();
    return app;
  };

  beforeAll(async () => {
    [vhost, db] = await Promise.all([createTestVhost('module'), createMessagingDb('module')]);
    capture = await captureQueue(vhost.url, EXCHANGES.events);
    client = new AmqpRpcClient({ url: vhost.url, name: 'gateway', logger: recordingLogger() });
    await client.connect();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    capture.messages.length = 0;
  });

  afterAll(async () => {
    await client?.close();
    await capture?.close();
    await vhost?.drop();
    await db?.drop();
  });

  it('answers the ping RPC with the service messaging counters', async () => {
    await start();
    const { messageId } = await client.call<{ messageId: string }>('identity.clinics.create', { name: 'Pinged' });
    await eventually(() => capture.messages.some((m) => m.properties.messageId === messageId));
    const reply = PingReplySchema.parse(await client.call(RPC.ping('identity')));
    expect(reply).toMatchObject({ service: 'identity', status: 'up', messaging: { outboxBacklog: 0 } });
    expect(reply.messaging.published).toBeGreaterThanOrEqual(1);
  });

  it('starts the relay on bootstrap: a row committed without a kick is published by the sweeper', async () => {
    const started = await start();
    const outbox = started.get(Outbox);
    const envelope = await db.sql.$transaction((tx) =>
      outbox.enqueue(tx, { definition: ClinicCreatedV1, payload: { clinicId: randomUUID(), name: 'Swept', ownerId: null } }),
    );
    await eventually(() => capture.messages.some((m) => m.properties.messageId === envelope.messageId), 3_000);
  });

  it('publishes pending rows before shutdown completes', async () => {
    const started = await start();
    const outbox = started.get(Outbox);
    const envelope = await db.sql.$transaction((tx) =>
      outbox.enqueue(tx, { definition: ClinicCreatedV1, payload: { clinicId: randomUUID(), name: 'Flushed', ownerId: null } }),
    );
    await started.close();
    app = undefined;
    const [{ n }] = await db.sql.$queryRawUnsafe<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM outbox_message WHERE sent_at IS NULL',
    );
    expect(n).toBe(0);
    await eventually(() => capture.messages.some((m) => m.properties.messageId === envelope.messageId), 1_000);
  });
});
