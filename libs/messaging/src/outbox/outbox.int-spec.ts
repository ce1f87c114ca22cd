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

  describe('fast path (published from memory after the commit)', () => {
    const unsent = () => db.sql.$queryRawUnsafe<{ n: number }[]>('SELECT count(*)::int AS n FROM outbox_message WHERE sent_at IS NULL');

    it('publishes a committed message once, without a relay pass, and marks it sent', async () => {
      // Relay passes that claimed a row (a reconnect's pass may run, but must find nothing to take).
      let claimedByRelay = 0;
      const counted: SqlClient = {
        $executeRawUnsafe: db.sql.$executeRawUnsafe.bind(db.sql),
        $queryRawUnsafe: db.sql.$queryRawUnsafe.bind(db.sql),
        $transaction: (fn) =>
          db.sql.$transaction(
            (tx) =>
              fn({
                ...tx,
                $executeRawUnsafe: tx.$executeRawUnsafe.bind(tx),
                $queryRawUnsafe: async (query: string, ...values: unknown[]) => {
                  const rows = await tx.$queryRawUnsafe(query, ...values);
                  if (/FOR UPDATE SKIP LOCKED/.test(query) && Array.isArray(rows)) claimedByRelay += rows.length;
                  return rows;
                },
              } as typeof tx),
          ),
      };
      const fastMetrics = new MessagingMetrics();
      const fast = new Outbox({ db: counted, connection, service: 'identity', metrics: fastMetrics, logger: recordingLogger() });
      try {
        const sent = await Promise.all(
          Array.from({ length: 5 }, () => fast.transaction((tx) => fast.enqueue(tx, { definition: ClinicCreatedV1, payload: clinic() }))),
        );
        await eventually(async () => (await unsent())[0].n === 0);
        // Nothing went out through a claim transaction.
        expect(claimedByRelay).toBe(0);
        await eventually(() => capture.messages.length === 5);
        expect(capture.messages.map((m) => m.properties.messageId).sort()).toEqual(sent.map((e) => e.messageId).sort());
        expect((await fastMetrics.snapshot()).published).toBe(5);
      } finally {
        await fast.stop();
      }
    });

    it('marks a confirmed message sent in the next transaction of the outbox, without a commit of its own', async () => {
      let ownStatements = 0;
      const counted = {
        $executeRawUnsafe: ((query: string, ...values: unknown[]) => {
          ownStatements++;
          return db.sql.$executeRawUnsafe(query, ...values);
        }) as typeof db.sql.$executeRawUnsafe,
        $queryRawUnsafe: db.sql.$queryRawUnsafe.bind(db.sql),
        $transaction: db.sql.$transaction.bind(db.sql) as typeof db.sql.$transaction,
      };
      const lingering = new Outbox({ db: counted, connection, service: 'identity', logger: recordingLogger(), markLingerMs: 60_000 });
      try {
        const first = await lingering.transaction((tx) => lingering.enqueue(tx, { definition: ClinicCreatedV1, payload: clinic() }));
        await eventually(() => capture.messages.length === 1);
        // Later transactions (here ones that write nothing else) carry the mark once it is confirmed.
        await eventually(async () => {
          await lingering.transaction(async () => undefined);
          const rows = await db.sql.$queryRawUnsafe<{ sent_at: Date | null }[]>(
            'SELECT sent_at FROM outbox_message WHERE message_id = $1::uuid',
            first.messageId,
          );
          return rows[0]?.sent_at != null;
        });
        expect(ownStatements).toBe(0);
      } finally {
        await lingering.stop();
      }
    });

    it('publishes the messages of a transaction committed by the caller when kicked with that transaction', async () => {
      const second = await db.sql.$transaction(async (tx) => {
        const e = await sut.enqueue(tx, { definition: ClinicCreatedV1, payload: clinic() });
        return { e, tx };
      });
      sut.kick(second.tx);
      await eventually(() => capture.messages.length === 1);
      expect(capture.messages[0].properties.messageId).toBe(second.e.messageId);
      await eventually(async () => (await unsent())[0].n === 0);
    });

    it('leaves a row whose publish failed to the relay, which publishes it once', async () => {
      // A replica whose broker channel refuses every publish (a nack), while its connection looks up.
      const failing = new Outbox({
        db: db.sql,
        connection: {
          isConnected: () => true,
          createChannel: () => ({
            publish: () => Promise.reject(new Error('nacked by the broker')),
            on: () => undefined,
            close: async () => undefined,
          }),
        } as unknown as AmqpConnection,
        service: 'identity',
        logger: recordingLogger(),
        flushTimeoutMs: 0,
      });
      const envelope = await failing.transaction((tx) => failing.enqueue(tx, { definition: ClinicCreatedV1, payload: clinic() }));
      // Its own retry pass fails too and records why.
      await eventually(async () => {
        const rows = await db.sql.$queryRawUnsafe<{ attempts: number; last_error: string | null }[]>('SELECT attempts, last_error FROM outbox_message');
        return rows[0]?.attempts >= 1 && /nacked/.test(rows[0].last_error ?? '');
      });
      await failing.stop();
      expect(await sut.backlog()).toBe(1);

      // A healthy replica's sweeper takes it once it is past the grace period.
      sut = new Outbox({ db: db.sql, connection, service: 'identity', logger: recordingLogger(), sweepEveryMs: 20, sweepGraceMs: 50 });
      sut.start();
      await eventually(async () => (await sut.backlog()) === 0);
      await eventually(() => capture.messages.length === 1);
      expect(capture.messages.map((m) => m.properties.messageId)).toEqual([envelope.messageId]);
    });

    it('publishes through the sweeper what a crash between commit and publish left behind', async () => {
      sut = new Outbox({ db: db.sql, connection, service: 'identity', logger: recordingLogger(), sweepEveryMs: 20, sweepGraceMs: 100 });
      sut.start();
      // Committed, then the process died before its fast path ran: nobody kicks with this transaction.
      const envelope = await db.sql.$transaction((tx) => sut.enqueue(tx, { definition: ClinicCreatedV1, payload: clinic() }));
      await eventually(() => capture.messages.length === 1);
      expect(capture.messages[0].properties.messageId).toBe(envelope.messageId);
      await eventually(async () => (await sut.backlog()) === 0);
    });

    it('does not publish a message twice in the normal case with two replicas sweeping', async () => {
      const metricsA = new MessagingMetrics();
      const metricsB = new MessagingMetrics();
      const a = new Outbox({ db: db.sql, connection, service: 'identity', metrics: metricsA, logger: recordingLogger(), sweepEveryMs: 10 });
      const b = new Outbox({ db: db.sql, connection, service: 'identity', metrics: metricsB, logger: recordingLogger(), sweepEveryMs: 10 });
      a.start();
      b.start();
      // Their start-up passes (which take young rows too) are over before the traffic starts.
      await Promise.all([a.relay(), b.relay()]);
      try {
        const sent = await Promise.all(
          Array.from({ length: 30 }, (_, i) => {
            const replica = i % 2 === 0 ? a : b;
            return replica.transaction((tx) => replica.enqueue(tx, { definition: ClinicCreatedV1, payload: clinic(`Clinic ${i}`) }));
          }),
        );
        await eventually(async () => (await unsent())[0].n === 0);
        await Promise.all([a.stop(), b.stop()]);
        // Every publish either replica made, confirmed by the broker: each message exactly once.
        const published = (await metricsA.snapshot()).published + (await metricsB.snapshot()).published;
        expect(published).toBe(30);
        await eventually(() => capture.messages.length === 30);
        expect(new Set(capture.messages.map((m) => m.properties.messageId))).toEqual(new Set(sent.map((e) => e.messageId)));
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    });
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
