/**
 * The behaviour every PaymentGateway adapter must have, one suite for all six: Stripe (stripe-node ↔
 * a local Stripe API stand-in), Alipay Face-to-Face (alipay-sdk ↔ a gateway.do stand-in), WeChat Pay
 * Native (wechatpay-axios-plugin ↔ a cross-border API v3 stand-in), and the three embedded
 * sandboxes on a throw-away database. Payments in NZD cents, idempotent by key, with the payer's
 * action of the method (a client secret for a card, a QR of the provider's shape for a wallet);
 * signed notices that verify to a normalized event, and altered, foreign-keyed, unsigned and (where
 * the provider signs a time) stale ones that do not; query, close and refund where the adapter
 * declares them. Keys are generated in the test.
 */
import { randomUUID } from 'node:crypto';
import type { CreatePaymentRequest, PaymentGateway, RawNotice } from '../src/application/ports/payment-gateway';
import { outTradeNoOf } from '../src/domain/payment-session.entity';

export interface PaymentGatewayHarness {
  gateway: PaymentGateway;
  /** The payer pays (`force`: even a closed order); resolves to the signed notice the provider sends. */
  pay(paymentId: string, options?: { force?: boolean }): Promise<RawNotice>;
  /** The same notice with its signed content changed (the amount where it is in clear). */
  alter(notice: RawNotice): RawNotice;
  /** The notice of the paid payment signed with a key generated here, not the provider's. */
  signedByAnotherKey(paymentId: string, paid: RawNotice): Promise<RawNotice>;
  /** The notice without its signature. */
  unsigned(notice: RawNotice): RawNotice;
  /** A correctly signed notice whose signed time is long past (only providers that sign a time). */
  stale?(paymentId: string, paid: RawNotice): Promise<RawNotice>;
  close(): Promise<void>;
}

export interface AdapterTraits {
  method: PaymentGateway['method'];
  /** Whether the adapter offers query / close / refund (its `followUp`). */
  followUp: boolean;
}

const ACTION = {
  card: { type: 'client_secret', clientSecret: expect.stringContaining('_secret_') },
  alipay: { type: 'qr', qrContent: expect.stringMatching(/^https:\/\/qr\.alipay\.com\/[A-Za-z0-9]+$/) },
  wechat: { type: 'qr', qrContent: expect.stringMatching(/^weixin:\/\/wxpay\/bizpayurl\?pr=[A-Za-z0-9]+$/) },
} as const;

const keyOf = async (fn: () => Promise<unknown>): Promise<string> => {
  try {
    await fn();
  } catch (e) {
    return (e as { key?: string }).key ?? String(e);
  }
  return 'ok';
};

export function describePaymentGatewayContract(
  name: string,
  traits: AdapterTraits,
  setup: () => Promise<PaymentGatewayHarness>,
): void {
  describe(`${name} honours the PaymentGateway contract`, () => {
    let h: PaymentGatewayHarness;
    beforeAll(async () => {
      h = await setup();
    });
    afterAll(async () => {
      await h?.close();
    });

    /** A card top-up is referenced by its top-up id; a QR session by its 32-character order number. */
    const request = (amountCents = 12_345): CreatePaymentRequest => {
      const id = randomUUID();
      const reference = traits.method === 'card' ? id : outTradeNoOf(id);
      return {
        reference,
        amountCents,
        currency: 'NZD',
        idempotencyKey: traits.method === 'card' ? `topup-${id}` : reference,
        description: 'PrescriptChain clinic top-up 诊所账户充值',
        metadata: { clinicId: randomUUID(), topUpId: id },
        expiresAt: traits.method === 'card' ? null : new Date(Date.now() + 15 * 60_000),
      };
    };
    const paid = async (amountCents: number) => {
      const req = request(amountCents);
      const payment = await h.gateway.createPayment(req);
      return { req, payment, notice: await h.pay(payment.paymentId) };
    };

    it(`is the ${traits.method} method's gateway and names its provider`, () => {
      expect(h.gateway.method).toBe(traits.method);
      expect(h.gateway.provider).toMatch(/^(stripe|alipay|wechat|sandbox)$/);
    });

    it("creates a payment for the amount in NZD cents with the method's payer action", async () => {
      const req = request();
      const payment = await h.gateway.createPayment(req);
      expect(payment).toEqual({
        paymentId: traits.method === 'card' ? expect.stringMatching(/^pi_/) : req.reference,
        providerTradeNo: traits.method === 'card' ? payment.paymentId : null,
        amountCents: 12_345,
        currency: 'NZD',
        action: ACTION[traits.method],
      });
    });

    it('returns the same payment for the same idempotency key, and a new one for a new key', async () => {
      const req = request();
      const first = await h.gateway.createPayment(req);
      expect(await h.gateway.createPayment(req)).toEqual(first);
      const other = await h.gateway.createPayment(request());
      expect(other.paymentId).not.toBe(first.paymentId);
      expect(other.action).not.toEqual(first.action);
    });

    it('verifies the signed notice of a payment to a normalized paid event, carrying the amount in cents', async () => {
      const { req, payment, notice } = await paid(50_000);
      expect(await h.gateway.verifyNotice(notice)).toEqual({
        eventId: expect.any(String),
        outcome: 'paid',
        providerStatus: expect.stringMatching(/^(payment_intent\.succeeded|TRADE_SUCCESS|SUCCESS)$/),
        paymentId: payment.paymentId,
        providerTradeNo: expect.any(String),
        amountCents: 50_000,
        currency: 'NZD',
        // Stripe carries our metadata back; the wallets know the payment by our order number alone.
        metadata: traits.method === 'card' ? req.metadata : {},
        paidAt: expect.any(Date),
      });
    });

    it('refuses a notice altered after signing', async () => {
      const { notice } = await paid(1_000);
      const altered = h.alter(notice);
      expect(altered.body).not.toBe(notice.body);
      expect(await keyOf(() => h.gateway.verifyNotice(altered))).toBe('UNAUTHENTICATED');
    });

    it('refuses a notice signed with another key, or without a signature', async () => {
      const { payment, notice } = await paid(12_345);
      const foreign = await h.signedByAnotherKey(payment.paymentId, notice);
      expect(await keyOf(() => h.gateway.verifyNotice(foreign))).toBe('UNAUTHENTICATED');
      expect(await keyOf(() => h.gateway.verifyNotice(h.unsigned(notice)))).toBe('UNAUTHENTICATED');
    });

    it('refuses a correctly signed notice older than the allowed window, where the provider signs a time', async () => {
      const { payment, notice } = await paid(12_345);
      // Alipay signs no delivery time: a replayed Alipay notice is the payment session's to catch.
      if (!h.stale) return expect(traits.method).toBe('alipay');
      expect(await keyOf(async () => h.gateway.verifyNotice(await h.stale!(payment.paymentId, notice)))).toBe('UNAUTHENTICATED');
    });

    if (!traits.followUp) {
      it('declares that it offers no query, close or refund (settled by its notices alone)', () => {
        expect(h.gateway.followUp).toBeNull();
      });
      return;
    }

    it('answers a query: pending before the payer pays, paid with the amount in NZD cents after', async () => {
      const req = request(50_000);
      await h.gateway.createPayment(req);
      expect(await h.gateway.followUp!.query(req.reference)).toEqual({ state: 'pending' });
      await h.pay(req.reference);
      expect(await h.gateway.followUp!.query(req.reference)).toEqual({
        state: 'paid',
        providerTradeNo: expect.any(String),
        amountCents: 50_000,
        currency: 'NZD',
        paidAt: expect.any(Date),
      });
    });

    it('a query for a payment the provider never saw is unknown, not an error', async () => {
      expect(await h.gateway.followUp!.query(request().reference)).toEqual({ state: 'unknown' });
    });

    it('closes an unpaid payment (then it is closed and cannot be paid); closing a paid one says it was paid', async () => {
      const unpaid = request();
      await h.gateway.createPayment(unpaid);
      await h.gateway.followUp!.close(unpaid.reference);
      expect(await h.gateway.followUp!.query(unpaid.reference)).toEqual({ state: 'closed' });
      await expect(h.pay(unpaid.reference)).rejects.toThrow();
      await h.gateway.followUp!.close(unpaid.reference); // again: fine

      const { payment } = await paid(12_345);
      expect(await keyOf(() => h.gateway.followUp!.close(payment.paymentId))).toBe('PAYMENT_ALREADY_PROCESSED');
    });

    it('refunds a payment (the same refund again is the same refund), never more than was paid', async () => {
      const { payment } = await paid(3_000);
      const refund = {
        reference: payment.paymentId,
        refundNo: `R${payment.paymentId}`.slice(0, 32),
        amountCents: 3_000,
        totalCents: 3_000,
        reason: 'test',
      };
      await h.gateway.followUp!.refund(refund);
      await h.gateway.followUp!.refund(refund);
      expect(await keyOf(() => h.gateway.followUp!.refund({ ...refund, refundNo: 'other', amountCents: 5_000 }))).toBe('PAYMENT_FAILED');
    });
  });
}
