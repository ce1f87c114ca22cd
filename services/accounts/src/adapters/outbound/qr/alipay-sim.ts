import { createSign, createVerify, randomBytes } from 'node:crypto';
import { centsToDecimal, decimalToCents } from '@prescriptchain/contracts';
import { type SimOrderStore, payOrder } from './sim-order.store';

/** Alipay's timestamp format, in China Standard Time as Alipay writes it: `2026-12-01 21:30:00`. */
export function alipayTime(at: Date): string {
  const cst = new Date(at.getTime() + 8 * 3_600_000);
  return cst.toISOString().slice(0, 19).replace('T', ' ');
}

/** Alipay's RSA2 signing content: every parameter but `sign` (and `sign_type`), sorted, `k=v` joined by `&`. */
export function alipaySignContent(params: Record<string, string>, { keepSignType = false } = {}): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && (keepSignType || k !== 'sign_type') && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

export const rsa2Sign = (content: string, privateKey: string) =>
  createSign('RSA-SHA256').update(content, 'utf8').sign(privateKey, 'base64');
export const rsa2Verify = (content: string, signature: string, publicKey: string) => {
  try {
    return createVerify('RSA-SHA256').update(content, 'utf8').verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
};

export type AlipayBizResponse = Record<string, string> & { code: string; msg: string };

const ok = (fields: Record<string, string>): AlipayBizResponse => ({
  code: '10000',
  msg: 'Success',
  ...fields,
});
const fail = (subCode: string, subMsg: string): AlipayBizResponse => ({
  code: '40004',
  msg: 'Business Failed',
  sub_code: subCode,
  sub_msg: subMsg,
});

/**
 * The Alipay side of Face-to-Face payment, as far as PrescriptChain uses it: `alipay.trade.precreate`,
 * `.query`, `.close`, `.refund` with Alipay's field names and codes, and the asynchronous notice a
 * payment causes, RSA2-signed with the "Alipay" private key. The embedded sandbox calls it directly;
 * the contract tests put it behind an HTTP stand-in of `gateway.do`.
 */
export class AlipaySim {
  constructor(
    private readonly options: {
      appId: string;
      /** Alipay's private key: signs responses and notices. */
      alipayPrivateKey: string;
      store: SimOrderStore;
    },
  ) {}

  get appId(): string {
    return this.options.appId;
  }

  /** Signs a response object the way Alipay does: over its exact JSON text. */
  signedResponse(method: string, biz: AlipayBizResponse): string {
    const json = JSON.stringify(biz);
    const sign = rsa2Sign(json, this.options.alipayPrivateKey);
    return `{"${method.replaceAll('.', '_')}_response":${json},"sign":"${sign}"}`;
  }

  async call(
    method: string,
    biz: Record<string, unknown>,
    notifyUrl: string | null,
  ): Promise<AlipayBizResponse> {
    const outTradeNo = String(biz.out_trade_no ?? '');
    if (!outTradeNo) return fail('ACQ.INVALID_PARAMETER', 'out_trade_no is required');
    switch (method) {
      case 'alipay.trade.precreate': {
        const amount = String(biz.total_amount ?? '');
        if (!/^\d+(\.\d{1,2})?$/.test(amount) || decimalToCents(amount) <= 0)
          return fail('ACQ.INVALID_PARAMETER', 'total_amount is invalid');
        const order = await this.options.store.create({
          outTradeNo,
          method: 'alipay',
          tradeNo: `2026${randomBytes(12).toString('hex')}`,
          amountCents: decimalToCents(amount),
          currency: String(biz.trans_currency ?? 'CNY'),
          status: 'WAIT_BUYER_PAY',
          notifyUrl,
          refundedCents: 0,
          createdAt: new Date(),
          paidAt: null,
        });
        if (order.amountCents !== decimalToCents(amount))
          return fail('ACQ.CONTEXT_INCONSISTENT', 'the order exists with other parameters');
        if (order.status !== 'WAIT_BUYER_PAY') return fail('ACQ.TRADE_STATUS_ERROR', 'the trade is not open');
        return ok({
          out_trade_no: outTradeNo,
          qr_code: `https://qr.alipay.com/bax0${order.tradeNo.slice(4, 24)}`,
        });
      }
      case 'alipay.trade.query': {
        const order = await this.options.store.find(outTradeNo);
        if (!order) return fail('ACQ.TRADE_NOT_EXIST', 'the trade does not exist');
        return ok({
          out_trade_no: outTradeNo,
          trade_no: order.tradeNo,
          trade_status: order.status,
          total_amount: centsToDecimal(order.amountCents),
          trans_currency: order.currency,
          ...(order.paidAt ? { send_pay_date: alipayTime(order.paidAt) } : {}),
        });
      }
      case 'alipay.trade.close': {
        const order = await this.options.store.find(outTradeNo);
        if (!order) return fail('ACQ.TRADE_NOT_EXIST', 'the trade does not exist');
        if (order.status === 'TRADE_CLOSED') return ok({ out_trade_no: outTradeNo, trade_no: order.tradeNo });
        if (!(await this.options.store.transition(outTradeNo, 'WAIT_BUYER_PAY', 'TRADE_CLOSED', new Date())))
          return fail('ACQ.TRADE_STATUS_ERROR', 'the trade was paid and cannot be closed');
        return ok({ out_trade_no: outTradeNo, trade_no: order.tradeNo });
      }
      case 'alipay.trade.refund': {
        const order = await this.options.store.find(outTradeNo);
        if (!order) return fail('ACQ.TRADE_NOT_EXIST', 'the trade does not exist');
        if (order.status !== 'TRADE_SUCCESS' && order.paidAt === null)
          return fail('ACQ.TRADE_STATUS_ERROR', 'the trade was not paid');
        const cents = decimalToCents(String(biz.refund_amount ?? '0'));
        // Idempotent by out_request_no in Alipay; here: a refund of what was already refunded is the same refund.
        if (!(await this.options.store.addRefund(outTradeNo, cents)) && order.refundedCents !== cents)
          return fail('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', 'refund exceeds the amount paid');
        return ok({
          out_trade_no: outTradeNo,
          trade_no: order.tradeNo,
          refund_fee: centsToDecimal(cents),
          fund_change: 'Y',
        });
      }
      default:
        return fail('isv.invalid-method', `unknown method ${method}`);
    }
  }

  /** The payer scanned and paid (see payOrder); the signed notice Alipay POSTs, or null when it cannot be paid. */
  async pay(
    outTradeNo: string,
    options: { force?: boolean } = {},
  ): Promise<{ body: string; headers: Record<string, string>; notifyUrl: string | null } | null> {
    const paid = await payOrder(this.options.store, outTradeNo, options);
    return (
      paid && {
        body: this.notice(paid).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        notifyUrl: paid.notifyUrl,
      }
    );
  }

  /** The `trade_status_sync` notice of a paid order, signed (form-encoded, as Alipay POSTs it). */
  notice(
    order: {
      outTradeNo: string;
      tradeNo: string;
      amountCents: number;
      currency: string;
      paidAt: Date | null;
      createdAt: Date;
    },
    over: Record<string, string> = {},
  ): URLSearchParams {
    const amount = centsToDecimal(order.amountCents);
    const params: Record<string, string> = {
      notify_time: alipayTime(new Date()),
      notify_type: 'trade_status_sync',
      notify_id: `${randomBytes(16).toString('hex')}`,
      app_id: this.options.appId,
      charset: 'utf-8',
      version: '1.0',
      sign_type: 'RSA2',
      trade_no: order.tradeNo,
      out_trade_no: order.outTradeNo,
      trade_status: 'TRADE_SUCCESS',
      total_amount: amount,
      receipt_amount: amount,
      buyer_pay_amount: amount,
      trans_currency: order.currency,
      subject: 'PrescriptChain 充值 top-up',
      gmt_create: alipayTime(order.createdAt),
      gmt_payment: alipayTime(order.paidAt ?? new Date()),
      ...over,
    };
    params.sign = rsa2Sign(alipaySignContent(params), this.options.alipayPrivateKey);
    return new URLSearchParams(params);
  }
}
