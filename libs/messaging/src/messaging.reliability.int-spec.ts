/**
 * End to end through the kit: Outbox (producer) → RabbitMQ → AmqpTransport + Inbox (consumer), with
 * the failures the design exists for: a relay crash after publish, a consumer crash after commit,
 * a broker connection cut under both.
 */
import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import { ClinicCreatedV1 } from '@prescriptchain/contracts';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import { type TestVhost, closeVhostConnections, createTestVhost, eventually } from '../../../test/support/infra';
import { AmqpConnection } from './amqp/amqp.connection';
import type { AmqpTransport } from './amqp/amqp.transport';
import { Outbox } from './outbox/outbox';
import { ConsumerProbe, EFFECT_DDL, startClinicConsumer } from './testing/clinic-consumer.app';
import { type MessagingDb, createMessagingDb, recordingLogger, waitForListedConnections } from './testing/messaging-test-kit';

const clinic = (name: string) => ({ clinicId: randomUUID(), name, ownerId: null });

describe('messaging reliability (outbox → broker → inbox)', () => {
  let vhost: TestVhost;
  let db: MessagingDb;
  let connection: AmqpConnection;
  let probe: ConsumerProbe;
  let app: INestMicroservice;
  let transport: AmqpTransport;
  let outbox: Outbox;

  const effectCounts = () =>
    db.sql.$queryRawUnsafe<{ message_id: string; n: number }[]>(
      'SELECT message_id, count(*)::int AS n FROM effect GROUP BY message_id',
    );

  beforeAll(async () => {
    [vhost, db] = await Promise.all([createTestVhost('reliability'), createMessagingDb('reliability', EFFECT_DDL)]);
    connection = new AmqpConnection({ url: vhost.url, name: 'identity-outbox', logger: recordingLogger() });
    await connection.waitForConnect(5_000);
  });

  beforeEach(async () => {
    probe = new ConsumerProbe();
    ({ app, transport } = await startClinicConsumer({
      db: db.sql,
      probe,
      transport: { url: vhost.url, retryDelaysMs: [50, 100], logger: recordingLogger() },
    }));
  });

  afterEach(async () => {
    await outbox?.stop();
    await app?.close();
    await db.sql.$executeRawUnsafe('TRUNCATE effect, inbox_message, outbox_message');
  });

  afterAll(async () => {
    await connection?.close();
    await vhost?.drop();
    await db?.drop();
  });

  it('delivers a message twice with the same messageId when the relay dies between confirm and commit, and the effect happens once', async () => {
    let crashes = 1;
    outbox = new Outbox({
      db: db.sql,
      connection,
      service: 'identity',
      logger: recordingLogger(),
      beforeMarkSent: () => {
        if (crashes-- > 0) throw new Error('relay process killed before commit');
      },
    });
    const envelope = await outbox.transaction((tx) => outbox.enqueue(tx, { definition: ClinicCreatedV1, payload: clinic('Twice') }));
    await outbox.relay(); // the first pass crashed after the broker confirmed; this one re-publishes and commits

    await eventually(() => probe.deliveries.length === 2);
    expect(probe.deliveries.map((d) => d.messageId)).toEqual([envelope.messageId, envelope.messageId]);
    await eventually(async () => (await effectCounts()).length === 1);
    expect(await effectCounts()).toEqual([{ message_id: envelope.messageId, n: 1 }]);
    const rows = await db.sql.$queryRawUnsafe<{ sent_at: Date | null }[]>('SELECT sent_at FROM outbox_message');
    expect(rows).toHaveLength(1);
    expect(rows[0].sent_at).not.toBeNull();
  });

  it('redelivers a message whose consumer died after committing but before acking, and the inbox skips the repeat', async () => {
    outbox = new Outbox({ db: db.sql, connection, service: 'identity', logger: recordingLogger() });
    let killed = false;
    probe.afterCommit = async () => {
      if (killed) return;
      killed = true;
      // The consumer's connection goes after the commit, before the transport can ack.
      await transport.unwrap<AmqpConnectionManager>().connection!.close();
    };
    const envelope = await outbox.transaction((tx) => outbox.enqueue(tx, { definition: ClinicCreatedV1, payload: clinic('Crash') }));

    await eventually(() => probe.deliveries.length === 2, 15_000);
    expect(probe.deliveries.map((d) => d.messageId)).toEqual([envelope.messageId, envelope.messageId]);
    expect(await effectCounts()).toEqual([{ message_id: envelope.messageId, n: 1 }]);
  });

  it('recovers producer and consumer after the broker cuts their connections, losing and duplicating nothing', async () => {
    outbox = new Outbox({ db: db.sql, connection, service: 'identity', logger: recordingLogger(), sweepEveryMs: 100 });
    outbox.start();
    const seenDown = { producer: false, consumer: false };
    connection.manager.on('disconnect', () => {
      seenDown.producer ||= !connection.isConnected();
    });
    transport.on('disconnect', () => {
      seenDown.consumer ||= !transport.isConnected();
    });
    const publish = (names: string[]) =>
      outbox.transaction((tx) => outbox.enqueue(tx, names.map((name) => ({ definition: ClinicCreatedV1, payload: clinic(name) }))));
    const batch = (prefix: string) => Array.from({ length: 10 }, (_, i) => `${prefix}-${i}`);

    await waitForListedConnections(vhost.name, ['identity-outbox', 'accounts-transport']);
    const sent = [...(await publish(batch('before')))];
    await eventually(() => probe.deliveries.length >= 1);
    const [cut] = await Promise.all([closeVhostConnections(vhost.name), publish(batch('around')).then((e) => sent.push(...e))]);
    expect(cut).toBeGreaterThanOrEqual(2);
    await eventually(() => !connection.isConnected() || seenDown.producer, 2_000, 5);
    sent.push(...(await publish(batch('during'))));
    await eventually(() => connection.isConnected() && transport.isConnected(), 10_000);
    sent.push(...(await publish(batch('after'))));

    await eventually(async () => (await effectCounts()).length === sent.length, 15_000);
    const counts = await effectCounts();
    expect(counts.map((c) => c.message_id).sort()).toEqual(sent.map((e) => e.messageId).sort());
    expect(counts.filter((c) => c.n !== 1)).toEqual([]);
    expect(seenDown).toEqual({ producer: true, consumer: true });
    await eventually(async () => (await outbox.backlog()) === 0);
  });
});
