/**
 * Local HTTP stand-ins of the two scan-to-pay providers, as far as accounts calls them:
 * - Alipay's OpenAPI gateway (`POST /gateway.do`): checks each request's RSA2 signature with our app
 *   public key, answers `alipay.trade.precreate|query|close|refund` in Alipay's JSON with Alipay's
 *   response signature.
 * - WeChat Pay API v3 (cross-border `/v3/global/…`): checks each request's
 *   `WECHATPAY2-SHA256-RSA2048` Authorization with our merchant public key, answers with
 *   Wechatpay-* headers signed by the platform key.
 * Both keep orders through the same simulators the embedded sandboxes use (in memory here), and
 * `pay()` produces the signed notice the provider would POST. Keys are generated per test run.
 */
import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AlipaySim, alipaySignContent, rsa2Verify } from '../src/adapters/outbound/qr/alipay-sim';
import { generateRsaKeyPair, type PemKeyPair } from '../src/adapters/outbound/qr/sandbox-keys';
import { MemorySimOrderStore, type SimOrderStore } from '../src/adapters/outbound/qr/sim-order.store';
import { WechatSim } from '../src/adapters/outbound/qr/wechat-sim';

export interface StandInRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** What a simulator's `pay` gives, as the notice endpoint receives it; throws when the order cannot be paid (closed). */
export async function paidNotice(
  sim: Pick<AlipaySim | WechatSim, 'pay'>,
  outTradeNo: string,
  options: { force?: boolean } = {},
): Promise<{ body: string; headers: Record<string, string> }> {
  const paid = await sim.pay(outTradeNo, options);
  if (!paid) throw new Error(`cannot pay ${outTradeNo}: the order is closed`);
  return { body: paid.body, headers: paid.headers };
}

export class AlipayApiStandIn {
  readonly app: PemKeyPair = generateRsaKeyPair();
  readonly alipay: PemKeyPair = generateRsaKeyPair();
  readonly appId = '2021000000000001';
  readonly store = new MemorySimOrderStore();
  readonly sim = new AlipaySim({ appId: this.appId, alipayPrivateKey: this.alipay.privateKey, store: this.store });
  readonly requests: StandInRequest[] = [];
  /** The next answers are HTTP 503 (an outage). */
  outages = 0;
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer(async (req, res) => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://stand-in');
      this.requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body });
      if (this.outages > 0) {
        this.outages -= 1;
        res.writeHead(503).end('unavailable');
        return;
      }
      const params: Record<string, string> = Object.fromEntries(url.searchParams);
      for (const [k, v] of new URLSearchParams(body)) params[k] = v;
      const method = params.method ?? '';
      res.setHeader('content-type', 'application/json;charset=utf-8');
      if (url.pathname !== '/gateway.do' || params.app_id !== this.appId || !rsa2Verify(alipaySignContent(params, { keepSignType: true }), params.sign ?? '', this.app.publicKey)) {
        res.end(JSON.stringify({ error_response: { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-signature', sub_msg: 'bad signature' } }));
        return;
      }
      const biz = JSON.parse(params.biz_content ?? '{}');
      const answer = await this.sim.call(method, biz, params.notify_url ?? null);
      res.end(this.sim.signedResponse(method, answer));
    });
    return `${await listen(this.server)}/gateway.do`;
  }

  /** The payer pays (`force`: even a closed order); the signed notice the provider would POST. */
  pay(outTradeNo: string, options: { force?: boolean } = {}) {
    return paidNotice(this.sim, outTradeNo, options);
  }

  async close(): Promise<void> {
    // The SDKs' HTTP clients keep connections alive; close them too, or the server never closes.
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}

export class WechatApiStandIn {
  readonly merchant: PemKeyPair = generateRsaKeyPair();
  readonly platform: PemKeyPair = generateRsaKeyPair();
  readonly mchid = '1900000101';
  readonly appid = 'wx1234567890abcdef';
  readonly merchantSerial = randomBytes(20).toString('hex').toUpperCase();
  readonly platformSerial = `PUB_KEY_ID_${randomBytes(8).toString('hex').toUpperCase()}`;
  readonly apiV3Key = randomBytes(16).toString('hex');
  readonly store = new MemorySimOrderStore();
  readonly sim = new WechatSim({
    mchid: this.mchid,
    appid: this.appid,
    apiV3Key: this.apiV3Key,
    platformSerial: this.platformSerial,
    platformPrivateKey: this.platform.privateKey,
    store: this.store,
    merchant: { serial: this.merchantSerial, publicKey: this.merchant.publicKey },
  });
  readonly requests: StandInRequest[] = [];
  outages = 0;
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer(async (req, res) => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://stand-in');
      this.requests.push({ method: req.method ?? '', path: url.pathname + url.search, headers: req.headers, body });
      if (this.outages > 0) {
        this.outages -= 1;
        res.writeHead(503).end();
        return;
      }
      const answer = await this.sim.serve({
        method: req.method ?? '',
        uri: url.pathname + url.search,
        authorization: String(req.headers.authorization ?? ''),
        body,
      });
      res.writeHead(answer.status, answer.headers).end(answer.text);
    });
    return `${await listen(this.server)}/`;
  }

  /** The payer pays (`force`: even a closed order); the signed notice the provider would POST. */
  pay(outTradeNo: string, options: { force?: boolean } = {}) {
    return paidNotice(this.sim, outTradeNo, options);
  }

  async close(): Promise<void> {
    // The SDKs' HTTP clients keep connections alive; close them too, or the server never closes.
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}

type Notice = { body: string; headers: Record<string, string> };
const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

/** The contract's forgeries of Alipay notices: a stand-in's or a sandbox's simulator and order store. */
export function alipayForgeries(sim: AlipaySim, store: SimOrderStore) {
  return {
    alter: (n: Notice) => ({ ...n, body: n.body.replace(/total_amount=(\d+)\.00/, (_m, units) => `total_amount=${Number(units) * 10}.00`) }),
    signedByAnotherKey: async (outTradeNo: string) => {
      const order = (await store.find(outTradeNo))!;
      const forger = new AlipaySim({ appId: sim.appId, alipayPrivateKey: generateRsaKeyPair().privateKey, store });
      return { body: forger.notice(order).toString(), headers: FORM };
    },
    unsigned: (n: Notice) => ({ ...n, body: n.body.replace(/(^|&)sign=[^&]*/, '') }),
  };
}

/** The contract's forgeries of WeChat Pay notices (another platform key, unsigned, stale). */
export function wechatForgeries(sim: WechatSim, store: SimOrderStore) {
  const options = (sim as unknown as { options: ConstructorParameters<typeof WechatSim>[0] }).options;
  const transaction = async (outTradeNo: string) => sim.transaction((await store.find(outTradeNo))!);
  return {
    alter: (n: Notice) => ({ ...n, body: n.body.replace(/"id":"[0-9a-f]+"/, '"id":"forged"') }),
    signedByAnotherKey: async (outTradeNo: string) => {
      const forger = new WechatSim({ ...options, platformPrivateKey: generateRsaKeyPair().privateKey });
      const body = forger.noticeBody(await transaction(outTradeNo));
      return { body, headers: { 'content-type': 'application/json', ...forger.signedHeaders(body) } };
    },
    unsigned: (n: Notice) => ({ ...n, headers: { 'content-type': 'application/json' } }),
    stale: async (outTradeNo: string) => {
      const body = sim.noticeBody(await transaction(outTradeNo));
      return { body, headers: { 'content-type': 'application/json', ...sim.signedHeaders(body, new Date(Date.now() - 3_600_000)) } };
    },
  };
}
