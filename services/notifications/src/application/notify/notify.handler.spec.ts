import { randomUUID } from 'node:crypto';
import { InMemoryNotificationsTx } from '../../../test/support/in-memory-notifications.tx';
import type { UserRecipient } from '../../domain/recipient';
import type { SourceMessage } from '../ports/notifications-store';
import { NotifyHandler } from './notify.handler';

const HAN = /\p{Script=Han}/u;
const source = (type: string): SourceMessage => ({
  messageId: randomUUID(),
  type,
  occurredAt: new Date().toISOString(),
  correlationId: randomUUID(),
});

describe(NotifyHandler.name, () => {
  let tx: InMemoryNotificationsTx;
  const sut = new NotifyHandler();
  const pharmacyId = randomUUID();

  const user = (over: Partial<UserRecipient>): UserRecipient => {
    const u: UserRecipient = {
      userId: randomUUID(),
      email: `${randomUUID().slice(0, 8)}@example.co.nz`,
      fullName: 'Someone',
      role: 'practitioner',
      locale: 'en',
      status: 'approved',
      pharmacyId: null,
      ...over,
    };
    tx.users.set(u.userId, u);
    return u;
  };

  beforeEach(() => {
    tx = new InMemoryNotificationsTx();
    tx.pharmacies.set(pharmacyId, {
      pharmacyId,
      name: '仁心堂',
      contactEmail: 'orders@renxintang.co.nz',
      locale: 'zh',
      status: 'active',
    });
  });

  it('tells the practitioner whose order failed payment, by e-mail and in the app, in their language', async () => {
    const practitioner = user({ locale: 'zh', fullName: '李伟' });
    user({ role: 'admin' });
    const result = await sut.paymentFailed(tx, source('orders.order.payment_failed'), {
      orderId: randomUUID(),
      clinicId: randomUUID(),
      practitionerId: practitioner.userId,
      reason: 'INSUFFICIENT_FUNDS',
    });
    expect(result).toEqual({ emails: 1, inApp: 1, skipped: [] });
    expect(tx.emails.map((e) => [e.to, e.template, e.locale])).toEqual([
      [practitioner.email, 'payment_failed', 'zh'],
    ]);
    expect(tx.emails[0].subject).toMatch(HAN);
    expect(tx.inApp.map((n) => n.userId)).toEqual([practitioner.userId]);
  });

  it('tells the practitioner in the app (no e-mail) that a pharmacy is dispensing the order, and when it was released, in their language', async () => {
    const practitioner = user({ locale: 'zh', fullName: '李伟' });
    const english = user({ locale: 'en', fullName: 'Aroha Smith' });
    const orderId = randomUUID();
    const dispensing = await sut.orderDispensing(tx, source('orders.order.dispensing'), {
      orderId,
      platformOrderId: 'PC-7K3M-Q9XD-4',
      clinicId: randomUUID(),
      practitionerId: practitioner.userId,
      pharmacyId,
      payoutCents: 5230,
      claimedAt: '2026-11-22T01:30:00.000Z',
      holdExpiresAt: '2026-11-25T01:30:00.000Z',
    });
    expect(dispensing).toEqual({ emails: 0, inApp: 1, skipped: [] });
    expect(tx.emails).toEqual([]);
    expect(tx.inApp[0]).toMatchObject({ userId: practitioner.userId, type: 'order_dispensing' });
    expect(tx.inApp[0].title).toMatch(HAN);
    expect(tx.inApp[0].body).toContain('仁心堂');
    expect(tx.inApp[0].body).toContain('PC-7K3M-Q9XD-4');

    const released = await sut.orderReleased(tx, source('orders.order.released'), {
      orderId,
      platformOrderId: 'PC-7K3M-Q9XD-4',
      clinicId: randomUUID(),
      practitionerId: english.userId,
      pharmacyId,
      releasedBy: `pharmacy:${pharmacyId}`,
      reason: 'one herb is out of stock',
      releasedAt: '2026-11-22T02:00:00.000Z',
    });
    expect(released).toEqual({ emails: 0, inApp: 1, skipped: [] });
    expect(tx.inApp[1]).toMatchObject({ userId: english.userId, type: 'order_released' });
    expect(tx.inApp[1].title).toBe('Prescription PC-7K3M-Q9XD-4 was released by the pharmacy');
    expect(tx.inApp[1].body).toBe(
      'Prescription PC-7K3M-Q9XD-4 was released by 仁心堂: one herb is out of stock.',
    );
  });

  it('sends proof for review to every approved admin and nobody else, each in their own language', async () => {
    const en = user({ role: 'admin', locale: 'en' });
    const zh = user({ role: 'admin', locale: 'zh' });
    user({ role: 'admin', status: 'suspended' });
    user({ role: 'admin', status: 'pending' });
    user({ role: 'practitioner' });
    await sut.proofSubmitted(tx, source('pharmacy.proof.submitted'), {
      proofId: randomUUID(),
      orderId: randomUUID(),
      pharmacyId,
      payoutCents: 5230,
      fileCount: 2,
    });
    expect(tx.emails.map((e) => [e.to, e.locale]).sort()).toEqual(
      [
        [en.email, 'en'],
        [zh.email, 'zh'],
      ].sort(),
    );
    expect(tx.emails.find((e) => e.locale === 'en')!.text).toContain('Payout on approval: 52.30 NZD');
    expect(tx.emails.find((e) => e.locale === 'en')!.subject).toContain('仁心堂');
  });

  it('e-mails a review result to the pharmacy contact address and tells its approved operators in the app', async () => {
    const operator = user({ role: 'pharmacy_operator', pharmacyId, locale: 'en' });
    user({ role: 'pharmacy_operator', pharmacyId: randomUUID() });
    user({ role: 'pharmacy_operator', pharmacyId, status: 'suspended' });
    const result = await sut.proofReviewed(tx, source('pharmacy.proof.reviewed'), {
      proofId: randomUUID(),
      orderId: randomUUID(),
      pharmacyId,
      decision: 'approved',
      comments: null,
      reviewerId: randomUUID(),
    });
    expect(result).toEqual({ emails: 1, inApp: 1, skipped: [] });
    expect(tx.emails.map((e) => [e.to, e.locale, e.recipientPharmacyId])).toEqual([
      ['orders@renxintang.co.nz', 'zh', pharmacyId],
    ]);
    expect(tx.inApp).toEqual([expect.objectContaining({ userId: operator.userId, type: 'proof_reviewed' })]);
    expect(tx.inApp[0].title).not.toMatch(HAN);
  });

  it('sends the remittance for a paid settlement to the pharmacy', async () => {
    await sut.settlementPaid(tx, source('accounts.settlement.paid'), {
      settlementId: randomUUID(),
      orderId: randomUUID(),
      pharmacyId,
      amountCents: 12345,
      reference: 'ANZ-1',
      paidAt: '2026-11-22T03:00:00.000Z',
    });
    expect(tx.emails).toHaveLength(1);
    expect(tx.emails[0]).toMatchObject({ template: 'settlement_paid', to: 'orders@renxintang.co.nz' });
    expect(tx.emails[0].subject).toBe('汇款通知：已支付 123.45 NZD');
  });

  it('welcomes an approved user at the address in the event, even before the directory knew them', async () => {
    const userId = randomUUID();
    const result = await sut.accountApproved(tx, source('identity.user.approved'), {
      userId,
      email: 'new@example.co.nz',
      fullName: 'New Person',
      role: 'pharmacy_operator',
      locale: 'en',
      approvedBy: randomUUID(),
    });
    expect(result.emails).toBe(1);
    expect(tx.emails[0]).toMatchObject({
      to: 'new@example.co.nz',
      template: 'account_approved',
      recipientUserId: userId,
    });
    expect(tx.emails[0].text).toContain('as a pharmacy operator');
  });

  it('does not congratulate the bootstrap admin, who approved themselves', async () => {
    const userId = randomUUID();
    const result = await sut.accountApproved(tx, source('identity.user.approved'), {
      userId,
      email: 'admin@example.co.nz',
      fullName: 'Admin',
      role: 'admin',
      locale: 'en',
      approvedBy: userId,
    });
    expect(result).toEqual({ emails: 0, inApp: 0, skipped: [] });
  });

  it('reports, rather than guesses, recipients the directory does not know', async () => {
    const practitionerId = randomUUID();
    const missing = randomUUID();
    const a = await sut.paymentFailed(tx, source('orders.order.payment_failed'), {
      orderId: randomUUID(),
      clinicId: randomUUID(),
      practitionerId,
      reason: 'TIMEOUT',
    });
    const b = await sut.settlementPaid(tx, source('accounts.settlement.paid'), {
      settlementId: randomUUID(),
      orderId: randomUUID(),
      pharmacyId: missing,
      amountCents: 1,
      reference: null,
      paidAt: new Date().toISOString(),
    });
    expect(a.skipped).toEqual([`practitioner ${practitionerId} is not in the directory`]);
    expect(b.skipped).toEqual([`pharmacy ${missing} is not in the directory`]);
    expect(tx.emails).toHaveLength(0);
  });

  it('adds nothing when the same event is handled twice', async () => {
    const practitioner = user({});
    const event = source('orders.order.payment_failed');
    const payload = {
      orderId: randomUUID(),
      clinicId: randomUUID(),
      practitionerId: practitioner.userId,
      reason: 'X',
    };
    await sut.paymentFailed(tx, event, payload);
    expect(await sut.paymentFailed(tx, event, payload)).toEqual({ emails: 0, inApp: 0, skipped: [] });
    expect(tx.emails).toHaveLength(1);
  });
});
