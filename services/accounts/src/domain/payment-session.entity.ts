import { assertCents } from './money';

export const QR_METHODS = ['alipay', 'wechat'] as const;
export type QrMethod = (typeof QR_METHODS)[number];

export const PAYMENT_SESSION_STATUSES = ['pending', 'paid', 'expired', 'cancelled'] as const;
export type PaymentSessionStatus = (typeof PAYMENT_SESSION_STATUSES)[number];
export type RefundStatus = 'pending' | 'refunded';

export interface PaymentSessionState {
  id: string;
  clinicId: string;
  method: QrMethod;
  /** alipay | wechat | sandbox: who holds the order. */
  provider: string;
  amountCents: number;
  currency: 'NZD';
  /** Our order number at the provider: the id without dashes (32 characters, WeChat's limit). */
  outTradeNo: string;
  providerTradeNo: string | null;
  qrContent: string | null;
  status: PaymentSessionStatus;
  expiresAt: Date;
  requestedBy: string;
  createdAt: Date;
  paidAt: Date | null;
  closedAt: Date | null;
  refundStatus: RefundStatus | null;
  refundNo: string | null;
  refundAmountCents: number | null;
  refundedAt: Date | null;
}

/** What the provider says was paid for one of our orders (a verified notice or a query answer). */
export interface ProviderPayment {
  providerTradeNo: string;
  amountCents: number;
  currency: string;
  paidAt: Date;
}

/**
 * What to do with a payment the provider reports:
 * - `credit`: the session was pending and is now paid; credit the account (once, now).
 * - `duplicate`: it was already paid by this very payment; nothing moves.
 * - `refund`: the session had been cancelled or had expired; the money goes back to the payer.
 * - `mismatch`: the amount or currency is not the session's; refused, never credited.
 */
export type PaymentDecision =
  | { kind: 'credit' }
  | { kind: 'duplicate' }
  | { kind: 'refund'; refundNo: string; amountCents: number }
  | { kind: 'mismatch'; expectedCents: number; receivedCents: number; currency: string };

/**
 * One scan-to-pay QR code: `pending → paid | expired | cancelled`. Only a pending session can become
 * paid, and only once; a payment reported for a cancelled or expired session is refunded, never
 * credited (its refund is `pending` until the provider confirmed it).
 */
export class PaymentSession {
  private constructor(private state: PaymentSessionState) {}

  static open(input: {
    id: string;
    clinicId: string;
    method: QrMethod;
    provider: string;
    amountCents: number;
    requestedBy: string;
    at: Date;
    ttlMinutes: number;
  }): PaymentSession {
    assertCents(input.amountCents, 'amountCents', { allowZero: false });
    return new PaymentSession({
      id: input.id,
      clinicId: input.clinicId,
      method: input.method,
      provider: input.provider,
      amountCents: input.amountCents,
      currency: 'NZD',
      outTradeNo: outTradeNoOf(input.id),
      providerTradeNo: null,
      qrContent: null,
      status: 'pending',
      expiresAt: new Date(input.at.getTime() + input.ttlMinutes * 60_000),
      requestedBy: input.requestedBy,
      createdAt: input.at,
      paidAt: null,
      closedAt: null,
      refundStatus: null,
      refundNo: null,
      refundAmountCents: null,
      refundedAt: null,
    });
  }

  static restore(state: PaymentSessionState): PaymentSession {
    return new PaymentSession({ ...state });
  }

  get id(): string {
    return this.state.id;
  }
  get clinicId(): string {
    return this.state.clinicId;
  }
  get method(): QrMethod {
    return this.state.method;
  }
  get amountCents(): number {
    return this.state.amountCents;
  }
  get status(): PaymentSessionStatus {
    return this.state.status;
  }
  get outTradeNo(): string {
    return this.state.outTradeNo;
  }
  get expiresAt(): Date {
    return this.state.expiresAt;
  }
  get requestedBy(): string {
    return this.state.requestedBy;
  }
  get qrContent(): string | null {
    return this.state.qrContent;
  }
  get refundStatus(): RefundStatus | null {
    return this.state.refundStatus;
  }

  isExpiredAt(at: Date): boolean {
    return at.getTime() >= this.state.expiresAt.getTime();
  }

  /** The provider created its order: the QR content to show. */
  qrCreated(qrContent: string, providerTradeNo: string | null): void {
    if (this.state.qrContent && this.state.qrContent !== qrContent)
      throw new Error(`payment session ${this.state.id} already has a QR code`);
    this.state.qrContent = qrContent;
    this.state.providerTradeNo ??= providerTradeNo;
  }

  /** Decides what a reported payment means for this session, and applies it. */
  paymentReported(payment: ProviderPayment): PaymentDecision {
    if (payment.amountCents !== this.state.amountCents || payment.currency.toUpperCase() !== 'NZD') {
      return {
        kind: 'mismatch',
        expectedCents: this.state.amountCents,
        receivedCents: payment.amountCents,
        currency: payment.currency,
      };
    }
    switch (this.state.status) {
      case 'pending':
        this.state.status = 'paid';
        this.state.paidAt = payment.paidAt;
        this.state.providerTradeNo = payment.providerTradeNo;
        return { kind: 'credit' };
      case 'paid':
        return { kind: 'duplicate' };
      case 'cancelled':
      case 'expired':
        if (this.state.refundStatus) return { kind: 'duplicate' }; // its refund is already under way
        this.state.providerTradeNo ??= payment.providerTradeNo;
        this.state.refundStatus = 'pending';
        this.state.refundNo = `R${this.state.outTradeNo}`.slice(0, 32);
        this.state.refundAmountCents = payment.amountCents;
        return { kind: 'refund', refundNo: this.state.refundNo, amountCents: payment.amountCents };
    }
  }

  /** The provider confirmed the refund of a late payment. */
  refunded(at: Date): void {
    if (this.state.refundStatus !== 'pending') return;
    this.state.refundStatus = 'refunded';
    this.state.refundedAt = at;
  }

  /** The clinic member gave up on this QR (the provider's order is closed first). False if not pending. */
  cancel(at: Date): boolean {
    if (this.state.status !== 'pending') return false;
    this.state.status = 'cancelled';
    this.state.closedAt = at;
    return true;
  }

  /** Past its expiry and the provider reported no payment (its order is closed). False if not pending. */
  expire(at: Date): boolean {
    if (this.state.status !== 'pending') return false;
    this.state.status = 'expired';
    this.state.closedAt = at;
    return true;
  }

  snapshot(): PaymentSessionState {
    return { ...this.state };
  }
}

export const outTradeNoOf = (sessionId: string): string => sessionId.replace(/-/g, '').toLowerCase();
