/**
 * A scan-to-pay top-up heard by the clinic's practitioners, across two real services on one RabbitMQ
 * vhost: accounts (its outbox relay publishes accounts.topup.completed when a sandbox-paid QR is
 * credited) and notifications (its directory learns the clinic's members from identity's events and
 * tells each approved practitioner, in their language, by e-mail and in the app — once).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import { ClinicCreatedV1, ClinicMemberAddedV1, UserApprovedV1, UserRegisteredV1 } from '@prescriptchain/contracts';
import { createServiceMicroservice } from '@prescriptchain/messaging';
import {
  type AccountsKit,
  brokerProbe,
  createAccountsKit,
  startAccountsService,
} from '../../services/accounts/test/accounts-test-kit';
import { WechatSandboxGateway } from '../../services/accounts/src/adapters/outbound/qr/wechat-sandbox.gateway';
import { CreateQrSessionHandler } from '../../services/accounts/src/application/payment-sessions/payment-sessions.handlers';
import { PaymentGateways } from '../../services/accounts/src/application/ports/payment-gateway';
import { NotificationsModule } from '../../services/notifications/src/notifications.module';
import { createNotificationsKit, testConfig } from '../../services/notifications/test/notifications-test-kit';
import { eventually } from '../support/infra';

describe('a credited scan-to-pay top-up is announced to the clinic’s practitioners (accounts → notifications)', () => {
  let accountsKit: AccountsKit;
  let notifKit: Awaited<ReturnType<typeof createNotificationsKit>>;
  let accounts: INestMicroservice;
  let notifications: INestMicroservice;
  let probe: Awaited<ReturnType<typeof brokerProbe>>;

  beforeAll(async () => {
    accountsKit = await createAccountsKit('topup_notify');
    notifKit = await createNotificationsKit('topup_notify');
    const mailDir = await mkdtemp(join(tmpdir(), 'pc-topup-mail-'));
    // Both services on accounts' vhost: the real producer and the real consumer.
    notifications = await createServiceMicroservice(
      NotificationsModule.withOptions({ databaseUrl: notifKit.db.url, amqpUrl: accountsKit.vhost.url, config: testConfig({ mailDir, dispatch: { pollMs: 0 } }) }),
      { service: 'notifications', url: accountsKit.vhost.url, nest: { logger: false }, shutdownHooks: false, retryDelaysMs: [200] },
    );
    await notifications.listen();
    accounts = await startAccountsService(accountsKit);
    probe = await brokerProbe(accountsKit.vhost.url);
  }, 60_000);
  afterAll(async () => {
    await accounts?.close();
    await notifications?.close();
    await accountsKit?.close();
    await notifKit?.close();
  });

  it('tells each approved practitioner of the clinic in English or Chinese, once, and nobody else', async () => {
    const clinicId = await accountsKit.account();
    const owner = { userId: randomUUID(), email: `owner-${randomUUID()}@clinic.test`, fullName: 'Aroha Ngata', role: 'practitioner' as const, locale: 'en' as const };
    const member = { userId: randomUUID(), email: `member-${randomUUID()}@clinic.test`, fullName: '王医生', role: 'practitioner' as const, locale: 'zh' as const };
    const outsider = { userId: randomUUID(), email: `other-${randomUUID()}@clinic.test`, fullName: 'Not Here', role: 'practitioner' as const, locale: 'en' as const };
    for (const u of [owner, member, outsider]) {
      await probe.publish(UserRegisteredV1.type, { ...u, referredByUserId: null });
      await probe.publish(UserApprovedV1.type, { ...u, approvedBy: randomUUID() });
    }
    await probe.publish(ClinicCreatedV1.type, { clinicId, name: 'Kōwhai TCM', ownerId: owner.userId });
    await probe.publish(ClinicMemberAddedV1.type, { clinicId, userId: member.userId });
    await eventually(async () => {
      const [r] = await notifKit.sql<{ n: number }>(`SELECT count(*)::int AS n FROM recipient_clinic_member WHERE clinic_id = $1`, [clinicId]);
      return r.n === 2 ? true : undefined;
    }, 10_000);

    // A clinic member's WeChat Pay QR, paid in the sandbox (its signed notice through the notice use case).
    const session = await accounts.get(CreateQrSessionHandler).execute({ clinicId, amountCents: 20_000, method: 'wechat', idempotencyKey: randomUUID(), caller: { userId: owner.userId, role: 'practitioner', clinicIds: [clinicId] } });
    const wechat = accounts.get(PaymentGateways).get('wechat') as WechatSandboxGateway;
    expect(wechat).toBeInstanceOf(WechatSandboxGateway);
    await wechat.settler.settle(session.sessionId.replace(/-/g, ''));
    await wechat.settler.settle(session.sessionId.replace(/-/g, '')); // the provider's redelivery

    const rows = await eventually(async () => {
      const r = await notifKit.sql<{ user_id: string; title: string; body: string }>(
        `SELECT user_id, title, body FROM notification WHERE type = 'topup_credited' ORDER BY title`,
      );
      return r.length >= 2 ? r : undefined;
    }, 10_000);
    expect(rows).toHaveLength(2);
    const byUser = Object.fromEntries(rows!.map((r) => [r.user_id, r]));
    expect(byUser[owner.userId].title).toContain('200.00 NZD');
    expect(byUser[owner.userId].body).toMatch(/WeChat Pay/);
    expect(byUser[member.userId].title).toMatch(/诊所账户已充值/);
    expect(byUser[member.userId].body).toMatch(/微信支付/);
    expect(byUser[outsider.userId]).toBeUndefined();
    const emails = await notifKit.sql<{ recipient: string; locale: string; subject: string }>(
      `SELECT recipient, locale, subject FROM delivery WHERE template = 'topup_credited' ORDER BY locale`,
    );
    expect(emails.map((e) => [e.recipient, e.locale])).toEqual([
      [owner.email, 'en'],
      [member.email, 'zh'],
    ]);
  });
});
