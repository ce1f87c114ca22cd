import { CodedError } from '@prescriptchain/contracts';
import Stripe from 'stripe';
import type { RawNotice, VerifiedPaymentEvent } from '../../../application/ports/payment-gateway';

/** Stripe's default: a signature older than five minutes is a replay, not a delivery. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * Verifies Stripe-format webhook deliveries (`Stripe-Signature: t=…,v1=…`, HMAC-SHA256 of
 * `t.rawBody` with the endpoint secret) with stripe-node's own `webhooks.constructEvent`. Both
 * adapters use it: the sandbox signs its events the way Stripe does.
 */
export class StripeWebhookVerifier {
  constructor(
    private readonly secret: string,
    private readonly toleranceSeconds = DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  ) {}

  verify(notice: RawNotice): VerifiedPaymentEvent {
    let event: Stripe.Event;
    try {
      const signature = notice.headers['stripe-signature'] ?? '';
      event = Stripe.webhooks.constructEvent(notice.body, signature, this.secret, this.toleranceSeconds);
    } catch {
      // Stripe's message may echo the header; the caller only needs to know it was refused.
      throw new CodedError('UNAUTHENTICATED', 'The webhook signature could not be verified.');
    }
    return toPaymentEvent(event);
  }
}

function toPaymentEvent(event: Stripe.Event): VerifiedPaymentEvent {
  const object = event.data?.object as unknown as Partial<Stripe.PaymentIntent> | undefined;
  const isIntent =
    event.type.startsWith('payment_intent.') &&
    object?.object === 'payment_intent' &&
    typeof object.id === 'string';
  const succeeded = event.type === 'payment_intent.succeeded';
  return {
    eventId: event.id,
    outcome: !isIntent ? 'other' : succeeded ? 'paid' : event.type === 'payment_intent.payment_failed' ? 'failed' : 'other',
    providerStatus: event.type,
    paymentId: isIntent ? object.id! : null,
    providerTradeNo: isIntent ? object.id! : null,
    // What was received for a succeeded intent; the requested amount otherwise.
    amountCents: isIntent ? ((succeeded ? object.amount_received : undefined) ?? object.amount ?? 0) : 0,
    currency: isIntent ? (object.currency ?? '').toUpperCase() : '',
    metadata: isIntent ? { ...(object.metadata ?? {}) } : {},
    paidAt: isIntent && succeeded && typeof event.created === 'number' ? new Date(event.created * 1000) : null,
  };
}
