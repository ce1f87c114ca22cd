import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { SourceMessage, UserFacts } from '../src/application/ports/notifications-store';
import { type NotificationsKit, createNotificationsKit } from './notifications-test-kit';

const source = (at = new Date()): SourceMessage => ({
  messageId: randomUUID(),
  type: 'test.event',
  occurredAt: at.toISOString(),
  correlationId: randomUUID(),
});
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

describe('PrismaNotificationsStore (real PostgreSQL)', () => {
  let kit: NotificationsKit;
  beforeAll(async () => {
    kit = await createNotificationsKit('notif_store');
  });
  afterAll(async () => {
    await kit?.close();
  });

  const record = (facts: UserFacts, at: Date) =>
    kit.store.once('test.directory', source(at), (tx) => tx.recordUser(facts, at));
  const user = (userId: string) => kit.prisma.recipientUser.findUnique({ where: { userId } });

  describe('recipient directory', () => {
    it('keeps an approval that overtook the registration it followed', async () => {
      const userId = randomUUID();
      await record(
        { userId, role: 'admin', email: 'new@x.nz', fullName: 'New', locale: 'zh', status: 'approved' },
        minutesAgo(1),
      );
      await record(
        { userId, role: 'admin', email: 'old@x.nz', fullName: 'Old', locale: 'en' },
        minutesAgo(2),
      );
      expect(await user(userId)).toMatchObject({
        status: 'approved',
        email: 'new@x.nz',
        fullName: 'New',
        locale: 'zh',
      });
    });

    it('lets a later suspension win over an earlier approval, whatever the arrival order', async () => {
      const userId = randomUUID();
      await record({ userId, role: 'practitioner', status: 'suspended' }, minutesAgo(1));
      await record(
        { userId, role: 'practitioner', email: 'p@x.nz', fullName: 'P', locale: 'en', status: 'approved' },
        minutesAgo(2),
      );
      // The suspension carries no address; the approval's profile still fills it in.
      expect(await user(userId)).toMatchObject({ status: 'suspended', email: 'p@x.nz' });
    });

    it('ignores a pharmacy update older than the one it already has', async () => {
      const pharmacyId = randomUUID();
      await kit.store.once('t', source(), (tx) =>
        tx.recordPharmacy(
          { pharmacyId, name: 'New name', contactEmail: 'new@ph.nz', locale: 'zh', status: 'suspended' },
          minutesAgo(1),
        ),
      );
      await kit.store.once('t', source(), (tx) =>
        tx.recordPharmacy(
          { pharmacyId, name: 'Old name', contactEmail: 'old@ph.nz', locale: 'en', status: 'active' },
          minutesAgo(5),
        ),
      );
      const [row] = await kit.sql(
        'SELECT name, contact_email, locale, status FROM recipient_pharmacy WHERE pharmacy_id = $1',
        [pharmacyId],
      );
      expect(row).toEqual({
        name: 'New name',
        contact_email: 'new@ph.nz',
        locale: 'zh',
        status: 'suspended',
      });
    });
  });

  describe('one e-mail per event and recipient', () => {
    it('runs an effect once per (consumer, message), however often the message comes', async () => {
      const event = source();
      let runs = 0;
      const effect = async () => {
        runs++;
      };
      expect(await kit.store.once('test.once', event, effect)).toBe(true);
      expect(await kit.store.once('test.once', event, effect)).toBe(false);
      expect(runs).toBe(1);
    });

    it('refuses a second delivery for the same event, address and channel even past the inbox', async () => {
      const event = source();
      const delivery = {
        to: 'twice@x.nz',
        toName: null,
        recipientUserId: null,
        recipientPharmacyId: null,
        template: 'settlement_paid' as const,
        locale: 'en' as const,
        subject: 's',
        text: 't',
        html: 'h',
      };
      const added: boolean[] = [];
      // Two consumer names: the inbox cannot dedupe these, the UNIQUE key must.
      await kit.store.once(
        'consumer.a',
        event,
        async (tx) => void added.push(await tx.addEmail(event, delivery)),
      );
      await kit.store.once(
        'consumer.b',
        event,
        async (tx) => void added.push(await tx.addEmail(event, delivery)),
      );
      expect(added).toEqual([true, false]);
      const rows = await kit.sql('SELECT id FROM delivery WHERE message_id = $1', [event.messageId]);
      expect(rows).toHaveLength(1);
    });
  });

  describe('in-app notifications', () => {
    const notify = (userId: string, title = 'hello') =>
      kit.store.once('test.inapp', source(), async (tx) => {
        await tx.addInApp(source(), { userId, type: 'account_approved', title, body: 'b' });
      });

    it('polls only the caller’s own notifications, newest first, with their unread count', async () => {
      const me = randomUUID();
      const other = randomUUID();
      await notify(me, 'first');
      await notify(me, 'second');
      await notify(other, 'not mine');
      const { items, unreadCount } = await kit.store.poll(me, { since: null, limit: 10 });
      expect(items.map((n) => n.title)).toEqual(['second', 'first']);
      expect(unreadCount).toBe(2);
      expect((await kit.store.poll(me, { since: null, limit: 1 })).items.map((n) => n.title)).toEqual([
        'second',
      ]);
    });

    it('marks only the caller’s own notification read, once', async () => {
      const me = randomUUID();
      await notify(me);
      const [mine] = (await kit.store.poll(me, { since: null, limit: 1 })).items;
      expect(await kit.store.markRead(randomUUID(), mine.id)).toBeNull();
      const first = await kit.store.markRead(me, mine.id);
      const again = await kit.store.markRead(me, mine.id);
      expect(first?.readAt).toBeInstanceOf(Date);
      expect(again?.readAt).toEqual(first?.readAt);
      expect((await kit.store.poll(me, { since: null, limit: 10 })).unreadCount).toBe(0);
    });

    it('never skips a notification that was still being written when the previous poll ran', async () => {
      const me = randomUUID();
      const writer = new Client({ connectionString: kit.db.url });
      await writer.connect();
      try {
        // A consuming transaction that started before the poll and commits after it.
        await writer.query('BEGIN');
        await writer.query(
          `INSERT INTO notification (id, user_id, type, title, body, source_message_id)
           VALUES ($1, $2, 'account_approved', 'late', 'b', $3)`,
          [randomUUID(), me, randomUUID()],
        );
        await new Promise((r) => setTimeout(r, 50));
        const before = await kit.store.poll(me, { since: null, limit: 10 });
        expect(before.items).toHaveLength(0);
        await writer.query('COMMIT');

        const after = await kit.store.poll(me, { since: before.watermark, limit: 10 });
        expect(after.items.map((n) => n.title)).toEqual(['late']);
      } finally {
        await writer.end();
      }
    });

    it('returns only what is new since the last poll once nothing is in flight', async () => {
      const me = randomUUID();
      await notify(me, 'old');
      const first = await kit.store.poll(me, { since: null, limit: 10 });
      await new Promise((r) => setTimeout(r, 20));
      await notify(me, 'new');
      const second = await kit.store.poll(me, { since: first.watermark, limit: 10 });
      expect(second.items.map((n) => n.title)).toEqual(['new']);
      expect(second.unreadCount).toBe(2);
    });
  });
});
