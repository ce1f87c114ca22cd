import { CodedError } from '@prescriptchain/contracts';
import Stripe from 'stripe';
import {
  type CreateIntentRequest,
  type PaymentEvent,
  PaymentGateway,
  type PaymentIntentHandle,
} from '../../../application/ports/payment-gateway';
import { StripeWebhookVerifier } from './stripe-webhook.verifier';

export interface StripePaymentGatewayOptions {
  secretKey: string;
  webhookSecret: string;
  /** Another API endpoint than api.stripe.com (a local stand-in in tests). */
  api?: { host: string; port: number; protocol: 'http' | 'https' };
  /** Retries of failed network calls; safe because every create carries an idempotency key. Default 2. */
  maxNetworkRetries?: number;
  timeoutMs?: number;
  webhookToleranceSeconds?: number;
}

/** Top-ups through Stripe PaymentIntents (NZD), confirmed by the client with Stripe.js, settled by webhook. */
export class StripePaymentGateway extends PaymentGateway {
  readonly provider = 'stripe';
  private readonly stripe: Stripe;
  private readonly verifier: StripeWebhookVerifier;

  constructor(options: StripePaymentGatewayOptions) {
    super();
    this.stripe = new Stripe(options.secretKey, {
      maxNetworkRetries: options.maxNetworkRetries ?? 2,
      timeout: options.timeoutMs ?? 20_000,
      appInfo: { name: 'PrescriptChain accounts' },
      ...(options.api ?? {}),
    });
    this.verifier = new StripeWebhookVerifier(options.webhookSecret, options.webhookToleranceSeconds);
  }

  async createIntent(request: CreateIntentRequest): Promise<PaymentIntentHandle> {
    let intent: Stripe.PaymentIntent;
    try {
      intent = await this.stripe.paymentIntents.create(
        {
          amount: request.amountCents,
          currency: request.currency.toLowerCase(),
          metadata: { clinicId: request.metadata.clinicId, topUpId: request.metadata.topUpId },
          description: 'PrescriptChain clinic account top-up',
          automatic_payment_methods: { enabled: true },
        },
        { idempotencyKey: request.idempotencyKey },
      );
    } catch (err) {
      throw toCodedError(err);
    }
    if (!intent.client_secret)
      throw new CodedError('PAYMENT_FAILED', 'Stripe returned a PaymentIntent without a client secret.');
    return {
      paymentIntentId: intent.id,
      clientSecret: intent.client_secret,
      amountCents: intent.amount,
      currency: 'NZD',
    };
  }

  verifyWebhook(rawBody: string, signatureHeader: string): PaymentEvent {
    return this.verifier.verify(rawBody, signatureHeader);
  }
}

/** Stripe's refusals are PAYMENT_FAILED; outages, timeouts and rate limits may be retried (EXTERNAL_SERVICE_ERROR). */
function toCodedError(err: unknown): CodedError {
  const e = err as { type?: string; code?: string; statusCode?: number; message?: string };
  const retryable =
    e?.type === 'StripeConnectionError' ||
    e?.type === 'StripeAPIError' ||
    e?.type === 'StripeRateLimitError' ||
    (typeof e?.statusCode === 'number' && e.statusCode >= 500);
  const details = { provider: 'stripe', type: e?.type ?? null, code: e?.code ?? null };
  return retryable
    ? new CodedError('EXTERNAL_SERVICE_ERROR', 'The payment provider is unavailable; try again.', details)
    : new CodedError('PAYMENT_FAILED', undefined, details);
}
