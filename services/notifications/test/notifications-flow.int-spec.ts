import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import {
  EXCHANGES,
  type Envelope,
  NOTIFICATIONS_RPC,
  type NotificationsDeliveriesReply,
  type NotificationsPollReply,
  OrderPaymentFailedV1,
  PharmacyOperatorLinkedV1,
  PharmacyRegisteredV1,
  type PingReply,
  ProofReviewedV1,
  ProofSubmittedV1,
  RPC,
  SettlementPaidV1,
  UserApprovedV1,
  UserRegisteredV1,
} from '@prescriptchain/contracts';
import { AmqpRpcClient, createServiceMicroservice } from '@prescriptchain/messaging';
import * as amqplib from 'amqplib';
import { eventually } from '../../../test/support/infra';
import { NotificationsModule } from '../src/notifications.module';
import { parseMail } from './support/mime';
import { type NotificationsKit, createNotificationsKit, testConfig } from './notifications-test-kit';

interface DeliveryRow {
  id: string;
  recipient: string;
  template: string;
  locale: string;
  status: string;
  attempts: number;
}

type Role = 'practitioner' | 'pharmacy_operator' | 'admin';
interface Person {
  userId: string;
  email: string;
  fullName: string;
  role: Role;
  locale: 'en' | 'zh';
}

/** The whole service in-process, as main.ts runs it, fed real events over RabbitMQ; mail goes to .eml files. */
describe('notifications service (events in, e-mail and in-app out)', () => {
  let kit: NotificationsKit;
  let app: INestMicroservice;
  let rpc: AmqpRpcClient;
  let mailDir: string;
  let announced: { conn: amqplib.ChannelModel; messages: Envelope[] };

  const person = (role: Role, locale: 'en' | 'zh', fullName: string): Person => ({
    userId: randomUUID(),
    email: `${role}.${randomUUID().slice(0, 6)}@example.co.nz`,
    fullName,
    role,
    locale,
  });
  const adminEn = person('admin', 'en', 'Ada Admin');
  const adminZh = person('admin', 'zh', '王管理');
  const practitioner = person('practitioner', 'zh', '李伟');
  const operator = person('pharmacy_operator', 'en', 'Olivia Operator');
  const pharmacy = {
    pharmacyId: randomUUID(),
    name: '仁心堂药房',
    contactEmail: 'orders@renxintang.co.nz',
    locale: 'zh' as const,
  };
  const caller = (p: Person) => ({ userId: p.userId, role: p.role });

  const publish = <E extends Envelope>(e: E) => kit.publish(e);
  const deliveriesFor = (messageId: string) =>
    kit.sql<DeliveryRow>(
      'SELECT id, recipient, template, locale, status, attempts FROM delivery WHERE message_id = $1 ORDER BY recipient',
      [messageId],
    );
  /** Waits until the event's e-mails were all sent; returns them. */
  const sentFor = async (messageId: string, count: number): Promise<DeliveryRow[]> =>
    (await eventually(async () => {
      const rows = await deliveriesFor(messageId);
      return rows.length === count && rows.every((r) => r.status === 'sent') ? rows : null;
    }, 10_000))!;
  const eml = async (deliveryId: string) => parseMail(await readFile(join(mailDir, `${deliveryId}.eml`)));
  const consumed = async () => (await rpc.call<PingReply>(RPC.ping('notifications'), {})).messaging.consumed;

  beforeAll(async () => {
    kit = await createNotificationsKit('notif_flow');
    mailDir = await mkdtemp(join(tmpdir(), 'pc-notif-mail-'));
    app = await createServiceMicroservice(
      NotificationsModule.withOptions({
        databaseUrl: kit.db.url,
        amqpUrl: kit.vhost.url,
        config: testConfig({ mailDir, dispatch: { pollMs: 200 } }),
      }),
      {
        service: 'notifications',
        url: kit.vhost.url,
        nest: { logger: false },
        shutdownHooks: false,
        retryDelaysMs: [200],
      },
    );
    await app.listen();
    rpc = new AmqpRpcClient({ url: kit.vhost.url, name: 'notif-flow-gateway' });
    await rpc.connect();

    // What notifications announces, as any consumer of notifications.delivery.* would see it.
    const conn = await amqplib.connect(kit.vhost.url);
    const ch = await conn.createChannel();
    const { queue } = await ch.assertQueue('', { exclusive: true });
    await ch.bindQueue(queue, EXCHANGES.events, 'notifications.delivery.#');
    announced = { conn, messages: [] };
    await ch.consume(queue, (m) => m && announced.messages.push(JSON.parse(m.content.toString())), {
      noAck: true,
    });

    // The directory, from identity's and pharmacy's events.
    const approver = randomUUID();
    for (const p of [adminEn, adminZh, practitioner, operator]) {
      await publish(kit.envelope(UserRegisteredV1, { ...p, referredByUserId: null }));
      await publish(kit.envelope(UserApprovedV1, { ...p, approvedBy: approver }));
    }
    await publish(kit.envelope(PharmacyRegisteredV1, pharmacy));
    await publish(
      kit.envelope(PharmacyOperatorLinkedV1, {
        userId: operator.userId,
        pharmacyId: pharmacy.pharmacyId,
        previousPharmacyId: null,
        linkedBy: approver,
      }),
    );
    await eventually(async () => {
      const [{ n }] = await kit.sql<{ n: number }>(
        "SELECT count(*)::int AS n FROM recipient_user WHERE status = 'approved' AND (role <> 'pharmacy_operator' OR pharmacy_id IS NOT NULL)",
      );
      const [{ p }] = await kit.sql<{ p: number }>('SELECT count(*)::int AS p FROM recipient_pharmacy');
      return n === 4 && p === 1;
    }, 10_000);
  });

  afterAll(async () => {
    await announced?.conn.close().catch(() => undefined);
    await rpc?.close();
    await app?.close();
    await kit?.close();
    await rm(mailDir, { recursive: true, force: true });
  });

  it('welcomes an approved user by e-mail and in the app, in the language they chose', async () => {
    const approval = await kit.sql<{ message_id: string }>(
      "SELECT message_id FROM delivery WHERE template = 'account_approved' AND recipient_user_id = $1",
      [practitioner.userId],
    );
    expect(approval).toHaveLength(1);
    const [d] = await sentFor(approval[0].message_id, 1);
    expect(d).toMatchObject({ recipient: practitioner.email, locale: 'zh', attempts: 1 });
    const mail = await eml(d.id);
    expect(mail.headers.get('subject')).toBe('您的 PrescriptChain 账户已获批准');
    expect(mail.headers.get('to')).toBe(`李伟 <${practitioner.email}>`);
    expect(mail.parts.get('text/plain')).toContain('以中医师身份使用平台');
  });

  it('tells the practitioner, in Chinese, that their order’s payment failed', async () => {
    const orderId = randomUUID();
    const e = await publish(
      kit.envelope(OrderPaymentFailedV1, {
        orderId,
        clinicId: randomUUID(),
        practitionerId: practitioner.userId,
        reason: 'INSUFFICIENT_FUNDS',
      }),
    );
    const [d] = await sentFor(e.messageId, 1);
    expect(d).toMatchObject({ recipient: practitioner.email, template: 'payment_failed', locale: 'zh' });
    const mail = await eml(d.id);
    expect(mail.headers.get('subject')).toBe('处方订单付款失败');
    expect(mail.parts.get('text/plain')).toContain(`订单编号: ${orderId}`);
    expect(mail.parts.get('text/html')).toContain('余额和信用额度不足');
  });

  it('asks every approved admin, and nobody else, to review submitted proof, each in their language', async () => {
    const e = await publish(
      kit.envelope(ProofSubmittedV1, {
        proofId: randomUUID(),
        orderId: randomUUID(),
        pharmacyId: pharmacy.pharmacyId,
        payoutCents: 5230,
        fileCount: 2,
      }),
    );
    const rows = await sentFor(e.messageId, 2);
    expect(rows.map((r) => [r.recipient, r.locale]).sort()).toEqual(
      [
        [adminEn.email, 'en'],
        [adminZh.email, 'zh'],
      ].sort(),
    );
    const en = await eml(rows.find((r) => r.locale === 'en')!.id);
    expect(en.headers.get('subject')).toBe('Fulfilment proof to review from 仁心堂药房');
    expect(en.parts.get('text/plain')).toContain('Payout on approval: 52.30 NZD');
    const zh = await eml(rows.find((r) => r.locale === 'zh')!.id);
    expect(zh.parts.get('text/plain')).toContain('批准后应付金额: 52.30 NZD');
  });

  it('e-mails the review result to the pharmacy and shows it to its operator in the app', async () => {
    const orderId = randomUUID();
    const e = await publish(
      kit.envelope(ProofReviewedV1, {
        proofId: randomUUID(),
        orderId,
        pharmacyId: pharmacy.pharmacyId,
        decision: 'rejected',
        comments: '照片模糊，请重新拍摄',
        reviewerId: adminEn.userId,
      }),
    );
    const [d] = await sentFor(e.messageId, 1);
    expect(d).toMatchObject({ recipient: pharmacy.contactEmail, template: 'proof_reviewed', locale: 'zh' });
    expect((await eml(d.id)).parts.get('text/plain')).toContain('审核意见: 照片模糊，请重新拍摄');

    const poll = await rpc.call<NotificationsPollReply>(NOTIFICATIONS_RPC.poll, {
      caller: caller(operator),
      limit: 10,
    });
    const reviewed = poll.notifications.filter((n) => n.type === 'proof_reviewed');
    expect(reviewed).toHaveLength(1);
    // The operator reads the app in English although the pharmacy's mail is in Chinese.
    expect(reviewed[0]).toMatchObject({ title: 'Your fulfilment proof was not accepted', readAt: null });
    expect(reviewed[0].body).toContain(orderId);
  });

  it('sends the pharmacy a remittance advice with amount, reference, order and date when its settlement is paid', async () => {
    const orderId = randomUUID();
    const settlementId = randomUUID();
    const e = await publish(
      kit.envelope(SettlementPaidV1, {
        settlementId,
        orderId,
        pharmacyId: pharmacy.pharmacyId,
        amountCents: 12345,
        reference: 'ANZ-20261122-0001',
        paidAt: '2026-11-22T03:00:00.000Z',
      }),
    );
    const [d] = await sentFor(e.messageId, 1);
    const mail = await eml(d.id);
    expect(mail.headers.get('to')).toBe(`仁心堂药房 <${pharmacy.contactEmail}>`);
    expect(mail.headers.get('subject')).toBe('汇款通知：已支付 123.45 NZD');
    const text = mail.parts.get('text/plain')!;
    expect(text).toContain('金额: 123.45 NZD');
    expect(text).toContain('付款参考号: ANZ-20261122-0001');
    expect(text).toContain(`订单编号: ${orderId}`);
    expect(text).toContain(`结算编号: ${settlementId}`);
    expect(text).toContain('付款日期: 2026年11月22日');
    expect(mail.parts.get('text/html')).toContain('123.45 NZD');

    // ...and announces it, without the address.
    const sent = await eventually(
      () => announced.messages.find((m) => (m.payload as { deliveryId: string }).deliveryId === d.id),
      10_000,
    );
    expect(sent).toMatchObject({
      type: 'notifications.delivery.sent',
      causationId: e.messageId,
      payload: { template: 'settlement_paid', recipientPharmacyId: pharmacy.pharmacyId, attempts: 1 },
    });
    expect(JSON.stringify(sent)).not.toContain(pharmacy.contactEmail);
  });

  it('sends one e-mail and one in-app notice however often the same event is delivered', async () => {
    const before = await consumed();
    const e = kit.envelope(SettlementPaidV1, {
      settlementId: randomUUID(),
      orderId: randomUUID(),
      pharmacyId: pharmacy.pharmacyId,
      amountCents: 100,
      reference: null,
      paidAt: new Date().toISOString(),
    });
    await Promise.all([publish(e), publish(e), publish(e)]);
    await eventually(async () => (await consumed()) >= before + 3, 10_000);
    const [d, ...more] = await sentFor(e.messageId, 1);
    expect(more).toHaveLength(0);
    const files = (await readdir(mailDir)).filter((f) => f.startsWith(d.id));
    expect(files).toEqual([`${d.id}.eml`]);
    const inApp = await kit.sql('SELECT id FROM notification WHERE source_message_id = $1', [e.messageId]);
    expect(inApp).toHaveLength(1);
  });

  it('polls and marks read only the caller’s own notifications', async () => {
    const mine = await rpc.call<NotificationsPollReply>(NOTIFICATIONS_RPC.poll, {
      caller: caller(practitioner),
      limit: 20,
    });
    expect(mine.notifications.map((n) => n.type).sort()).toEqual(['account_approved', 'payment_failed']);
    expect(mine.unreadCount).toBe(2);
    expect(mine.notifications.every((n) => /\p{Script=Han}/u.test(n.title))).toBe(true);

    const target = mine.notifications.find((n) => n.type === 'payment_failed')!;
    const stranger = await rpc
      .call(NOTIFICATIONS_RPC.markRead, { caller: caller(operator), id: target.id })
      .then(
        () => 'ok',
        (err: { code: string }) => err.code,
      );
    expect(stranger).toBe('NOT_FOUND');

    const read = await rpc.call<{ id: string; readAt: string }>(NOTIFICATIONS_RPC.markRead, {
      caller: caller(practitioner),
      id: target.id,
    });
    expect(read.id).toBe(target.id);
    const after = await rpc.call<NotificationsPollReply>(NOTIFICATIONS_RPC.poll, {
      caller: caller(practitioner),
      limit: 20,
    });
    expect(after.unreadCount).toBe(1);
    expect(after.notifications.find((n) => n.id === target.id)!.readAt).toBe(read.readAt);

    // Only what arrived since the last poll.
    const e = await publish(
      kit.envelope(OrderPaymentFailedV1, {
        orderId: randomUUID(),
        clinicId: randomUUID(),
        practitionerId: practitioner.userId,
        reason: 'TIMEOUT',
      }),
    );
    await sentFor(e.messageId, 1);
    const since = await rpc.call<NotificationsPollReply>(NOTIFICATIONS_RPC.poll, {
      caller: caller(practitioner),
      lastPolledAt: after.lastPolledAt,
      limit: 20,
    });
    expect(since.notifications.map((n) => n.body)).toEqual([expect.stringContaining('付款处理超时')]);
    expect(since.unreadCount).toBe(2);
  });

  it('shows the delivery log to admins only, filtered by recipient, type and status', async () => {
    const log = await rpc.call<NotificationsDeliveriesReply>(NOTIFICATIONS_RPC.deliveries, {
      caller: caller(adminEn),
      recipient: pharmacy.contactEmail.toUpperCase(),
      type: 'settlement_paid',
      status: 'sent',
      page: 1,
      limit: 1,
    });
    expect(log.total).toBe(2);
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({
      channel: 'email',
      recipient: pharmacy.contactEmail,
      template: 'settlement_paid',
      status: 'sent',
      attempts: 1,
    });
    expect(Date.parse(log.items[0].sentAt!)).not.toBeNaN();

    const refused = await rpc
      .call(NOTIFICATIONS_RPC.deliveries, { caller: caller(practitioner), page: 1, limit: 10 })
      .then(
        () => 'ok',
        (err: { code: string }) => err.code,
      );
    expect(refused).toBe('1003');
    const invalid = await rpc
      .call(NOTIFICATIONS_RPC.poll, { caller: { userId: 'not-a-uuid', role: 'admin' }, limit: 500 })
      .then(
        () => 'ok',
        (err: { code: string }) => err.code,
      );
    expect(invalid).toBe('VALIDATION_FAILED');
  });
});
