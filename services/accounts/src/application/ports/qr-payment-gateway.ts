import type { QrMethod } from '../../domain/payment-session.entity';

/** What a scan-to-pay session asks the provider for. Amounts are NZD cents; each adapter converts at its edge. */
export interface CreateQrOrderRequest {
  /** Our order number (Alipay out_trade_no, WeChat out_trade_no): 32 characters, unique per session. */
  outTradeNo: string;
  amountCents: number;
  currency: 'NZD';
  /** Shown to the payer in the wallet. */
  subject: string;
  /** The provider closes the order by itself after this. */
  expiresAt: Date;
}

export interface QrOrderHandle {
  /** What the QR code encodes: Alipay's `https://qr.alipay.com/…`, WeChat's `weixin://wxpay/bizpayurl?pr=…`. */
  qrContent: string;
  /** The provider's order number when it gives one at creation (neither does for a QR; kept for symmetry). */
  providerTradeNo: string | null;
}

/** A notice delivery exactly as it arrived at the gateway. */
export interface RawNotice {
  /** The body, byte for byte (Alipay: form-encoded; WeChat: JSON). */
  body: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
}

/** A verified notice, reduced to what accounts needs. */
export interface QrPaymentNotice {
  /** The provider's id of this notice (Alipay notify_id, WeChat notice id): the audit log keys on it. */
  noticeId: string;
  outTradeNo: string;
  /** True for a completed payment (Alipay TRADE_SUCCESS / TRADE_FINISHED, WeChat SUCCESS). */
  paid: boolean;
  /** The provider's own status word (TRADE_CLOSED, REFUND, …). */
  providerStatus: string;
  providerTradeNo: string | null;
  /** Converted from the provider's format (Alipay "12.34", WeChat fen) to cents. */
  amountCents: number;
  currency: string;
  paidAt: Date | null;
}

export type QrOrderState =
  | { state: 'paid'; providerTradeNo: string; amountCents: number; currency: string; paidAt: Date }
  | { state: 'pending' }
  | { state: 'closed' }
  /** The provider does not know the order (never scanned: Alipay creates a trade only on scan). */
  | { state: 'unknown' };

/**
 * A scan-to-pay provider (a vendor seam), one adapter per method and mode: AlipayQrGateway
 * (`alipay-sdk`), WechatPayQrGateway (`wechatpay-axios-plugin`, cross-border API v3) and their
 * sandboxes, which keep their orders in accounts' database and deliver notices signed with locally
 * generated keys to the same notice path. `test/payment-gateway.contract.ts` runs against all four.
 */
export abstract class QrPaymentGateway {
  abstract readonly method: QrMethod;
  /** `alipay`, `wechat` or `sandbox`, recorded on each session. */
  abstract readonly provider: string;

  /** Creates the provider's order for a QR code. The same outTradeNo again yields the same QR content. */
  abstract createOrder(request: CreateQrOrderRequest): Promise<QrOrderHandle>;

  /**
   * Verifies a notice against its signature (and, for WeChat, decrypts its resource). Throws
   * CodedError('UNAUTHENTICATED') when the signature is missing, wrong or too old.
   */
  abstract verifyNotice(notice: RawNotice): Promise<QrPaymentNotice>;

  /** Asks the provider about an order (reconciliation). */
  abstract queryOrder(outTradeNo: string): Promise<QrOrderState>;

  /** Closes an unpaid order so it can no longer be paid. An order already closed or never scanned is fine. */
  abstract closeOrder(outTradeNo: string): Promise<void>;

  /** Gives a payment back to the payer. Idempotent by refundNo. */
  abstract refund(request: {
    outTradeNo: string;
    refundNo: string;
    amountCents: number;
    totalCents: number;
    reason: string;
  }): Promise<void>;
}

/** The QR gateways configured, by method; a method that is `off` is absent. */
export abstract class QrPaymentGateways {
  abstract get(method: QrMethod): QrPaymentGateway | null;
  abstract all(): QrPaymentGateway[];
}

export class StaticQrPaymentGateways extends QrPaymentGateways {
  constructor(private readonly gateways: QrPaymentGateway[]) {
    super();
  }
  get(method: QrMethod): QrPaymentGateway | null {
    return this.gateways.find((g) => g.method === method) ?? null;
  }
  all(): QrPaymentGateway[] {
    return [...this.gateways];
  }
}
