/** What a top-up asks the provider for. Amounts are NZD cents. */
export interface CreateIntentRequest {
  amountCents: number;
  currency: 'NZD';
  /** Travels with the intent and comes back in its webhook events. */
  metadata: { clinicId: string; topUpId: string };
  /** The provider's idempotency key: the same key always yields the same intent. */
  idempotencyKey: string;
}

export interface PaymentIntentHandle {
  paymentIntentId: string;
  /** For the client to confirm the payment (Stripe.js); never logged or stored by accounts. */
  clientSecret: string;
  amountCents: number;
  currency: 'NZD';
}

/** A verified webhook event, in the provider's own terms reduced to what accounts needs. */
export interface PaymentEvent {
  id: string;
  type: string;
  /** Present for `payment_intent.*` events. */
  paymentIntent: {
    id: string;
    /** What was received for a succeeded intent; the requested amount otherwise. */
    amountCents: number;
    currency: string;
    status: string;
    metadata: Record<string, string>;
  } | null;
}

/**
 * The payments provider (a vendor seam). Adapters: StripePaymentGateway, and SandboxPaymentGateway,
 * which settles its intents by delivering signed Stripe-format events through the same webhook path.
 */
export abstract class PaymentGateway {
  /** `stripe` or `sandbox`, recorded on each top-up. */
  abstract readonly provider: string;

  /** Creates (or, for a known idempotency key, returns again) a PaymentIntent. */
  abstract createIntent(request: CreateIntentRequest): Promise<PaymentIntentHandle>;

  /**
   * Verifies a webhook delivery against its signature header and parses it. Throws
   * CodedError('UNAUTHENTICATED') when the signature is missing, wrong or too old.
   */
  abstract verifyWebhook(rawBody: string, signatureHeader: string): PaymentEvent;
}
