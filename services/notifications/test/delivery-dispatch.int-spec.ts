import { randomUUID } from 'node:crypto';
import { eventually } from '../../../test/support/infra';
import { NotificationsPrismaService } from '../src/adapters/outbound/prisma/notifications-prisma.service';
import { PrismaNotificationsStore } from '../src/adapters/outbound/prisma/prisma-notifications.store';
import { DispatchDeliveriesHandler } from '../src/application/dispatch-deliveries/dispatch-deliveries.handler';
import { EmailSendError } from '../src/application/ports/email-sender';
import type { SourceMessage } from '../src/application/ports/notifications-store';
import {
  type NotificationsKit,
  RecordingEmailSender,
  TestClock,
  createNotificationsKit,
  testConfig,
} from './notifications-test-kit';

interface DeliveryRow {
  status: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date;
  sent_at: Date | null;
  provider_message_id: string | null;
}
interface OutboxRow {
  type: string;
  envelope: { causationId: string; payload: Record<string, unknown> };
}

describe(DispatchDeliveriesHandler.name, () => {
  let kit: NotificationsKit;
  beforeAll(async () => {
    kit = await createNotificationsKit('notif_dispatch');
  });
  afterAll(async () => {
    await kit?.close();
  });

  /** Writes one pending e-mail as a consumer would; returns the delivery id. */
  async function pendingEmail(
    to = `${randomUUID().slice(0, 8)}@example.co.nz`,
  ): Promise<{ id: string; source: SourceMessage }> {
    const source: SourceMessage = {
      messageId: randomUUID(),
      type: 'accounts.settlement.paid',
      occurredAt: new Date().toISOString(),
      correlationId: randomUUID(),
    };
    await kit.store.once('test.seed', source, async (tx) => {
      await tx.addEmail(source, {
        to,
        toName: 'Pharmacy',
        recipientUserId: null,
        recipientPharmacyId: randomUUID(),
        template: 'settlement_paid',
        locale: 'en',
        subject: 'Remittance advice',
        text: 'paid',
        html: '<p>paid</p>',
      });
    });
    const [{ id }] = await kit.sql<{ id: string }>('SELECT id FROM delivery WHERE message_id = $1', [
      source.messageId,
    ]);
    return { id, source };
  }

  const delivery = async (id: string) =>
    (await kit.sql<DeliveryRow>('SELECT * FROM delivery WHERE id = $1', [id]))[0];
  const outboxFor = (id: string) =>
    kit.sql<OutboxRow>(
      "SELECT type, envelope FROM outbox_message WHERE envelope->'payload'->>'deliveryId' = $1 ORDER BY id",
      [id],
    );
  /** Only this test's delivery is due: earlier tests' leftovers are pushed out of the way. */
  const isolate = (id: string) =>
    kit.sql(
      "UPDATE delivery SET next_attempt_at = now() + interval '1 year' WHERE status = 'pending' AND id <> $1",
      [id],
    );

  const dispatcher = (
    sender: RecordingEmailSender,
    clock: TestClock,
    over: Parameters<typeof testConfig>[0] = {},
  ) => new DispatchDeliveriesHandler(kit.store, sender, clock, testConfig(over));

  it('retries a failing send with exponential backoff, then records it sent with its attempts', async () => {
    const { id, source } = await pendingEmail();
    await isolate(id);
    const clock = new TestClock();
    const sender = new RecordingEmailSender((attempt) => {
      if (attempt <= 2) throw new EmailSendError(`connection refused #${attempt}`, false);
    });
    const sut = dispatcher(sender, clock);

    expect(await sut.execute()).toBe(1);
    let row = await delivery(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'connection refused #1' });
    expect(row.next_attempt_at.getTime()).toBe(clock.now().getTime() + 1_000);

    // Not due yet: nothing is attempted.
    expect(await sut.execute()).toBe(0);
    clock.advanceMs(1_000);
    expect(await sut.execute()).toBe(1);
    row = await delivery(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 2, last_error: 'connection refused #2' });
    expect(row.next_attempt_at.getTime()).toBe(clock.now().getTime() + 2_000);

    clock.advanceMs(2_000);
    expect(await sut.execute()).toBe(1);
    row = await delivery(id);
    expect(row).toMatchObject({
      status: 'sent',
      attempts: 3,
      last_error: null,
      provider_message_id: 'test-3',
    });
    expect(row.sent_at).toEqual(clock.now());
    expect(sender.sent.map((e) => e.idempotencyKey)).toEqual([id]);

    const events = await outboxFor(id);
    expect(events.map((e) => e.type)).toEqual(['notifications.delivery.sent']);
    expect(events[0].envelope.causationId).toBe(source.messageId);
    expect(events[0].envelope.payload).toMatchObject({
      deliveryId: id,
      sourceMessageId: source.messageId,
      attempts: 3,
      channel: 'email',
    });
  });

  it('gives up after the last allowed attempt, keeps the error and announces the failure', async () => {
    const { id } = await pendingEmail();
    await isolate(id);
    const clock = new TestClock();
    const sender = new RecordingEmailSender(() => {
      throw new EmailSendError('451 try again later', false);
    });
    const sut = dispatcher(sender, clock, { dispatch: { maxAttempts: 3 } });

    for (let i = 0; i < 3; i++) {
      expect(await sut.execute()).toBe(1);
      clock.advanceMs(60_000);
    }
    expect(await delivery(id)).toMatchObject({
      status: 'failed',
      attempts: 3,
      last_error: '451 try again later',
      sent_at: null,
    });
    expect(await sut.execute()).toBe(0);
    expect(sender.attempts).toBe(3);

    const events = await outboxFor(id);
    expect(events.map((e) => e.type)).toEqual(['notifications.delivery.failed']);
    expect(events[0].envelope.payload).toMatchObject({ attempts: 3, error: '451 try again later' });
  });

  it('fails at once when the provider refuses the message for good', async () => {
    const { id } = await pendingEmail();
    await isolate(id);
    const sender = new RecordingEmailSender(() => {
      throw new EmailSendError('550 mailbox unavailable', true);
    });
    await dispatcher(sender, new TestClock()).execute();
    expect(await delivery(id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: '550 mailbox unavailable',
    });
  });

  it('counts a send that hangs past the timeout as a failed attempt to retry', async () => {
    const { id } = await pendingEmail();
    await isolate(id);
    const sender = new RecordingEmailSender(() => new Promise<void>(() => undefined));
    await dispatcher(sender, new TestClock(), { dispatch: { sendTimeoutMs: 100 } }).execute();
    expect(await delivery(id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: 'send timed out after 100 ms',
    });
  });

  it('does not hold back the in-app poll watermark while a slow send keeps its transaction open', async () => {
    const { id } = await pendingEmail();
    await isolate(id);
    let release = () => undefined as void;
    const sender = new RecordingEmailSender(() => new Promise<void>((resolve) => (release = resolve)));
    const dispatching = dispatcher(sender, new TestClock()).execute();
    await eventually(() => sender.attempts === 1, 5_000);
    await new Promise((r) => setTimeout(r, 100));
    const beforePoll = Date.now();
    const { watermark } = await kit.store.poll(randomUUID(), { since: null, limit: 1 });
    release();
    await dispatching;
    // The dispatcher never writes notifications, so its open transaction must not lag the watermark.
    expect(watermark.getTime()).toBeGreaterThanOrEqual(beforePoll - 20);
    expect(await delivery(id)).toMatchObject({ status: 'sent' });
  });

  it('never sends one delivery twice when two dispatchers work at once', async () => {
    await kit.sql("UPDATE delivery SET status = 'failed' WHERE status = 'pending'");
    const ids = new Set<string>();
    for (let i = 0; i < 12; i++) ids.add((await pendingEmail()).id);
    const sent: string[] = [];
    const slow = () =>
      new RecordingEmailSender(async (_n, email) => {
        await new Promise((r) => setTimeout(r, 30));
        sent.push(email.idempotencyKey);
      });
    // Two processes: two stores over two connection pools.
    const otherPrisma = new NotificationsPrismaService(kit.db.url);
    const otherStore = new PrismaNotificationsStore(otherPrisma, kit.outbox);
    const a = new DispatchDeliveriesHandler(
      kit.store,
      slow(),
      new TestClock(),
      testConfig({ dispatch: { batchSize: 3 } }),
    );
    const b = new DispatchDeliveriesHandler(
      otherStore,
      slow(),
      new TestClock(),
      testConfig({ dispatch: { batchSize: 3 } }),
    );
    const drain = async (d: DispatchDeliveriesHandler) => {
      while ((await d.execute()) > 0) {
        // until nothing is due
      }
    };
    await Promise.all([drain(a), drain(b)]).finally(() => otherPrisma.$disconnect());
    expect(sent.sort()).toEqual([...ids].sort());
    const rows = await kit.sql<{ status: string }>('SELECT status FROM delivery WHERE id = ANY($1::uuid[])', [
      [...ids],
    ]);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
  });
});
