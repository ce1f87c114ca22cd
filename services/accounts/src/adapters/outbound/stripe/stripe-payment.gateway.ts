import { CodedError } from '@prescriptchain/contracts';
import Stripe from 'stripe';
import {
  type CreatePaymentRequest,
  PaymentGateway,
  type PaymentHandle,
  type RawNotice,
  type VerifiedPaymentEvent,
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
  readonly method = 'card' as const;
  readonly provider = 'stripe';
  readonly followUp = null;
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

  async createPayment(request: CreatePaymentRequest): Promise<PaymentHandle> {
    let intent: Stripe.PaymentIntent;
    try {
      intent = await this.stripe.paymentIntents.create(
        {
          amount: request.amountCents,
          currency: request.currency.toLowerCase(),
          metadata: { ...request.metadata },
          description: request.description,
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
      paymentId: intent.id,
      providerTradeNo: intent.id,
      amountCents: intent.amount,
      currency: 'NZD',
      action: { type: 'client_secret', clientSecret: intent.client_secret },
    };
  }

  async verifyNotice(notice: RawNotice): Promise<VerifiedPaymentEvent> {
    return this.verifier.verify(notice);
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
