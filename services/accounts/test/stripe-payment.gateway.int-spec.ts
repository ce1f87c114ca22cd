/**
 * StripePaymentGateway with the real stripe-node client against a local stand-in of Stripe's API:
 * the shared PaymentGateway contract, plus what exactly it sends to Stripe and how it maps refusals.
 */
import { randomUUID } from 'node:crypto';
import { StripePaymentGateway } from '../src/adapters/outbound/stripe/stripe-payment.gateway';
import { describePaymentGatewayContract } from './payment-gateway.contract';
import { StripeApiStandIn, stripeForgeries, stripeNotice } from './stripe-api.stand-in';

const SECRET_KEY = 'sk_test_accounts_stand_in';

/** A card top-up's payment request (a fresh clinic, top-up and key unless given). */
const topUp = (over: { amountCents?: number; metadata?: { clinicId: string; topUpId: string }; idempotencyKey?: string } = {}) => {
  const metadata = over.metadata ?? { clinicId: randomUUID(), topUpId: randomUUID() };
  return {
    reference: metadata.topUpId,
    amountCents: over.amountCents ?? 1000,
    currency: 'NZD' as const,
    description: 'PrescriptChain clinic account top-up',
    metadata,
    idempotencyKey: over.idempotencyKey ?? randomUUID(),
    expiresAt: null,
  };
};
const WEBHOOK_SECRET = 'whsec_accounts_stand_in';

describePaymentGatewayContract(StripePaymentGateway.name, { method: 'card', followUp: false }, async () => {
  const api = new StripeApiStandIn(SECRET_KEY, WEBHOOK_SECRET);
  const gateway = new StripePaymentGateway({
    secretKey: SECRET_KEY,
    webhookSecret: WEBHOOK_SECRET,
    api: await api.start(),
  });
  return {
    gateway,
    pay: async (id) => stripeNotice(api.succeed(id)),
    ...stripeForgeries(WEBHOOK_SECRET),
    close: () => api.close(),
  };
});

describe(`${StripePaymentGateway.name} talking to the Stripe API`, () => {
  let api: StripeApiStandIn;
  let sut: StripePaymentGateway;
  beforeAll(async () => {
    api = new StripeApiStandIn(SECRET_KEY, WEBHOOK_SECRET);
    sut = new StripePaymentGateway({
      secretKey: SECRET_KEY,
      webhookSecret: WEBHOOK_SECRET,
      api: await api.start(),
      maxNetworkRetries: 0,
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('creates the PaymentIntent in NZD cents with our metadata, its idempotency key and the secret key', async () => {
    const metadata = { clinicId: randomUUID(), topUpId: randomUUID() };
    await sut.createPayment(topUp({ amountCents: 2550, metadata, idempotencyKey: 'topup-abc' }));

    const sent = api.requests.at(-1)!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v1/payment_intents');
    expect(sent.headers['idempotency-key']).toBe('topup-abc');
    expect(sent.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(sent.form.get('amount')).toBe('2550');
    expect(sent.form.get('currency')).toBe('nzd');
    expect(sent.form.get('metadata[clinicId]')).toBe(metadata.clinicId);
    expect(sent.form.get('metadata[topUpId]')).toBe(metadata.topUpId);
    expect(sent.form.get('automatic_payment_methods[enabled]')).toBe('true');
  });

  it('maps a refusal (card error, reused key with other parameters) to PAYMENT_FAILED', async () => {
    api.failNext(402, { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' });
    await expect(
      sut.createPayment(topUp()),
    ).rejects.toMatchObject({
      key: 'PAYMENT_FAILED',
      details: { provider: 'stripe', code: 'card_declined' },
    });

    const key = randomUUID();
    const metadata = { clinicId: randomUUID(), topUpId: randomUUID() };
    await sut.createPayment(topUp({ metadata, idempotencyKey: key }));
    await expect(
      sut.createPayment(topUp({ amountCents: 2000, metadata, idempotencyKey: key })),
    ).rejects.toMatchObject({
      key: 'PAYMENT_FAILED',
    });
  });

  it('maps an outage to EXTERNAL_SERVICE_ERROR (the request may be retried)', async () => {
    api.failNext(500, { type: 'api_error', message: 'Something went wrong on our end.' });
    await expect(
      sut.createPayment(topUp()),
    ).rejects.toMatchObject({ key: 'EXTERNAL_SERVICE_ERROR' });
  });

  it('maps an unreachable API to EXTERNAL_SERVICE_ERROR', async () => {
    const down = new StripePaymentGateway({
      secretKey: SECRET_KEY,
      webhookSecret: WEBHOOK_SECRET,
      api: { host: '127.0.0.1', port: 9, protocol: 'http' },
      maxNetworkRetries: 0,
      timeoutMs: 2000,
    });
    await expect(
      down.createPayment(topUp()),
    ).rejects.toMatchObject({ key: 'EXTERNAL_SERVICE_ERROR' });
  });
});
