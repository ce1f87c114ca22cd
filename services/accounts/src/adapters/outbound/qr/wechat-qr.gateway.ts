import { X509Certificate, createPublicKey, type KeyObject } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { CodedError } from '@prescriptchain/contracts';
import { Aes, Formatter, Rsa, Wechatpay } from 'wechatpay-axios-plugin';
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
import { wechatTime } from './wechat-sim';

export interface WechatPayQrGatewayOptions {
  mchid: string;
  appid: string;
  /** Serial number of our merchant API certificate (signs requests with privateKey). */
  merchantSerial: string;
  privateKey: string;
  /** The platform certificate (PEM X.509) or WeChat Pay public key (PEM) that signs answers and notices, and its serial / key id. */
  platformSerial: string;
  platformCert: string;
  /** The 32-byte APIv3 key that decrypts notice resources. */
  apiV3Key: string;
  /** Default https://apihk.mch.weixin.qq.com (cross-border). */
  baseUrl?: string;
  notifyUrl: string | null;
  /** The merchant category code cross-border orders require (default 8099, medical services). */
  merchantCategoryCode?: string;
  timeoutMs?: number;
  /**
   * Serves the SDK's requests in this process instead of over HTTP (the sandbox): it receives each
   * request exactly as signed and answers with a signed response, which the SDK verifies as it
   * verifies WeChat Pay's.
   */
  inProcess?: InProcessWechatApi;
}

/** An API v3 endpoint in this process: the request as the SDK signed it, the answer with its Wechatpay-* headers. */
export type InProcessWechatApi = (request: { method: string; uri: string; authorization: string; body: string }) => Promise<{
  status: number;
  text: string;
  headers: Record<string, string>;
}>;

/**
 * An axios adapter (the SDK is an axios client) that hands each request to `serve` instead of the
 * network. It runs after the SDK's signer and before its verifier, so both do their real work.
 */
function inProcessAdapter(serve: InProcessWechatApi) {
  return async (config: {
    url?: string;
    baseURL?: string;
    method?: string;
    params?: Record<string, unknown>;
    data?: unknown;
    headers: { get?(name: string): unknown; Authorization?: unknown };
    validateStatus?: ((status: number) => boolean) | null;
  }) => {
    const url = new URL(config.url ?? '', config.baseURL);
    for (const [k, v] of Object.entries(config.params ?? {})) url.searchParams.append(k, String(v));
    const authorization = String(config.headers.get?.('Authorization') ?? config.headers.Authorization ?? '');
    const body = typeof config.data === 'string' ? config.data : config.data === undefined ? '' : JSON.stringify(config.data);
    const answer = await serve({ method: (config.method ?? 'get').toUpperCase(), uri: url.pathname + url.search, authorization, body });
    const response = { data: answer.text, status: answer.status, statusText: String(answer.status), headers: answer.headers, config, request: {} };
    if (config.validateStatus && !config.validateStatus(answer.status))
      throw Object.assign(new Error(`Request failed with status code ${answer.status}`), { response, config, code: 'ERR_BAD_REQUEST', isAxiosError: true });
    return response;
  };
}

/** WeChat Pay's signatures older than this are replays (the SDK uses the same window). */
export const WECHAT_MAX_CLOCK_OFFSET_SECONDS = 300;

export interface WechatCall {
  status: number;
  data: Record<string, any> | null;
}

/** The platform's verification key from a PEM X.509 certificate or a bare public key. */
export function platformKeyOf(pem: string): KeyObject {
  return pem.includes('BEGIN CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
}

/**
 * WeChat Pay Native, API v3, through `wechatpay-axios-plugin` (requests signed with our merchant
 * key, every answer's Wechatpay-* signature verified against the platform certificate by the SDK).
 * PrescriptChain is a New Zealand merchant, so this speaks the cross-border API: `/v3/global/
 * transactions/native` (with `merchant_category_code`, `amount.currency` NZD in cents), query and
 * close by out_trade_no under `/v3/global/transactions/out-trade-no/…`, refunds at `/v3/global/refunds`,
 * and the transaction id field is `id` (mainland: `transaction_id`). Notices: signed headers checked
 * against the platform certificate and the clock, the resource AES-256-GCM decrypted with the APIv3 key.
 */
export class WechatPayQrGateway extends PaymentGateway implements PaymentFollowUp {
  readonly method = 'wechat' as const;
  readonly provider: string = 'wechat';
  readonly followUp: PaymentFollowUp = this;
  private readonly log = new Logger(WechatPayQrGateway.name);
  private readonly client: Wechatpay;
  private readonly platformKey: KeyObject;

  constructor(protected readonly options: WechatPayQrGatewayOptions) {
    super();
    this.platformKey = platformKeyOf(options.platformCert);
    this.client = new Wechatpay({
      mchid: options.mchid,
      serial: options.merchantSerial,
      privateKey: options.privateKey,
      certs: { [options.platformSerial]: this.platformKey },
      baseURL: options.baseUrl ?? 'https://apihk.mch.weixin.qq.com/',
      timeout: options.timeoutMs ?? 10_000,
      ...(options.inProcess ? { adapter: inProcessAdapter(options.inProcess) } : {}),
    } as ConstructorParameters<typeof Wechatpay>[0]);
  }

  /** The code_url of a Native order whose out_trade_no is the reference (WeChat's idempotency: the same number, the same order). */
  async createPayment(request: CreatePaymentRequest): Promise<PaymentHandle> {
    const res = await this.call('POST', 'v3/global/transactions/native', {
      appid: this.options.appid,
      mchid: this.options.mchid,
      description: request.description,
      out_trade_no: request.reference,
      time_expire: request.expiresAt ? wechatTime(request.expiresAt) : undefined,
      notify_url: this.options.notifyUrl ?? undefined,
      trade_type: 'NATIVE',
      merchant_category_code: this.options.merchantCategoryCode ?? '8099',
      amount: { total: request.amountCents, currency: request.currency },
    });
    if (res.status !== 200 || typeof res.data?.code_url !== 'string') throw refused('native', res);
    return {
      paymentId: request.reference,
      providerTradeNo: null,
      amountCents: request.amountCents,
      currency: request.currency,
      action: { type: 'qr', qrContent: res.data.code_url },
    };
  }

  async verifyNotice(notice: RawNotice): Promise<VerifiedPaymentEvent> {
    const h = notice.headers;
    const [timestamp, nonce, signature, serial] = [
      h['wechatpay-timestamp'],
      h['wechatpay-nonce'],
      h['wechatpay-signature'],
      h['wechatpay-serial'],
    ];
    const forged = (why: string) => new CodedError('UNAUTHENTICATED', `The WeChat Pay notice could not be verified (${why}).`);
    if (!timestamp || !nonce || !signature || !serial) throw forged('signature headers missing');
    if (serial !== this.options.platformSerial) throw forged('unknown platform certificate');
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > WECHAT_MAX_CLOCK_OFFSET_SECONDS)
      throw forged('timestamp outside the allowed window');
    let valid = false;
    try {
      valid = Rsa.verify(Formatter.response(timestamp, nonce, notice.body), signature, this.platformKey);
    } catch {
      valid = false;
    }
    if (!valid) throw forged('bad signature');

    let event: { id?: string; event_type?: string; resource?: Record<string, string> };
    let tx: Record<string, any>;
    try {
      event = JSON.parse(notice.body);
      const r = event.resource ?? {};
      if (r.algorithm !== 'AEAD_AES_256_GCM') throw new Error('algorithm');
      tx = JSON.parse(Aes.AesGcm.decrypt(r.ciphertext, this.options.apiV3Key, r.nonce, r.associated_data ?? ''));
    } catch {
      // Signed by the platform but not decryptable with our key: not for us.
      throw forged('resource could not be decrypted');
    }
    if (tx.mchid !== undefined && tx.mchid !== this.options.mchid) throw forged('notice for another merchant');
    const state = String(tx.trade_state ?? '');
    return {
      eventId: String(event.id ?? ''),
      outcome: event.event_type === 'TRANSACTION.SUCCESS' && state === 'SUCCESS' ? 'paid' : 'other',
      providerStatus: state || String(event.event_type ?? ''),
      paymentId: tx.out_trade_no ? String(tx.out_trade_no) : null,
      providerTradeNo: (tx.id ?? tx.transaction_id ?? null) as string | null,
      amountCents: Number.isSafeInteger(tx.amount?.total) ? tx.amount.total : -1,
      currency: String(tx.amount?.currency ?? '').toUpperCase(),
      metadata: {},
      paidAt: tx.success_time ? new Date(tx.success_time) : null,
    };
  }

  async query(outTradeNo: string): Promise<PaymentState> {
    const res = await this.call(
      'GET',
      `v3/global/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}?mchid=${encodeURIComponent(this.options.mchid)}`,
    );
    if (res.status === 404) return { state: 'unknown' };
    if (res.status !== 200 || !res.data) throw refused('query', res);
    const tx = res.data;
    if (tx.trade_state === 'SUCCESS' || tx.trade_state === 'REFUND')
      return {
        state: 'paid',
        providerTradeNo: tx.id ?? tx.transaction_id,
        amountCents: Number.isSafeInteger(tx.amount?.total) ? tx.amount.total : -1,
        currency: String(tx.amount?.currency ?? ''),
        paidAt: tx.success_time ? new Date(tx.success_time) : new Date(),
      };
    if (tx.trade_state === 'CLOSED' || tx.trade_state === 'REVOKED' || tx.trade_state === 'PAYERROR')
      return { state: 'closed' };
    return { state: 'pending' };
  }

  async close(outTradeNo: string): Promise<void> {
    const res = await this.call('POST', `v3/global/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}/close`, {
      mchid: this.options.mchid,
    });
    if (res.status === 204 || res.status === 200 || res.status === 404) return;
    if (res.data?.code === 'ORDERPAID')
      throw new CodedError('PAYMENT_ALREADY_PROCESSED', 'The payer paid this QR code before it could be closed.');
    throw refused('close', res);
  }

  async refund(request: RefundRequest): Promise<void> {
    const res = await this.call('POST', 'v3/global/refunds', {
      mchid: this.options.mchid,
      appid: this.options.appid,
      out_trade_no: request.reference,
      out_refund_no: request.refundNo,
      reason: request.reason,
      amount: { refund: request.amountCents, total: request.totalCents, currency: 'NZD' },
    });
    if (res.status !== 200) throw refused('refund', res);
  }

  /** One API v3 call; a 4xx comes back as an answer, a network failure or a bad answer signature throws. */
  private async call(method: 'GET' | 'POST', path: string, body?: Record<string, unknown>): Promise<WechatCall> {
    try {
      const endpoint = this.client.chain(path.split('?')[0]);
      const query = Object.fromEntries(new URL(path, 'http://x').searchParams);
      const res =
        method === 'GET'
          ? await endpoint.get({ params: query })
          : await endpoint.post(JSON.parse(JSON.stringify(body ?? {})));
      return { status: res.status, data: (res.data as Record<string, any>) || null };
    } catch (err) {
      const e = err as { response?: { status?: number; data?: unknown }; code?: string };
      const status = e.response?.status;
      if (status && status >= 400 && status < 500 && !String(e.code ?? '').startsWith('EV3_'))
        return { status, data: (e.response?.data as Record<string, any>) ?? null };
      this.log.warn({ msg: 'WeChat Pay request failed', path: path.split('?')[0], code: e.code ?? null, status: status ?? null });
      throw new CodedError('EXTERNAL_SERVICE_ERROR', 'The payment provider is unavailable; try again.', {
        provider: 'wechat',
        code: e.code ?? null,
      });
    }
  }
}

function refused(what: string, res: WechatCall): CodedError {
  const details = { provider: 'wechat', call: what, status: res.status, code: (res.data?.code as string) ?? null };
  return res.status >= 500 || res.data?.code === 'SYSTEM_ERROR' || res.data?.code === 'FREQUENCY_LIMITED'
    ? new CodedError('EXTERNAL_SERVICE_ERROR', 'The payment provider is unavailable; try again.', details)
    : new CodedError('PAYMENT_FAILED', undefined, details);
}
