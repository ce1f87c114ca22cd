/**
 * The behaviour every QrPaymentGateway adapter must have — AlipayQrGateway and WechatPayQrGateway
 * against local stand-ins of the providers' HTTP APIs, and both sandboxes against their own tables:
 * orders in NZD cents with a QR of the provider's shape, idempotent by our order number; signed
 * notices that verify and carry the amount; forged, altered (and, where the provider signs a time,
 * stale) ones that do not; query, close and refund as the provider answers them. Keys are generated
 * in the test. (The Stripe PaymentGateway has its own contract in payment-gateway.contract.ts.)
 */
import { randomUUID } from 'node:crypto';
import type { QrPaymentGateway, RawNotice } from '../src/application/ports/qr-payment-gateway';
import { outTradeNoOf } from '../src/domain/payment-session.entity';

export interface QrGatewayHarness {
  gateway: QrPaymentGateway;
  /** The payer pays (`force`: even a closed order); resolves to the signed notice the provider sends. */
  pay(outTradeNo: string, options?: { force?: boolean }): Promise<RawNotice>;
  /** The same notice signed with a key generated here, not the provider's. */
  signedByAnotherKey(outTradeNo: string): Promise<RawNotice>;
  /** A correctly signed notice whose signed time is long past (only providers that sign a time). */
  stale?(outTradeNo: string): Promise<RawNotice>;
  close(): Promise<void>;
}

const SHAPES = {
  alipay: /^https:\/\/qr\.alipay\.com\/[A-Za-z0-9]+$/,
  wechat: /^weixin:\/\/wxpay\/bizpayurl\?pr=[A-Za-z0-9]+$/,
};

const keyOf = async (fn: () => Promise<unknown>): Promise<string> => {
  try {
    await fn();
  } catch (e) {
    return (e as { key?: string }).key ?? String(e);
  }
  return 'ok';
};

export function describeQrGatewayContract(name: string, setup: () => Promise<QrGatewayHarness>): void {
  describe(`${name} honours the QrPaymentGateway contract`, () => {
    let h: QrGatewayHarness;
    beforeAll(async () => {
      h = await setup();
    });
    afterAll(async () => {
      await h?.close();
    });

    const order = (amountCents = 12_345) => ({
      outTradeNo: outTradeNoOf(randomUUID()),
      amountCents,
      currency: 'NZD' as const,
      subject: 'PrescriptChain clinic top-up 诊所账户充值',
      expiresAt: new Date(Date.now() + 15 * 60_000),
    });

    it("creates an order whose QR content has the provider's shape, the same again for the same order number", async () => {
      const req = order();
      const first = await h.gateway.createOrder(req);
      expect(first.qrContent).toMatch(SHAPES[h.gateway.method]);
      expect(await h.gateway.createOrder(req)).toEqual(first);
      const other = await h.gateway.createOrder(order());
      expect(other.qrContent).not.toBe(first.qrContent);
    });

    it('answers a query: pending before the payer pays, paid with the amount in NZD cents after', async () => {
      const req = order(50_000);
      await h.gateway.createOrder(req);
      expect(await h.gateway.queryOrder(req.outTradeNo)).toEqual({ state: 'pending' });
      await h.pay(req.outTradeNo);
      expect(await h.gateway.queryOrder(req.outTradeNo)).toEqual({
        state: 'paid',
        providerTradeNo: expect.any(String),
        amountCents: 50_000,
        currency: 'NZD',
        paidAt: expect.any(Date),
      });
    });

    it('a query for an order the provider never saw is unknown, not an error', async () => {
      expect(await h.gateway.queryOrder(outTradeNoOf(randomUUID()))).toEqual({ state: 'unknown' });
    });

    it('verifies the signed notice of a payment, carrying our order number and the amount in cents', async () => {
      const req = order(2_050);
      await h.gateway.createOrder(req);
      const notice = await h.pay(req.outTradeNo);
      expect(await h.gateway.verifyNotice(notice)).toEqual({
        noticeId: expect.any(String),
        outTradeNo: req.outTradeNo,
        paid: true,
        providerStatus: expect.stringMatching(/^(TRADE_SUCCESS|SUCCESS)$/),
        providerTradeNo: expect.any(String),
        amountCents: 2_050,
        currency: 'NZD',
        paidAt: expect.any(Date),
      });
    });

    it('refuses a notice altered after signing', async () => {
      const req = order(1_000);
      await h.gateway.createOrder(req);
      const notice = await h.pay(req.outTradeNo);
      const altered =
        h.gateway.method === 'alipay'
          ? notice.body.replace('total_amount=10.00', 'total_amount=99.00')
          : notice.body.replace(/"id":"[0-9a-f]+"/, '"id":"forged"');
      expect(altered).not.toBe(notice.body);
      expect(await keyOf(() => h.gateway.verifyNotice({ ...notice, body: altered }))).toBe('UNAUTHENTICATED');
    });

    it('refuses a notice signed with another key, or without a signature', async () => {
      const req = order();
      await h.gateway.createOrder(req);
      await h.pay(req.outTradeNo);
      expect(await keyOf(async () => h.gateway.verifyNotice(await h.signedByAnotherKey(req.outTradeNo)))).toBe('UNAUTHENTICATED');
      const genuine = await h.pay(req.outTradeNo);
      const unsigned =
        h.gateway.method === 'alipay'
          ? { ...genuine, body: genuine.body.replace(/(^|&)sign=[^&]*/, '') }
          : { ...genuine, headers: { 'content-type': 'application/json' } };
      expect(await keyOf(() => h.gateway.verifyNotice(unsigned))).toBe('UNAUTHENTICATED');
    });

    it('refuses a correctly signed notice older than the allowed window, where the provider signs a time', async () => {
      if (!h.stale) return expect(h.gateway.method).toBe('alipay'); // Alipay signs no delivery time; replays are the session's to catch.
      const req = order();
      await h.gateway.createOrder(req);
      await h.pay(req.outTradeNo);
      expect(await keyOf(async () => h.gateway.verifyNotice(await h.stale!(req.outTradeNo)))).toBe('UNAUTHENTICATED');
    });

    it('closes an unpaid order (then it is closed and cannot be paid); closing a paid one says it was paid', async () => {
      const unpaid = order();
      await h.gateway.createOrder(unpaid);
      await h.gateway.closeOrder(unpaid.outTradeNo);
      expect(await h.gateway.queryOrder(unpaid.outTradeNo)).toEqual({ state: 'closed' });
      await expect(h.pay(unpaid.outTradeNo)).rejects.toThrow();
      await h.gateway.closeOrder(unpaid.outTradeNo); // again: fine

      const paid = order();
      await h.gateway.createOrder(paid);
      await h.pay(paid.outTradeNo);
      expect(await keyOf(() => h.gateway.closeOrder(paid.outTradeNo))).toBe('PAYMENT_ALREADY_PROCESSED');
    });

    it('refunds a payment (the same refund again is the same refund), never more than was paid', async () => {
      const req = order(3_000);
      await h.gateway.createOrder(req);
      await h.pay(req.outTradeNo);
      const refund = { outTradeNo: req.outTradeNo, refundNo: `R${req.outTradeNo}`.slice(0, 32), amountCents: 3_000, totalCents: 3_000, reason: 'test' };
      await h.gateway.refund(refund);
      await h.gateway.refund(refund);
      expect(await keyOf(() => h.gateway.refund({ ...refund, refundNo: 'other', amountCents: 5_000, totalCents: 3_000 }))).toBe('PAYMENT_FAILED');
    });
  });
}
