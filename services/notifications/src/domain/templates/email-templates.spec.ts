import { renderTemplate } from './email-templates';
import { formatNzDate } from './layout';

const ORDER = '7e1d2c3b-4a5f-4e6d-8c7b-9a0f1e2d3c44';
const HAN = /\p{Script=Han}/u;

const samples = {
  account_approved: { fullName: 'Li Wei', role: 'practitioner' as const },
  payment_failed: { fullName: 'Li Wei', orderId: ORDER, reason: 'INSUFFICIENT_FUNDS' },
  proof_submitted: {
    fullName: 'Ada Admin',
    proofId: '9b8a7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c66',
    orderId: ORDER,
    pharmacyId: '2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f66',
    pharmacyName: 'Ren Xin Tang',
    payoutCents: 5230,
    fileCount: 2,
  },
  proof_reviewed: {
    pharmacyName: 'Ren Xin Tang',
    proofId: '9b8a7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c66',
    orderId: ORDER,
    decision: 'rejected' as const,
    comments: 'Label not visible',
  },
  settlement_paid: {
    pharmacyName: 'Ren Xin Tang',
    settlementId: '3e4f5a6b-7c8d-4e9f-8a1b-2c3d4e5f6a77',
    orderId: ORDER,
    amountCents: 12345,
    reference: 'ANZ-20261122-0001',
    paidAt: '2026-11-22T03:00:00.000Z',
  },
};

describe('e-mail templates', () => {
  it.each(Object.keys(samples) as (keyof typeof samples)[])(
    '%s is written in English for en and in simplified Chinese for zh, in text and HTML',
    (name) => {
      const en = renderTemplate(name, 'en', samples[name] as never);
      const zh = renderTemplate(name, 'zh', samples[name] as never);
      expect(en.subject).not.toMatch(HAN);
      expect(en.text).not.toMatch(HAN);
      expect(zh.subject).toMatch(HAN);
      expect(zh.text).toMatch(HAN);
      expect(zh.html).toContain('<html lang="zh-Hans">');
      expect(en.html).toContain('<html lang="en">');
      // Simplified, not traditional: the sign-off and footer use 简体 forms.
      expect(zh.text).toContain('此邮件由系统自动发送');
      expect(zh.text).not.toMatch(/[郵據單審費號與]/);
      expect(en.inApp.title).toBe(en.subject);
      expect(zh.inApp.body).toMatch(HAN);
    },
  );

  it('puts the amount, reference, order and date on the remittance, in both languages', () => {
    const en = renderTemplate('settlement_paid', 'en', samples.settlement_paid);
    expect(en.subject).toBe('Remittance advice: 123.45 NZD paid');
    expect(en.text).toContain('Amount: 123.45 NZD');
    expect(en.text).toContain('Payment reference: ANZ-20261122-0001');
    expect(en.text).toContain(`Order: ${ORDER}`);
    // 03:00 UTC is 16:00 the same day in Auckland (NZDT, +13).
    expect(en.text).toContain('Payment date: 2026-11-22');
    expect(en.html).toContain('123.45 NZD');

    const zh = renderTemplate('settlement_paid', 'zh', samples.settlement_paid);
    expect(zh.text).toContain('金额: 123.45 NZD');
    expect(zh.text).toContain('付款参考号: ANZ-20261122-0001');
    expect(zh.text).toContain('付款日期: 2026年11月22日');
  });

  it('shows a dash when a settlement was paid without a reference', () => {
    const en = renderTemplate('settlement_paid', 'en', { ...samples.settlement_paid, reference: null });
    expect(en.text).toContain('Payment reference: —');
  });

  it('dates payments by the New Zealand calendar, not UTC', () => {
    // 12:30 UTC on 21 Nov is 01:30 on 22 Nov in Auckland.
    expect(formatNzDate('2026-11-21T12:30:00.000Z', 'en')).toBe('2026-11-22');
    expect(formatNzDate('2026-06-21T12:30:00.000Z', 'zh')).toBe('2026年6月22日');
  });

  it('explains a known payment failure reason and passes an unknown one through', () => {
    expect(renderTemplate('payment_failed', 'en', samples.payment_failed).text).toContain(
      'does not have enough balance',
    );
    expect(renderTemplate('payment_failed', 'zh', samples.payment_failed).text).toContain(
      '余额和信用额度不足',
    );
    expect(
      renderTemplate('payment_failed', 'en', { ...samples.payment_failed, reason: 'CARD_EXPIRED' }).text,
    ).toContain('CARD_EXPIRED');
  });

  it('escapes what people typed before it reaches the HTML, and keeps subjects on one line', () => {
    const r = renderTemplate('proof_reviewed', 'en', {
      ...samples.proof_reviewed,
      pharmacyName: 'Evil <script>alert(1)</script>\r\nBcc: x@y.z',
      comments: '<img src=x onerror=alert(1)> & "quotes"',
    });
    expect(r.html).not.toContain('<script>');
    expect(r.html).not.toContain('<img');
    expect(r.html).toContain('&#60;img src=x onerror=alert(1)&#62; &#38; &#34;quotes&#34;');
    const s = renderTemplate('proof_submitted', 'en', {
      ...samples.proof_submitted,
      pharmacyName: 'A\r\nBcc: x@y.z',
    });
    expect(s.subject).not.toMatch(/[\r\n]/);
  });

  it('tells a pharmacy whether its proof was approved or rejected, with the comments', () => {
    const approved = renderTemplate('proof_reviewed', 'en', {
      ...samples.proof_reviewed,
      decision: 'approved',
      comments: null,
    });
    expect(approved.subject).toContain('approved');
    expect(approved.text).not.toContain('Comments:');
    const rejected = renderTemplate('proof_reviewed', 'zh', samples.proof_reviewed);
    expect(rejected.subject).toBe('您的配药凭证未通过审核');
    expect(rejected.text).toContain('审核意见: Label not visible');
  });
});
