import { randomUUID } from 'node:crypto';
import { ClinicCreatedV1, EXCHANGES, HEADERS } from '@prescriptchain/contracts';
import { type TestVhost, createTestVhost, eventually } from '../../../../test/support/infra';
import { AmqpConnection } from '../amqp/amqp.connection';
import { Inbox } from '../inbox/inbox';
import { MessagingMetrics } from '../metrics/messaging.metrics';
import {
  type CapturedQueue,
  type MessagingDb,
  captureQueue,
  createMessagingDb,
  recordingLogger,
  sleep,
} from '../testing/messaging-test-kit';
import { Outbox } from './outbox';
import type { SqlClient } from '../sql/sql-client';

const clinic = (name = 'Lotus Clinic') => ({ clinicId: randomUUID(), name, ownerId: null });

describe(Outbox.name, () => {
  let vhost: TestVhost;
  let db: MessagingDb;
  let connection: AmqpConnection;
  let capture: CapturedQueue;
  let metrics: MessagingMetrics;
  let sut: Outbox;

  beforeAll(async () => {
    [vhost, db] = await Promise.all([
      createTestVhost('outbox'),
      createMessagingDb('outbox', 'CREATE TABLE clinic (id uuid PRIMARY KEY, name text NOT NULL);'),
    ]);
    connection = new AmqpConnection({ url: vhost.url, name: 'identity-outbox', logger: recordingLogger() });
    await connection.waitForConnect(5_000);
    capture = await captureQueue(vhost.url, EXCHANGES.events, 'identity.#');
  });

  beforeEach(async () => {
    await db.sql.$executeRawUnsafe('TRUNCATE outbox_message, inbox_message, clinic');
    capture.messages.length = 0;
    metrics = new MessagingMetrics();
    sut = new Outbox({ db: db.sql, connection, service: 'identity', metrics, logger: recordingLogger() });
  });

  afterEach(async () => {
    await sut.stop();
  });

  afterAll(async () => {
    await capture?.close();
    await connection?.close();
    await vhost?.drop();
    await db?.drop();
  });

  it('spends a relay transaction only where there is something to relay', async () => {
    // The relay's transactions, counted on a client that is otherwise the suite's own.
    let relayTransactions = 0;
    const counted: SqlClient = {
      $executeRawUnsafe: db.sql.$executeRawUnsafe.bind(db.sql),
      $queryRawUnsafe: db.sql.$queryRawUnsafe.bind(db.sql),
      $transaction: (fn) => {
        relayTransactions++;
        return db.sql.$transaction(fn);
      },
    };
    const relay = new Outbox({ db: counted, connection, service: 'identity', logger: recordingLogger() });
    try {
      // A transaction that wrote no message kicks nothing: its own transaction only.
      // (A kick starts its pass's transaction synchronously, so it would be counted by now.)
      await relay.transaction((tx) => tx.$executeRawUnsafe('INSERT INTO clinic (id, name) VALUES ($1, $2)', randomUUID(), 'Quiet'));
      expect(relayTransactions).toBe(1);

      // Ten commits kicking at once: passes started after a kick cover it, and every message goes out.
      relayTransactions = 0;
      const sent = await Promise.all(
        Array.from({ length: 10 }, () => relay.transaction((tx) => relay.enqueue(tx, { definition: ClinicCreatedV1, payload: clinic() }))),
      );
      await eventually(() => capture.messages.length === 10);
      await relay.relay();
      expect(capture.messages.map((m) => m.properties.messageId).sort()).toEqual(sent.map((e) => e.messageId).sort());
      expect(relayTransactions).toBeGreaterThan(10); // the ten business transactions and at least one pass
      expect(await db.sql.$queryRawUnsafe('SELECT count(*)::int AS n FROM outbox_message WHERE sent_at IS NULL')).toEqual([{ n: 0 }]);
    } finally {
      await relay.stop();
    }
  });

  it('leaves no outbox row and publishes nothing when the state change rolls back', async () => {
    const payload = clinic();
    await expect(
      sut.transaction(async (tx) => {
        await tx.$executeRawUnsafe('INSERT INTO clinic (id, name) VALUES ($1, $2)', payload.clinicId, payload.name);
        await sut.enqueue(tx, { definition: ClinicCreatedV1, payload });
        throw new Error('business rule failed after the write');
      }),
    ).rejects.toThrow('business rule failed');

    await sut.relay();
    expect(await db.sql.$queryRawUnsafe('SELECT * FROM outbox_message')).toEqual([]);
    expect(await db.sql.$queryRawUnsafe('SELECT * FROM clinic')).toEqual([]);

    // A committed message published after it arrives alone: the rolled-back one never existed.
    const committed = await sut.transaction((tx) => sut.enqueue(tx, { definition: ClinicCreatedV1, payload: clinic() }));
    await eventually(() => capture.messages.length === 1);
    await sleep(100);
    expect(capture.messages.map((m) => m.properties.messageId)).toEqual([committed.messageId]);
  });

  it('publishes a committed message persistently with its envelope and headers, then marks it sent', async () => {
    const payload = clinic();
    const envelope = await sut.transaction(async (tx) => {
      await tx.$executeRawUnsafe('INSERT INTO clinic (id, name) VALUES ($1, $2)', payload.clinicId, payload.name);
      return sut.enqueue(tx, { definition: ClinicCreatedV1, payload, correlationId: 'corr-1', causationId: randomUUID() });
    });

    await eventually(() => capture.messages.length === 1);
    const [msg] = capture.messages;
    expect(msg.fields.routingKey).toBe('identity.clinic.created');
    expect(msg.properties.deliveryMode).toBe(2);
    expect(msg.properties.messageId).toBe(envelope.messageId);
    expect(msg.properties.headers).toMatchObject({ [HEADERS.messageType]: 'identity.clinic.created', [HEADERS.messageVersion]: 1 });
    expect(JSON.parse(msg.content.toString())).toEqual(envelope);
    expect(envelope).toMatchObject({ type: 'identity.clinic.created', version: 1, correlationId: 'corr-1', payload });

    await eventually(async () => {
      const rows = await db.sql.$queryRawUnsafe<{ sent_at: Date | null }[]>('SELECT sent_at FROM outbox_message');
      return rows.length === 1 && rows[0].sent_at !== null;
    });
    expect(await sut.backlog()).toBe(0);
    expect((await metrics.snapshot()).published).toBe(1);
  });

  it('defaults the correlationId to the message id and keeps batch order', async () => {
    const envelopes = await sut.transaction((tx) =>
      sut.enqueue(tx, [1, 2, 3].map((i) => ({ definition: ClinicCreatedV1, payload: clinic(`Clinic ${i}`) }))),
    );
    await eventually(() => capture.messages.length === 3);
    expect(capture.messages.map((m) => m.properties.messageId)).toEqual(envelopes.map((e) => e.messageId));
    for (const e of envelopes) expect(e.correlationId).toBe(e.messageId);
  });

  it('refuses an invalid payload at enqueue, so the transaction cannot commit it', async () => {
    await expect(
      sut.transaction((tx) =>
        sut.enqueue(tx, { definition: ClinicCreatedV1, payload: { clinicId: 'not-a-uuid', name: 'x', ownerId: null } }),
      ),
    ).rejects.toThrow(/invalid identity.clinic.created v1 payload/);
    expect(await sut.backlog()).toBe(0);
  });

  it('leaves rows pending while the broker is away and the sweeper publishes them once it is back', async () => {
    const away = new AmqpConnection({ url: vhost.url.replace(':5672', ':1'), name: 'unreachable', logger: recordingLogger() });
    const offline = new Outbox({ db: db.sql, connection: away, service: 'identity', logger: recordingLogger(), sweepEveryMs: 50 });
    await offline.transaction((tx) => offline.enqueue(tx, { definition: ClinicCreatedV1, payload: clinic() }));
    await offline.relay();
    expect(await offline.backlog()).toBe(1);
    await offline.stop();
    await away.close();

    sut = new Outbox({ db: db.sql, connection, service: 'identity', logger: recordingLogger(), sweepEveryMs: 50 });
    sut.start();
    await eventually(() => capture.messages.length === 1);
    await eventually(async () => (await sut.backlog()) === 0);
  });

  it('purges sent rows and old inbox rows past their retention', async () => {
    await sut.transaction((tx) => sut.enqueue(tx, { definition: ClinicCreatedV1, payload: clinic() }));
    await eventually(async () => (await sut.backlog()) === 0);
    await db.sql.$executeRawUnsafe("UPDATE outbox_message SET sent_at = now() - interval '8 days'");
    const inbox = new Inbox(db.sql);
    const old = { messageId: randomUUID(), type: 'identity.clinic.created' };
    const fresh = { messageId: randomUUID(), type: 'identity.clinic.created' };
    await db.sql.$transaction((tx) => inbox.claim(tx, 'accounts.test', old));
    await db.sql.$transaction((tx) => inbox.claim(tx, 'accounts.test', fresh));
    await db.sql.$executeRawUnsafe("UPDATE inbox_message SET received_at = now() - interval '15 days' WHERE message_id = $1", old.messageId);

    expect(await sut.purgeSent(new Date(Date.now() - 7 * 86_400_000))).toBe(1);
    expect(await inbox.purgeOlderThan(new Date(Date.now() - 14 * 86_400_000))).toBe(1);
    const left = await db.sql.$queryRawUnsafe<{ message_id: string }[]>('SELECT message_id FROM inbox_message');
    expect(left.map((r) => r.message_id)).toEqual([fresh.messageId]);
  });
});

describe(Inbox.name, () => {
  let db: MessagingDb;
  beforeAll(async () => {
    db = await createMessagingDb('inbox');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('claims a message once per consumer and reports the duplicate without aborting the transaction', async () => {
    const inbox = new Inbox(db.sql);
    const envelope = { messageId: randomUUID(), type: 'identity.clinic.created' };
    const first = await db.sql.$transaction((tx) => inbox.claim(tx, 'accounts.clinic-created', envelope));
    const again = await db.sql.$transaction(async (tx) => {
      const claimed = await inbox.claim(tx, 'accounts.clinic-created', envelope);
      // The transaction is still usable after the conflict (a unique violation would have aborted it).
      await tx.$queryRawUnsafe('SELECT 1');
      return claimed;
    });
    const otherConsumer = await db.sql.$transaction((tx) => Inbox.claim(tx, 'notifications.clinic-created', envelope));
    expect([first, again, otherConsumer]).toEqual([true, false, true]);
  });
});
