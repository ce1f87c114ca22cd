import { randomBytes } from 'node:crypto';
import { Aes, Formatter, Rsa } from 'wechatpay-axios-plugin';
import { type SimOrderStore, payOrder } from './sim-order.store';

export interface WechatAnswer {
  status: number;
  body: Record<string, unknown> | null;
}

/** RFC 3339 with +08:00, as WeChat Pay writes times. */
export function wechatTime(at: Date): string {
  const cst = new Date(at.getTime() + 8 * 3_600_000);
  return `${cst.toISOString().slice(0, 19)}+08:00`;
}

const error = (status: number, code: string, message: string): WechatAnswer => ({ status, body: { code, message } });

/**
 * The WeChat Pay side of cross-border Native payment (API v3, `/v3/global/…`) as PrescriptChain uses
 * it: the Native order (`code_url`), query and close by out_trade_no, refunds, and the notice a
 * payment causes — headers signed with the platform private key, the transaction AES-256-GCM
 * encrypted with the merchant's APIv3 key. The sandbox calls it directly; the contract tests put it
 * behind an HTTP stand-in that also checks the merchant's request signatures.
 */
export class WechatSim {
  constructor(
    private readonly options: {
      mchid: string;
      appid: string;
      apiV3Key: string;
      platformSerial: string;
      platformPrivateKey: string;
      store: SimOrderStore;
      /** Our merchant certificate's serial and public key: every request's Authorization is checked with it. */
      merchant: { serial: string; publicKey: string };
    },
  ) {}

  /**
   * One API v3 request as WeChat Pay serves it: the `WECHATPAY2-SHA256-RSA2048` Authorization checked
   * against the merchant's public key (401 SIGN_ERROR otherwise), the answer signed with the platform
   * key (Wechatpay-* headers). The HTTP stand-in and the embedded sandbox both serve through it.
   */
  async serve(request: { method: string; uri: string; authorization: string; body: string }): Promise<{
    status: number;
    text: string;
    headers: Record<string, string>;
  }> {
    const answer = this.authorized(request)
      ? await this.handle(request.method, request.uri, request.body ? JSON.parse(request.body) : null)
      : error(401, 'SIGN_ERROR', 'signature verification failed');
    const text = answer.body ? JSON.stringify(answer.body) : '';
    return { status: answer.status, text, headers: { 'content-type': 'application/json', ...this.signedHeaders(text) } };
  }

  /** WeChat Pay's check of a request signature: `METHOD\nURI\nts\nnonce\nbody\n` with the merchant key. */
  private authorized({ method, uri, authorization, body }: { method: string; uri: string; authorization: string; body: string }): boolean {
    const m = /^WECHATPAY2-SHA256-RSA2048 (.+)$/.exec(authorization);
    if (!m) return false;
    const fields = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (fields.mchid !== this.options.mchid || fields.serial_no !== this.options.merchant.serial) return false;
    try {
      return Rsa.verify(Formatter.request(method, uri, fields.timestamp, fields.nonce_str, body), fields.signature, this.options.merchant.publicKey);
    } catch {
      return false;
    }
  }

  async handle(method: string, path: string, body: Record<string, any> | null): Promise<WechatAnswer> {
    const url = new URL(path, 'http://wechat.local');
    const p = url.pathname;
    if (method === 'POST' && p === '/v3/global/transactions/native') {
      const b = body ?? {};
      if (b.mchid !== this.options.mchid || b.appid !== this.options.appid)
        return error(400, 'PARAM_ERROR', 'mchid/appid mismatch');
      if (b.trade_type !== 'NATIVE' || !b.merchant_category_code)
        return error(400, 'PARAM_ERROR', 'trade_type NATIVE and merchant_category_code are required');
      const total = b.amount?.total;
      if (!Number.isSafeInteger(total) || total <= 0 || typeof b.amount?.currency !== 'string')
        return error(400, 'PARAM_ERROR', 'amount.total must be a positive integer in the smallest unit');
      const order = await this.options.store.create({
        outTradeNo: String(b.out_trade_no),
        method: 'wechat',
        tradeNo: `4200${randomBytes(12).toString('hex')}`,
        amountCents: total,
        currency: b.amount.currency,
        status: 'WAIT_BUYER_PAY',
        notifyUrl: b.notify_url ?? null,
        refundedCents: 0,
        createdAt: new Date(),
        paidAt: null,
      });
      if (order.amountCents !== total) return error(400, 'INVALID_REQUEST', 'out_trade_no reused with other parameters');
      if (order.status !== 'WAIT_BUYER_PAY') return error(400, 'ORDER_CLOSED', 'the order is closed');
      return { status: 200, body: { code_url: `weixin://wxpay/bizpayurl?pr=${order.tradeNo.slice(4, 11)}` } };
    }
    const byNo = /^\/v3\/global\/transactions\/out-trade-no\/([^/]+)(\/close)?$/.exec(p);
    if (byNo) {
      const outTradeNo = decodeURIComponent(byNo[1]);
      const mchid = byNo[2] ? body?.mchid : url.searchParams.get('mchid');
      if (mchid !== this.options.mchid) return error(400, 'PARAM_ERROR', 'mchid mismatch');
      const order = await this.options.store.find(outTradeNo);
      if (!order) return error(404, 'ORDER_NOT_EXIST', 'order does not exist');
      if (byNo[2] && method === 'POST') {
        if (order.status === 'TRADE_SUCCESS') return error(400, 'ORDERPAID', 'the order is paid');
        await this.options.store.transition(outTradeNo, 'WAIT_BUYER_PAY', 'TRADE_CLOSED', new Date());
        return { status: 204, body: null };
      }
      if (method === 'GET') return { status: 200, body: this.transaction(order) };
    }
    if (method === 'POST' && p === '/v3/global/refunds') {
      const b = body ?? {};
      const order = await this.options.store.find(String(b.out_trade_no));
      if (!order) return error(404, 'RESOURCE_NOT_EXISTS', 'order does not exist');
      if (order.paidAt === null) return error(400, 'INVALID_REQUEST', 'the order was not paid');
      const refund = b.amount?.refund;
      if (b.amount?.total !== order.amountCents || b.amount?.currency !== order.currency)
        return error(400, 'PARAM_ERROR', 'amount.total/currency differ from the order');
      if (!(await this.options.store.addRefund(order.outTradeNo, refund)) && order.refundedCents !== refund)
        return error(400, 'NOT_ENOUGH', 'refund exceeds the amount paid');
      return {
        status: 200,
        body: { id: `5030${randomBytes(8).toString('hex')}`, out_refund_no: b.out_refund_no, status: 'PROCESSING', amount: b.amount },
      };
    }
    return error(404, 'NOT_FOUND', `no such API ${method} ${p}`);
  }

  /** The cross-border transaction object (what query answers and a notice's resource decrypts to). */
  transaction(order: { outTradeNo: string; tradeNo: string; amountCents: number; currency: string; status: string; paidAt: Date | null }): Record<string, unknown> {
    const state = order.status === 'TRADE_SUCCESS' ? 'SUCCESS' : order.status === 'TRADE_CLOSED' ? 'CLOSED' : 'NOTPAY';
    return {
      mchid: this.options.mchid,
      appid: this.options.appid,
      out_trade_no: order.outTradeNo,
      id: order.tradeNo,
      trade_type: 'NATIVE',
      trade_state: state,
      trade_state_desc: state,
      ...(order.paidAt ? { success_time: wechatTime(order.paidAt), bank_type: 'OTHERS', payer: { sp_openid: 'oSandboxPayer' } } : {}),
      amount: {
        total: order.amountCents,
        currency: order.currency,
        ...(order.paidAt ? { payer_total: Math.round(order.amountCents * 4.2), payer_currency: 'CNY', exchange_rate: { type: 'SETTLEMENT_RATE', rate: 420000000 } } : {}),
      },
    };
  }

  /** Signs a response or notice body the way WeChat Pay does (Wechatpay-* headers). */
  signedHeaders(body: string, at = new Date()): Record<string, string> {
    const timestamp = String(Math.floor(at.getTime() / 1000));
    const nonce = Formatter.nonce();
    return {
      'wechatpay-timestamp': timestamp,
      'wechatpay-nonce': nonce,
      'wechatpay-serial': this.options.platformSerial,
      'wechatpay-signature': Rsa.sign(Formatter.response(timestamp, nonce, body), this.options.platformPrivateKey),
      'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
    };
  }

  /** The payer paid (`force`: even a closed order, the late-payment case); the signed notice, or null. */
  async pay(outTradeNo: string, options: { force?: boolean } = {}): Promise<{ body: string; headers: Record<string, string>; notifyUrl: string | null } | null> {
    const paid = await payOrder(this.options.store, outTradeNo, options);
    if (!paid) return null;
    const body = this.noticeBody(this.transaction(paid));
    return { body, headers: { 'content-type': 'application/json', ...this.signedHeaders(body) }, notifyUrl: paid.notifyUrl };
  }

  /** A TRANSACTION.SUCCESS notice carrying `transaction`, encrypted as WeChat Pay does. */
  noticeBody(transaction: Record<string, unknown>): string {
    const nonce = randomBytes(6).toString('hex');
    const aad = 'transaction';
    return JSON.stringify({
      id: randomBytes(16).toString('hex'),
      create_time: wechatTime(new Date()),
      resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      resource: {
        original_type: 'transaction',
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext: Aes.AesGcm.encrypt(JSON.stringify(transaction), this.options.apiV3Key, nonce, aad),
        associated_data: aad,
        nonce,
      },
    });
  }
}
