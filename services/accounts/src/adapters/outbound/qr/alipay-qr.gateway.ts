import { Logger } from '@nestjs/common';
import { centsToDecimal, CodedError, decimalToCents } from '@prescriptchain/contracts';
import { AlipaySdk } from 'alipay-sdk';
import {
  type CreatePaymentRequest,
  type PaymentFollowUp,
  PaymentGateway,
  type PaymentHandle,
  type PaymentState,
  type RawNotice,
  type RefundRequest,
  type VerifiedPaymentEvent,
} from '../../../application/ports/payment-gateway';
import { alipayTime } from './alipay-sim';

export interface AlipayQrGatewayOptions {
  appId: string;
  /** Our application private key (PEM, PKCS#1 or PKCS#8): signs every request. */
  privateKey: string;
  /** Alipay's public key (PEM): verifies Alipay's responses and notices. */
  alipayPublicKey: string;
  /** Default `https://openapi.alipay.com/gateway.do`. */
  gatewayUrl?: string;
  /** Where Alipay POSTs notices (the gateway's `/api/v1/payments/alipay/notify`). */
  notifyUrl: string | null;
  timeoutMs?: number;
}

/** Alipay's word for a completed payment: TRADE_SUCCESS (refundable) or TRADE_FINISHED (final). */
const PAID = new Set(['TRADE_SUCCESS', 'TRADE_FINISHED']);

/**
 * Alipay Face-to-Face (当面付) through the official `alipay-sdk`: `alipay.trade.precreate` makes the QR,
 * notices are RSA2-verified with Alipay's public key (`checkNotifySignV2`), `alipay.trade.query`
 * reconciles, `alipay.trade.close` closes, `alipay.trade.refund` gives back a late payment. Every
 * response's signature is verified too (`validateSign`). Amounts: cents inside, Alipay's "12.34" at
 * this edge; the cross-border merchant API prices in `trans_currency` NZD.
 */
export class AlipayQrGateway extends PaymentGateway implements PaymentFollowUp {
  readonly method = 'alipay' as const;
  readonly provider: string = 'alipay';
  readonly followUp: PaymentFollowUp = this;
  private readonly log = new Logger(AlipayQrGateway.name);
  private readonly sdk: AlipaySdk;

  constructor(protected readonly options: AlipayQrGatewayOptions) {
    super();
    const pkcs8 = options.privateKey.includes('BEGIN PRIVATE KEY');
    this.sdk = new AlipaySdk({
      appId: options.appId,
      privateKey: options.privateKey,
      keyType: pkcs8 ? 'PKCS8' : 'PKCS1',
      alipayPublicKey: options.alipayPublicKey,
      gateway: options.gatewayUrl ?? 'https://openapi.alipay.com/gateway.do',
      timeout: options.timeoutMs ?? 10_000,
      camelcase: false,
      signType: 'RSA2',
    });
  }

  /** The QR of an order whose out_trade_no is the reference (Alipay's idempotency: the same number, the same QR). */
  async createPayment(request: CreatePaymentRequest): Promise<PaymentHandle> {
    const res = await this.exec('alipay.trade.precreate', {
      out_trade_no: request.reference,
      total_amount: centsToDecimal(request.amountCents),
      trans_currency: request.currency,
      settle_currency: request.currency,
      subject: request.description,
      ...(request.expiresAt ? { time_expire: alipayTime(request.expiresAt) } : {}),
      product_code: 'FACE_TO_FACE_PAYMENT',
    });
    if (res.code !== '10000' || typeof res.qr_code !== 'string') throw refused('alipay.trade.precreate', res);
    return {
      paymentId: request.reference,
      providerTradeNo: null,
      amountCents: request.amountCents,
      currency: request.currency,
      action: { type: 'qr', qrContent: res.qr_code },
    };
  }

  async verifyNotice(notice: RawNotice): Promise<VerifiedPaymentEvent> {
    const params = Object.fromEntries(new URLSearchParams(notice.body));
    // V2: the values as received (already form-decoded), never decoded a second time.
    if (!params.sign || !this.sdk.checkNotifySignV2(params))
      throw new CodedError('UNAUTHENTICATED', 'The Alipay notice signature could not be verified.');
    if (params.app_id !== this.options.appId)
      throw new CodedError('UNAUTHENTICATED', 'The Alipay notice is for another application.');
    return {
      eventId: params.notify_id ?? `${params.trade_no}:${params.trade_status}`,
      outcome: PAID.has(params.trade_status ?? '') ? 'paid' : 'other',
      providerStatus: params.trade_status ?? '',
      paymentId: params.out_trade_no || null,
      providerTradeNo: params.trade_no ?? null,
      amountCents: amountOf(params.total_amount),
      // A notice without trans_currency is priced in CNY (a mainland merchant's): never our NZD.
      currency: (params.trans_currency ?? 'CNY').toUpperCase(),
      metadata: {},
      paidAt: params.gmt_payment ? fromAlipayTime(params.gmt_payment) : null,
    };
  }

  async query(outTradeNo: string): Promise<PaymentState> {
    const res = await this.exec('alipay.trade.query', { out_trade_no: outTradeNo });
    if (res.code === '40004' && res.sub_code === 'ACQ.TRADE_NOT_EXIST') return { state: 'unknown' };
    if (res.code !== '10000') throw refused('alipay.trade.query', res);
    if (PAID.has(res.trade_status))
      return {
        state: 'paid',
        providerTradeNo: res.trade_no,
        amountCents: amountOf(res.total_amount),
        currency: res.trans_currency ?? 'CNY',
        paidAt: res.send_pay_date ? fromAlipayTime(res.send_pay_date) : new Date(),
      };
    if (res.trade_status === 'TRADE_CLOSED') return { state: 'closed' };
    return { state: 'pending' };
  }

  async close(outTradeNo: string): Promise<void> {
    const res = await this.exec('alipay.trade.close', { out_trade_no: outTradeNo });
    // Never scanned: Alipay has no trade, and nobody can pay this QR once it expired at Alipay.
    if (res.code === '10000' || (res.code === '40004' && res.sub_code === 'ACQ.TRADE_NOT_EXIST')) return;
    if (res.code === '40004' && res.sub_code === 'ACQ.TRADE_STATUS_ERROR') {
      // Paid (or finished) meanwhile: the caller queries and credits.
      throw new CodedError(
        'PAYMENT_ALREADY_PROCESSED',
        'The payer paid this QR code before it could be closed.',
      );
    }
    throw refused('alipay.trade.close', res);
  }

  async refund(request: RefundRequest): Promise<void> {
    const res = await this.exec('alipay.trade.refund', {
      out_trade_no: request.reference,
      refund_amount: centsToDecimal(request.amountCents),
      out_request_no: request.refundNo,
      refund_reason: request.reason,
    });
    if (res.code !== '10000') throw refused('alipay.trade.refund', res);
  }

  /** One call of Alipay's OpenAPI (the sandbox answers it in-process instead). */
  protected async exec(method: string, bizContent: Record<string, unknown>): Promise<Record<string, string>> {
    try {
      const notify = method === 'alipay.trade.precreate' && this.options.notifyUrl;
      const params = notify ? { bizContent, notify_url: notify } : { bizContent };
      return (await this.sdk.exec(method, params, { validateSign: true })) as Record<string, string>;
    } catch (err) {
      // Network trouble, an HTTP error or a response whose signature did not verify: may be retried.
      this.log.warn({ msg: 'Alipay request failed', method, err: (err as Error).name });
      throw new CodedError('EXTERNAL_SERVICE_ERROR', 'The payment provider is unavailable; try again.', {
        provider: 'alipay',
        method,
      });
    }
  }
}

function refused(method: string, res: Record<string, string>): CodedError {
  const retryable = res.code === '20000' || res.sub_code === 'ACQ.SYSTEM_ERROR';
  const details = { provider: 'alipay', method, code: res.code ?? null, subCode: res.sub_code ?? null };
  return retryable
    ? new CodedError('EXTERNAL_SERVICE_ERROR', 'The payment provider is unavailable; try again.', details)
    : new CodedError('PAYMENT_FAILED', undefined, details);
}

/** Alipay's "12.34" → 1234; anything else is -1 (never equal to a session's amount). */
function amountOf(raw: string | undefined): number {
  if (!raw || !/^\d+(\.\d{1,2})?$/.test(raw)) return -1;
  return decimalToCents(raw);
}

/** `2026-12-01 21:30:00` (China Standard Time) → Date. */
export function fromAlipayTime(raw: string): Date {
  const d = new Date(`${raw.replace(' ', 'T')}+08:00`);
  return Number.isNaN(d.getTime()) ? new Date() : d;
}
