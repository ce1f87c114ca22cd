import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import { ClinicCreatedV1, CodedError, EXCHANGES, HEADERS, queueNames } from '@prescriptchain/contracts';
import * as amqplib from 'amqplib';
import { z } from 'zod';
import { type TestVhost, createTestVhost, eventually } from '../../../../test/support/infra';
import { MessagingMetrics } from '../metrics/messaging.metrics';
import { Outbox } from '../outbox/outbox';
import { ConsumerProbe, EFFECT_DDL, startClinicConsumer } from '../testing/clinic-consumer.app';
import { type MessagingDb, createMessagingDb, drainQueue, recordingLogger, sleep } from '../testing/messaging-test-kit';
import { AmqpConnection } from './amqp.connection';
import { AmqpTransport } from './amqp.transport';

const q = queueNames('accounts');
const clinic = (name: string) => ({ clinicId: randomUUID(), name, ownerId: null });

describe(AmqpTransport.name, () => {
  let vhost: TestVhost;
  let db: MessagingDb;
  let connection: AmqpConnection;
  let outbox: Outbox;
  let probe: ConsumerProbe;
  let metrics: MessagingMetrics;
  let app: INestMicroservice | undefined;

  const effects = () => db.sql.$queryRawUnsafe<{ message_id: string; attempt: number }[]>('SELECT message_id, attempt FROM effect');

  const publish = (names: string[]) =>
    outbox.transaction((tx) => outbox.enqueue(tx, names.map((name) => ({ definition: ClinicCreatedV1, payload: clinic(name) }))));

  beforeAll(async () => {
    [vhost, db] = await Promise.all([createTestVhost('transport'), createMessagingDb('transport', EFFECT_DDL)]);
    connection = new AmqpConnection({ url: vhost.url, name: 'identity-outbox', logger: recordingLogger() });
    outbox = new Outbox({ db: db.sql, connection, service: 'identity', logger: recordingLogger() });
  });

  beforeEach(async () => {
    probe = new ConsumerProbe();
    metrics = new MessagingMetrics();
    const started = await startClinicConsumer({
      db: db.sql,
      probe,
      transport: { url: vhost.url, retryDelaysMs: [50, 100], logger: recordingLogger(), metrics },
    });
    app = started.app;
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await db.sql.$executeRawUnsafe('TRUNCATE effect, inbox_message, outbox_message');
  });

  afterAll(async () => {
    await outbox?.stop();
    await connection?.close();
    await vhost?.drop();
    await db?.drop();
  });

  it('dead-letters a message that always fails after the configured attempts, with its error in headers, while messages behind it keep flowing', async () => {
    probe.before = (envelope) => {
      if (envelope.payload.name === 'poison') throw new Error('ledger unavailable for this clinic');
    };
    const [poison, ...good] = await publish(['poison', 'a', 'b', 'c', 'd', 'e']);

    await eventually(async () => (await effects()).length === 5);
    const dlq = await eventually(async () => {
      const got = await drainQueue(vhost.url, q.deadLetter);
      return got.length > 0 ? got : undefined;
    }).then((got) => got!);

    expect(dlq).toHaveLength(1);
    const dead = dlq[0];
    expect(dead.properties.messageId).toBe(poison.messageId);
    expect(dead.properties.headers).toMatchObject({
      [HEADERS.attempt]: 3,
      [HEADERS.originalQueue]: q.events,
      [HEADERS.lastError]: expect.stringContaining('ledger unavailable for this clinic'),
    });
    expect(JSON.parse(dead.content.toString()).messageId).toBe(poison.messageId);

    const poisonAttempts = probe.deliveries.filter((d) => d.messageId === poison.messageId);
    expect(poisonAttempts.map((d) => d.attempt)).toEqual([1, 2, 3]);
    // The backoff held the poison message back; the messages behind it did not wait for it.
    const lastGood = Math.max(...probe.deliveries.filter((d) => d.name !== 'poison').map((d) => d.at));
    expect(lastGood).toBeLessThan(poisonAttempts[2].at);
    expect(poisonAttempts[1].at - poisonAttempts[0].at).toBeGreaterThanOrEqual(45);
    expect(poisonAttempts[2].at - poisonAttempts[1].at).toBeGreaterThanOrEqual(95);
    expect((await effects()).map((e) => e.message_id).sort()).toEqual(good.map((e) => e.messageId).sort());
    expect(await metrics.snapshot()).toMatchObject({ consumed: 5, retried: 2, deadLettered: 1 });
  });

  it('applies a message that succeeds on a retry exactly once', async () => {
    probe.before = (_envelope, ctx) => {
      if (ctx.getAttempt() < 2) throw new Error('transient');
    };
    const [env] = await publish(['flaky']);
    await eventually(async () => (await effects()).length === 1);
    expect(await effects()).toEqual([{ message_id: env.messageId, attempt: 2 }]);
    expect(await drainQueue(vhost.url, q.deadLetter)).toEqual([]);
  });

  it('dead-letters a permanent failure (a 4xx-coded error, a zod parse failure) after exactly one attempt, with the error', async () => {
    probe.before = (envelope) => {
      if (envelope.payload.name === 'invalid') {
        throw new CodedError('VALIDATION_FAILED', 'The clinic name is not acceptable.', [{ path: 'name', message: 'is reserved' }]);
      }
      if (envelope.payload.name === 'misread') z.object({ name: z.string().min(20) }).parse(envelope.payload);
    };
    const [invalid, misread, good] = await publish(['invalid', 'misread', 'fine']);

    const dlq: amqplib.GetMessage[] = [];
    await eventually(async () => {
      dlq.push(...(await drainQueue(vhost.url, q.deadLetter)));
      return dlq.length >= 2 && (await effects()).length === 1;
    });
    const headersOf = (id: string) => dlq.find((m) => m.properties.messageId === id)?.properties.headers ?? {};
    expect(dlq.map((m) => m.properties.messageId).sort()).toEqual([invalid.messageId, misread.messageId].sort());
    expect(headersOf(invalid.messageId)).toMatchObject({
      [HEADERS.attempt]: 1,
      [HEADERS.originalQueue]: q.events,
      [HEADERS.lastError]: expect.stringMatching(/VALIDATION_FAILED.*not acceptable.*"path":"name".*is reserved/),
    });
    expect(headersOf(misread.messageId)).toMatchObject({
      [HEADERS.attempt]: 1,
      [HEADERS.lastError]: expect.stringContaining('ZodError'),
    });
    // One delivery each: no retry queue saw them.
    for (const { messageId } of [invalid, misread]) {
      expect(probe.deliveries.filter((d) => d.messageId === messageId).map((d) => d.attempt)).toEqual([1]);
    }
    expect((await effects()).map((e) => e.message_id)).toEqual([good.messageId]);
    expect(await metrics.snapshot()).toMatchObject({ consumed: 1, retried: 0, deadLettered: 2 });
  });

  it('retries a transient coded failure (a dependency down) and applies the message once it passes', async () => {
    probe.before = (_envelope, ctx) => {
      if (ctx.getAttempt() < 3) throw new CodedError('EXTERNAL_SERVICE_ERROR', 'the ledger did not answer');
    };
    const [env] = await publish(['dependency-down']);
    await eventually(async () => (await effects()).length === 1);
    expect(probe.deliveries.map((d) => d.attempt)).toEqual([1, 2, 3]);
    expect(await effects()).toEqual([{ message_id: env.messageId, attempt: 3 }]);
    expect(await drainQueue(vhost.url, q.deadLetter)).toEqual([]);
    expect(await metrics.snapshot()).toMatchObject({ consumed: 1, retried: 2, deadLettered: 0 });
  });

  it('sends an unknown type version or an unparseable envelope straight to the DLQ without calling a handler', async () => {
    const conn = await amqplib.connect(vhost.url);
    const ch = await conn.createConfirmChannel();
    const unknownVersion = {
      messageId: randomUUID(),
      type: ClinicCreatedV1.type,
      version: 99,
      occurredAt: new Date().toISOString(),
      correlationId: 'c',
      causationId: null,
      traceparent: null,
      payload: {},
    };
    ch.publish(EXCHANGES.events, ClinicCreatedV1.type, Buffer.from(JSON.stringify(unknownVersion)), { messageId: 'unknown-version', persistent: true });
    ch.publish(EXCHANGES.events, ClinicCreatedV1.type, Buffer.from('{not json'), { messageId: 'garbage', persistent: true });
    ch.publish(
      EXCHANGES.events,
      ClinicCreatedV1.type,
      Buffer.from(JSON.stringify({ ...unknownVersion, messageId: randomUUID(), version: 1, payload: { clinicId: 'nope' } })),
      { messageId: 'bad-payload', persistent: true },
    );
    await ch.waitForConfirms();
    await conn.close();

    const dlq: amqplib.GetMessage[] = [];
    await eventually(async () => {
      dlq.push(...(await drainQueue(vhost.url, q.deadLetter)));
      return dlq.length >= 3;
    });
    const byId: Record<string, Record<string, unknown>> = Object.fromEntries(
      dlq.map((m) => [m.properties.messageId, m.properties.headers ?? {}]),
    );
    expect(Object.keys(byId).sort()).toEqual(['bad-payload', 'garbage', 'unknown-version']);
    expect(byId['unknown-version'][HEADERS.lastError]).toMatch(/unknown message type identity\.clinic\.created v99/);
    expect(byId['garbage'][HEADERS.lastError]).toMatch(/unparseable envelope/);
    expect(byId['bad-payload'][HEADERS.lastError]).toMatch(/invalid payload/);
    for (const headers of Object.values(byId)) expect(headers[HEADERS.attempt]).toBe(1);
    expect(probe.deliveries).toEqual([]);
  });

  it('finishes an in-flight handler and acks its message before close() returns', async () => {
    let finished = false;
    probe.afterCommit = async () => {
      await sleep(300);
      finished = true;
    };
    await publish(['slow']);
    await eventually(() => probe.deliveries.length === 1);
    await app!.close();
    app = undefined;
    expect(finished).toBe(true);

    // Nothing left to redeliver: the message was acked, not returned to the queue.
    const conn = await amqplib.connect(vhost.url);
    const ch = await conn.createChannel();
    const { messageCount } = await ch.checkQueue(q.events);
    await conn.close();
    expect(messageCount).toBe(0);
    expect(await effects()).toHaveLength(1);
  });

  it('declares the quorum events queue with its dead-letter route, delivery limit and per-level retry queues', async () => {
    const conn = await amqplib.connect(vhost.url);
    const ch = await conn.createChannel();
    ch.on('error', () => undefined);
    // Re-declaring with the same arguments succeeds only if the broker holds exactly these.
    const events = await ch.assertQueue(q.events, {
      durable: true,
      arguments: {
        'x-queue-type': 'quorum',
        'x-dead-letter-exchange': EXCHANGES.deadLetter,
        'x-dead-letter-routing-key': q.events,
        'x-delivery-limit': 10,
      },
    });
    const retries = [];
    for (const [level, ttl] of [[1, 50], [2, 100]]) {
      retries.push(
        await ch.assertQueue(q.retryLevel(level), {
          durable: true,
          arguments: { 'x-message-ttl': ttl, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': q.events },
        }),
      );
    }
    await conn.close();
    expect(events.consumerCount).toBe(1);
    expect(retries.map((r) => r.queue)).toEqual(['accounts.events.retry.1', 'accounts.events.retry.2']);
  });
});
