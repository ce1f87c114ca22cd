import { CodedError } from '@prescriptchain/contracts';
import Stripe from 'stripe';
import type { PaymentEvent } from '../../../application/ports/payment-gateway';

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

  verify(rawBody: string, signatureHeader: string): PaymentEvent {
    let event: Stripe.Event;
    try {
      event = Stripe.webhooks.constructEvent(rawBody, signatureHeader, this.secret, this.toleranceSeconds);
    } catch {
      // Stripe's message may echo the header; the caller only needs to know it was refused.
      throw new CodedError('UNAUTHENTICATED', 'The webhook signature could not be verified.');
    }
    return toPaymentEvent(event);
  }
}

function toPaymentEvent(event: Stripe.Event): PaymentEvent {
  const object = event.data?.object as unknown as Partial<Stripe.PaymentIntent> | undefined;
  const isIntent =
    event.type.startsWith('payment_intent.') &&
    object?.object === 'payment_intent' &&
    typeof object.id === 'string';
  return {
    id: event.id,
    type: event.type,
    paymentIntent: isIntent
      ? {
          id: object.id!,
          amountCents:
            event.type === 'payment_intent.succeeded'
              ? (object.amount_received ?? object.amount ?? 0)
              : (object.amount ?? 0),
          currency: object.currency ?? '',
          status: object.status ?? '',
          metadata: { ...(object.metadata ?? {}) },
        }
      : null,
  };
}
