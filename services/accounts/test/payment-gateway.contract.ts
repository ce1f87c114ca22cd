/**
 * The one behaviour every PaymentGateway adapter must have (StripePaymentGateway against a local
 * Stripe API stand-in, SandboxPaymentGateway against its own table): intents in NZD cents with our
 * metadata, idempotent by key, and signed webhook deliveries that verify, and forged or stale ones
 * that do not.
 */
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import type { CreateIntentRequest, PaymentGateway } from '../src/application/ports/payment-gateway';

export interface PaymentGatewayHarness {
  gateway: PaymentGateway;
  /** The secret the provider signs webhook deliveries with. */
  webhookSecret: string;
  /** The customer pays the intent; resolves to the signed delivery the provider sends for it. */
  pay(paymentIntentId: string): Promise<{ rawBody: string; signature: string }>;
  close(): Promise<void>;
}

const keyOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as { key?: string }).key ?? String(e);
  }
  return 'ok';
};

export function describePaymentGatewayContract(
  name: string,
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

    const request = (over: Partial<CreateIntentRequest> = {}): CreateIntentRequest => ({
      amountCents: 12_345,
      currency: 'NZD',
      metadata: { clinicId: randomUUID(), topUpId: randomUUID() },
      idempotencyKey: `topup-${randomUUID()}`,
      ...over,
    });

    it('creates an NZD intent for the amount in cents, with a client secret for the client', async () => {
      const intent = await h.gateway.createIntent(request());
      expect(intent).toEqual({
        paymentIntentId: expect.stringMatching(/^pi_/),
        clientSecret: expect.stringContaining('_secret_'),
        amountCents: 12_345,
        currency: 'NZD',
      });
    });

    it('returns the same intent for the same idempotency key, and a new one for a new key', async () => {
      const req = request();
      const first = await h.gateway.createIntent(req);
      expect(await h.gateway.createIntent(req)).toEqual(first);
      const other = await h.gateway.createIntent({ ...req, idempotencyKey: `topup-${randomUUID()}` });
      expect(other.paymentIntentId).not.toBe(first.paymentIntentId);
    });

    it('delivers a signed payment_intent.succeeded for a paid intent, carrying the amount and our metadata', async () => {
      const req = request({ amountCents: 50_000 });
      const intent = await h.gateway.createIntent(req);
      const delivery = await h.pay(intent.paymentIntentId);

      const event = h.gateway.verifyWebhook(delivery.rawBody, delivery.signature);

      expect(event).toEqual({
        id: expect.stringMatching(/^evt_/),
        type: 'payment_intent.succeeded',
        paymentIntent: {
          id: intent.paymentIntentId,
          amountCents: 50_000,
          currency: 'nzd',
          status: 'succeeded',
          metadata: req.metadata,
        },
      });
    });

    it('refuses a delivery whose body was altered after signing', async () => {
      const intent = await h.gateway.createIntent(request());
      const delivery = await h.pay(intent.paymentIntentId);
      const forged = delivery.rawBody.replace('"amount_received": 12345', '"amount_received": 99999');
      expect(forged).not.toBe(delivery.rawBody);
      expect(keyOf(() => h.gateway.verifyWebhook(forged, delivery.signature))).toBe('UNAUTHENTICATED');
    });

    it('refuses a delivery signed with another secret, or without a signature', async () => {
      const intent = await h.gateway.createIntent(request());
      const { rawBody } = await h.pay(intent.paymentIntentId);
      const wrong = Stripe.webhooks.generateTestHeaderString({
        payload: rawBody,
        secret: 'whsec_someone_else',
      });
      expect(keyOf(() => h.gateway.verifyWebhook(rawBody, wrong))).toBe('UNAUTHENTICATED');
      expect(keyOf(() => h.gateway.verifyWebhook(rawBody, ''))).toBe('UNAUTHENTICATED');
    });

    it('refuses a correctly signed delivery older than the tolerance (a replayed capture)', async () => {
      const intent = await h.gateway.createIntent(request());
      const { rawBody } = await h.pay(intent.paymentIntentId);
      const stale = Stripe.webhooks.generateTestHeaderString({
        payload: rawBody,
        secret: h.webhookSecret,
        timestamp: Math.floor(Date.now() / 1000) - 3600,
      });
      expect(keyOf(() => h.gateway.verifyWebhook(rawBody, stale))).toBe('UNAUTHENTICATED');
    });
  });
}
