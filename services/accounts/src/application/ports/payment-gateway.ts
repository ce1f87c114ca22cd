import type { QrMethod } from '../../domain/payment-session.entity';

/** How a clinic pays a top-up: a card (Stripe), or a wallet scanning a QR code. */
export type PaymentMethod = 'card' | QrMethod;

/** What a top-up asks the provider for. Amounts are NZD cents; each adapter converts at its edge. */
export interface CreatePaymentRequest {
  /**
   * Our number for this payment: the top-up id for a card (it travels in Stripe's metadata), the
   * session's order number for a QR (Alipay / WeChat `out_trade_no`, 32 characters).
   */
  reference: string;
  amountCents: number;
  currency: 'NZD';
  /**
   * The same key always yields the same payment. Stripe takes it as its Idempotency-Key; Alipay and
   * WeChat Pay have no such header and are idempotent by order number, so for them it is the reference.
   */
  idempotencyKey: string;
  /** Shown to the payer (the wallet's subject line, the card statement's description). */
  description: string;
  /** Travels with the payment and comes back in its verified events (where the provider carries metadata). */
  metadata: Record<string, string>;
  /** The provider closes the payment by itself after this (QR orders); null = the provider's default. */
  expiresAt: Date | null;
}

/** What the payer needs to complete the payment: it differs by method, so it is a tagged union. */
export type PayerAction =
  /** Card: the client confirms with Stripe.js; never logged or stored by accounts. */
  | { type: 'client_secret'; clientSecret: string }
  /** QR: what the code encodes (Alipay `https://qr.alipay.com/…`, WeChat `weixin://wxpay/bizpayurl?pr=…`). */
  | { type: 'qr'; qrContent: string };

export interface PaymentHandle {
  /** The payment's id at the provider as accounts refers to it: Stripe's `pi_…`, our order number for a QR. */
  paymentId: string;
  /** The provider's own trade number when it gives one at creation (Stripe: the intent id; Alipay / WeChat: none until paid). */
  providerTradeNo: string | null;
  amountCents: number;
  currency: 'NZD';
  action: PayerAction;
}

/** A notice delivery exactly as it arrived at the gateway (webhook, asynchronous notice). */
export interface RawNotice {
  /** The body, byte for byte (Stripe and WeChat: JSON; Alipay: form-encoded). */
  body: string;
  /** Lower-cased header names (Stripe-Signature, Wechatpay-*). */
  headers: Record<string, string>;
}

/** A verified provider notice, normalized: what accounts needs, whichever provider sent it. */
export interface VerifiedPaymentEvent {
  /** The provider's id of this notice (Stripe event id, Alipay notify_id, WeChat notice id): deduplication and audit key on it. */
  eventId: string;
  /** `paid`: money was received; `failed`: the payment attempt failed; `other`: anything else (closed, refund, …). */
  outcome: 'paid' | 'failed' | 'other';
  /** The provider's own word (Stripe event type, TRADE_SUCCESS, SUCCESS, TRADE_CLOSED, …). */
  providerStatus: string;
  /** The PaymentHandle.paymentId it concerns; null when the notice is about no payment (another Stripe event). */
  paymentId: string | null;
  providerTradeNo: string | null;
  /** What was received (paid), else what was asked; -1 when the provider's amount is malformed. */
  amountCents: number;
  /** Upper-case ISO code; a provider that names none is taken at its home currency (never NZD by default). */
  currency: string;
  /** The metadata given at creation, where the provider carries it back (Stripe); {} otherwise. */
  metadata: Record<string, string>;
  paidAt: Date | null;
}

export type PaymentState =
  | { state: 'paid'; providerTradeNo: string; amountCents: number; currency: string; paidAt: Date }
  | { state: 'pending' }
  | { state: 'closed' }
  /** The provider does not know the payment (never scanned: Alipay creates a trade only on scan). */
  | { state: 'unknown' };

export interface RefundRequest {
  /** The payment's reference (our order number). */
  reference: string;
  /** Idempotent by this. */
  refundNo: string;
  amountCents: number;
  totalCents: number;
  reason: string;
}

/**
 * Asking about, closing and refunding a payment after it was created, by our reference: what
 * reconciliation, cancel and the refund of a late payment need.
 */
export interface PaymentFollowUp {
  query(reference: string): Promise<PaymentState>;
  /**
   * Closes an unpaid payment so it can no longer be paid; one already closed or never scanned is fine.
   * Throws CodedError('PAYMENT_ALREADY_PROCESSED') when the payer paid first.
   */
  close(reference: string): Promise<void>;
  /** Gives a payment back to the payer, idempotently by refundNo; never more than was paid (PAYMENT_FAILED). */
  refund(request: RefundRequest): Promise<void>;
}

/**
 * The payments provider (a vendor seam), one port for every method and mode. Adapters: Stripe
 * (`StripePaymentGateway`), Alipay Face-to-Face (`AlipayQrGateway`, `alipay-sdk`), WeChat Pay Native
 * (`WechatPayQrGateway`, `wechatpay-axios-plugin`, cross-border API v3), and a sandbox of each, which
 * delivers notices signed the provider's way, with locally generated keys, to the same notice path.
 * `test/payment-gateway.contract.ts` runs against all six.
 *
 * What differs by provider is declared, not stubbed: the payer's action is a tagged union, and
 * `followUp` is null where the adapter offers no query / close / refund.
 */
export abstract class PaymentGateway {
  abstract readonly method: PaymentMethod;
  /** `stripe`, `alipay`, `wechat` or `sandbox`, recorded on each top-up and session. */
  abstract readonly provider: string;

  /** Creates (or, for a known idempotency key, returns again) the provider's payment. */
  abstract createPayment(request: CreatePaymentRequest): Promise<PaymentHandle>;

  /**
   * Verifies a notice against its signature (WeChat: and decrypts its resource) and normalizes it.
   * Throws CodedError('UNAUTHENTICATED') when the signature is missing, wrong or too old.
   */
  abstract verifyNotice(notice: RawNotice): Promise<VerifiedPaymentEvent>;

  /**
   * Query, close and refund. Null for the card adapters: a card top-up is settled by Stripe's
   * webhook alone (Stripe redelivers for three days), nothing reconciles or cancels it, and a
   * card refund is Stripe's dashboard's, so they do not implement the calls.
   */
  abstract readonly followUp: PaymentFollowUp | null;
}

/** The gateways configured, by method; a method that is `off` is absent. */
export abstract class PaymentGateways {
  abstract get(method: PaymentMethod): PaymentGateway | null;
  abstract all(): PaymentGateway[];

  /** The card gateway (Stripe or its sandbox): always configured, whatever the QR methods are. */
  card(): PaymentGateway {
    const card = this.get('card');
    if (!card) throw new Error('no card payment gateway is configured');
    return card;
  }

  /** A scan-to-pay method's gateway with its follow-up calls (a QR session needs query, close and refund); null when off. */
  qr(method: QrMethod): { gateway: PaymentGateway; followUp: PaymentFollowUp } | null {
    const gateway = this.get(method);
    return gateway?.followUp ? { gateway, followUp: gateway.followUp } : null;
  }
}

export class StaticPaymentGateways extends PaymentGateways {
  constructor(private readonly gateways: PaymentGateway[]) {
    super();
  }
  get(method: PaymentMethod): PaymentGateway | null {
    return this.gateways.find((g) => g.method === method) ?? null;
  }
  all(): PaymentGateway[] {
    return [...this.gateways];
  }
}
