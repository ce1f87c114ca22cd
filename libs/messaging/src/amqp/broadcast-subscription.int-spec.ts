import { type Envelope, EXCHANGES, UserSuspendedV1 } from '@prescriptchain/contracts';
import * as amqplib from 'amqplib';
import { randomUUID } from 'node:crypto';
import { type TestVhost, createTestVhost, eventually } from '../../../../test/support/infra';
import { recordingLogger } from '../testing/messaging-test-kit';
import { BroadcastSubscription } from './broadcast-subscription';

const envelope = (payload: unknown, type: string = UserSuspendedV1.type) => ({
  messageId: randomUUID(),
  type,
  version: 1,
  occurredAt: new Date().toISOString(),
  correlationId: randomUUID(),
  causationId: null,
  traceparent: null,
  payload,
});

/** Each subscriber gets every event on a queue of its own; bad messages are dropped, not fatal. */
describe(BroadcastSubscription.name, () => {
  let vhost: TestVhost;
  let conn: amqplib.ChannelModel;
  let ch: amqplib.Channel;
  const subs: BroadcastSubscription[] = [];

  beforeAll(async () => {
    vhost = await createTestVhost('broadcast');
    conn = await amqplib.connect(vhost.url);
    ch = await conn.createChannel();
    await ch.assertExchange(EXCHANGES.events, 'topic', { durable: true });
  });

  afterAll(async () => {
    for (const s of subs) await s.close();
    await conn?.close();
    await vhost?.drop();
  });

  function subscriber(onEvent: (e: Envelope) => void = () => undefined) {
    const logger = recordingLogger();
    const sub = new BroadcastSubscription({
      url: vhost.url,
      name: `broadcast-test-${subs.length}`,
      types: [UserSuspendedV1.type],
      onEvent,
      logger,
    });
    subs.push(sub);
    return { sub, logger };
  }

  it('delivers every event to every subscriber, each on its own server-named queue', async () => {
    const seen: string[][] = [[], []];
    const [a, b] = [0, 1].map((i) =>
      subscriber((e) => seen[i].push((e.payload as { userId: string }).userId)),
    );
    await Promise.all([a.sub.waitUntilLive(10_000), b.sub.waitUntilLive(10_000)]);
    expect(a.sub.queue).toMatch(/^amq\.gen-/);
    expect(a.sub.queue).not.toBe(b.sub.queue);
    const ids = [randomUUID(), randomUUID()];
    for (const userId of ids) {
      const payload = { userId, role: 'practitioner', suspendedBy: randomUUID() };
      ch.publish(EXCHANGES.events, UserSuspendedV1.type, Buffer.from(JSON.stringify(envelope(payload))));
    }
    await eventually(() => seen.every((s) => s.length === 2));
    expect(seen).toEqual([ids, ids]);
  });

  it('drops unreadable messages and survives a throwing listener, without logging payloads', async () => {
    const seen: string[] = [];
    const boom = randomUUID();
    const { sub, logger } = subscriber((e) => {
      const { userId } = e.payload as { userId: string };
      if (userId === boom) throw new Error('listener failed');
      seen.push(userId);
    });
    await sub.waitUntilLive(10_000);
    const send = (body: string) => ch.publish(EXCHANGES.events, UserSuspendedV1.type, Buffer.from(body));
    send('not json');
    send(JSON.stringify(envelope({ userId: 'not-a-uuid', secret: 'patient name' })));
    send(JSON.stringify(envelope({ userId: boom, role: 'admin', suspendedBy: boom })));
    const good = randomUUID();
    send(JSON.stringify(envelope({ userId: good, role: 'admin', suspendedBy: good })));
    await eventually(() => seen.length === 1);
    expect(seen).toEqual([good]);
    expect(sub.isLive()).toBe(true);
    expect(logger.lines.filter((l) => l.msg === 'unreadable event ignored')).toHaveLength(2);
    expect(logger.lines.filter((l) => l.msg === 'event listener failed')).toHaveLength(1);
    expect(JSON.stringify(logger.lines)).not.toContain('patient name');
  });
});
