/**
 * The QrPaymentGateway contract against all four adapters: AlipayQrGateway (official alipay-sdk) and
 * WechatPayQrGateway (wechatpay-axios-plugin) over HTTP to local stand-ins of Alipay's gateway.do and
 * WeChat Pay's API v3, and both embedded sandboxes on a throw-away database; plus what exactly the
 * real adapters send, and how they treat an outage or a stand-in that answers unsigned.
 */
import { randomUUID } from 'node:crypto';
import { Formatter, Rsa } from 'wechatpay-axios-plugin';
import { migrate } from '../../../tools/migrate';
import { createTestDatabase, type TestDatabase } from '../../../test/support/infra';
import { AlipayQrGateway } from '../src/adapters/outbound/qr/alipay-qr.gateway';
import { AlipaySandboxGateway } from '../src/adapters/outbound/qr/alipay-sandbox.gateway';
import { AlipaySim } from '../src/adapters/outbound/qr/alipay-sim';
import { generateRsaKeyPair } from '../src/adapters/outbound/qr/sandbox-keys';
import { WechatPayQrGateway } from '../src/adapters/outbound/qr/wechat-qr.gateway';
import { WechatSandboxGateway } from '../src/adapters/outbound/qr/wechat-sandbox.gateway';
import { WechatSim } from '../src/adapters/outbound/qr/wechat-sim';
import { AccountsPrismaService } from '../src/adapters/outbound/prisma/accounts-prisma.service';
import { outTradeNoOf } from '../src/domain/payment-session.entity';
import { MIGRATIONS_DIR } from './accounts-test-kit';
import { AlipayApiStandIn, WechatApiStandIn } from './qr-provider.stand-ins';
import { describeQrGatewayContract } from './qr-payment-gateway.contract';

function alipayOtherKey(sim: AlipaySim, store: AlipayApiStandIn['store'] | null) {
  return async (outTradeNo: string) => {
    const order = (await (store ?? (sim as any).options.store).find(outTradeNo))!;
    const forger = new AlipaySim({ appId: sim.appId, alipayPrivateKey: generateRsaKeyPair().privateKey, store: (sim as any).options.store });
    return { body: forger.notice(order).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  };
}

function wechatForgers(sim: WechatSim, options: { serial: string; apiV3Key: string; store: any; mchid: string; appid: string }) {
  const order = async (outTradeNo: string) => (await options.store.find(outTradeNo))!;
  return {
    signedByAnotherKey: async (outTradeNo: string) => {
      const forger = new WechatSim({ ...options, platformSerial: options.serial, platformPrivateKey: generateRsaKeyPair().privateKey });
      const body = forger.noticeBody(forger.transaction(await order(outTradeNo)));
      return { body, headers: { 'content-type': 'application/json', ...forger.signedHeaders(body) } };
    },
    stale: async (outTradeNo: string) => {
      const body = sim.noticeBody(sim.transaction(await order(outTradeNo)));
      return { body, headers: { 'content-type': 'application/json', ...sim.signedHeaders(body, new Date(Date.now() - 3_600_000)) } };
    },
  };
}

describeQrGatewayContract(`${AlipayQrGateway.name} (alipay-sdk ↔ gateway.do stand-in)`, async () => {
  const api = new AlipayApiStandIn();
  const gateway = new AlipayQrGateway({
    appId: api.appId,
    privateKey: api.app.privateKey,
    alipayPublicKey: api.alipay.publicKey,
    gatewayUrl: await api.start(),
    notifyUrl: 'https://api.example.nz/api/v1/payments/alipay/notify',
  });
  return { gateway, pay: (no, o) => api.pay(no, o), signedByAnotherKey: alipayOtherKey(api.sim, api.store), close: () => api.close() };
});

describeQrGatewayContract(`${WechatPayQrGateway.name} (wechatpay-axios-plugin ↔ API v3 stand-in)`, async () => {
  const api = new WechatApiStandIn();
  const gateway = new WechatPayQrGateway({
    mchid: api.mchid,
    appid: api.appid,
    merchantSerial: api.merchantSerial,
    privateKey: api.merchant.privateKey,
    platformSerial: api.platformSerial,
    platformCert: api.platform.publicKey,
    apiV3Key: api.apiV3Key,
    baseUrl: await api.start(),
    notifyUrl: 'https://api.example.nz/api/v1/payments/wechat/notify',
  });
  const forgers = wechatForgers(api.sim, { serial: api.platformSerial, apiV3Key: api.apiV3Key, store: api.store, mchid: api.mchid, appid: api.appid });
  return { gateway, pay: (no, o) => api.pay(no, o), ...forgers, close: () => api.close() };
});

describe('the QR sandboxes', () => {
  let db: TestDatabase;
  let prisma: AccountsPrismaService;
  const sandboxes: { alipay?: AlipaySandboxGateway; wechat?: WechatSandboxGateway } = {};
  const ready = (async () => {
    db = await createTestDatabase('qr-sandboxes');
    await migrate(db.url, MIGRATIONS_DIR);
    prisma = new AccountsPrismaService(db.url);
    const options = { deliver: async () => undefined, settleAfterMs: null };
    sandboxes.alipay = await AlipaySandboxGateway.create(prisma, options);
    sandboxes.wechat = await WechatSandboxGateway.create(prisma, options);
  })();
  afterAll(async () => {
    await ready;
    await prisma?.$disconnect();
    await db?.drop();
  });

  describeQrGatewayContract(AlipaySandboxGateway.name, async () => {
    await ready;
    const g = sandboxes.alipay!;
    const pay = async (no: string, o?: { force?: boolean }) => {
      const paid = await g.sim.pay(no, o);
      if (!paid) throw new Error('closed');
      return { body: paid.body, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    };
    return { gateway: g, pay, signedByAnotherKey: alipayOtherKey(g.sim, null), close: async () => undefined };
  });

  describeQrGatewayContract(WechatSandboxGateway.name, async () => {
    await ready;
    const g = sandboxes.wechat!;
    const pay = async (no: string, o?: { force?: boolean }) => {
      const paid = await g.sim.pay(no, o);
      if (!paid) throw new Error('closed');
      return { body: paid.body, headers: paid.headers };
    };
    const sim = g.sim as any;
    const forgers = wechatForgers(g.sim, { serial: sim.options.platformSerial, apiV3Key: sim.options.apiV3Key, store: sim.options.store, mchid: sim.options.mchid, appid: sim.options.appid });
    return { gateway: g, pay, ...forgers, close: async () => undefined };
  });

  it('keeps its locally generated keys across instances (replicas and restarts verify each other)', async () => {
    await ready;
    const again = await AlipaySandboxGateway.create(prisma, { deliver: async () => undefined, settleAfterMs: null });
    const order = { outTradeNo: outTradeNoOf(randomUUID()), amountCents: 700, currency: 'NZD' as const, subject: 's', expiresAt: new Date(Date.now() + 60_000) };
    await sandboxes.alipay!.createOrder(order);
    const paid = (await sandboxes.alipay!.sim.pay(order.outTradeNo))!;
    await expect(again.verifyNotice({ body: paid.body, headers: {} })).resolves.toMatchObject({ paid: true, amountCents: 700 });
  });
});

describe(`${AlipayQrGateway.name} talking to Alipay`, () => {
  const api = new AlipayApiStandIn();
  let sut: AlipayQrGateway;
  beforeAll(async () => {
    sut = new AlipayQrGateway({ appId: api.appId, privateKey: api.app.privateKey, alipayPublicKey: api.alipay.publicKey, gatewayUrl: await api.start(), notifyUrl: 'https://api.example.nz/api/v1/payments/alipay/notify' });
  });
  afterAll(() => api.close());

  it('precreates in NZD with a decimal-string amount, our order number, Face-to-Face and the notify URL, RSA2-signed', async () => {
    const outTradeNo = outTradeNoOf(randomUUID());
    await sut.createOrder({ outTradeNo, amountCents: 2_550, currency: 'NZD', subject: 'top-up', expiresAt: new Date(Date.now() + 60_000) });
    const sent = api.requests.at(-1)!;
    const url = new URL(`http://x${sent.path}?${new URLSearchParams(sent.body)}`);
    const all = { ...Object.fromEntries(new URL(`http://x${sent.path}`).searchParams), ...Object.fromEntries(new URLSearchParams(sent.body)) };
    expect(url.pathname).toBe('/gateway.do');
    expect(all.sign_type ?? new URLSearchParams(sent.body).get('sign_type')).toBeDefined();
    const biz = JSON.parse(all.biz_content);
    expect(biz).toMatchObject({ out_trade_no: outTradeNo, total_amount: '25.50', trans_currency: 'NZD', product_code: 'FACE_TO_FACE_PAYMENT' });
  });

  it('treats an outage as EXTERNAL_SERVICE_ERROR (retryable), never as a refusal', async () => {
    api.outages = 1;
    await expect(sut.queryOrder(outTradeNoOf(randomUUID()))).rejects.toMatchObject({ key: 'EXTERNAL_SERVICE_ERROR' });
  });

  it('refuses an answer whose signature is not Alipay\'s (a man in the middle)', async () => {
    const liar = new AlipayQrGateway({ appId: api.appId, privateKey: api.app.privateKey, alipayPublicKey: generateRsaKeyPair().publicKey, gatewayUrl: (sut as any).options.gatewayUrl, notifyUrl: null });
    const outTradeNo = outTradeNoOf(randomUUID());
    await expect(liar.createOrder({ outTradeNo, amountCents: 100, currency: 'NZD', subject: 's', expiresAt: new Date(Date.now() + 60_000) })).rejects.toMatchObject({ key: 'EXTERNAL_SERVICE_ERROR' });
  });
});

describe(`${WechatPayQrGateway.name} talking to WeChat Pay (cross-border API v3)`, () => {
  const api = new WechatApiStandIn();
  let sut: WechatPayQrGateway;
  beforeAll(async () => {
    sut = new WechatPayQrGateway({ mchid: api.mchid, appid: api.appid, merchantSerial: api.merchantSerial, privateKey: api.merchant.privateKey, platformSerial: api.platformSerial, platformCert: api.platform.publicKey, apiV3Key: api.apiV3Key, baseUrl: await api.start(), notifyUrl: 'https://api.example.nz/api/v1/payments/wechat/notify' });
  });
  afterAll(() => api.close());

  it('orders a cross-border Native payment in NZD cents with the merchant category code, signed with our merchant key', async () => {
    const outTradeNo = outTradeNoOf(randomUUID());
    await sut.createOrder({ outTradeNo, amountCents: 2_550, currency: 'NZD', subject: 'top-up', expiresAt: new Date(Date.now() + 60_000) });
    const sent = api.requests.at(-1)!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v3/global/transactions/native');
    expect(String(sent.headers.authorization)).toMatch(/^WECHATPAY2-SHA256-RSA2048 /);
    expect(JSON.parse(sent.body)).toMatchObject({
      mchid: api.mchid,
      appid: api.appid,
      out_trade_no: outTradeNo,
      trade_type: 'NATIVE',
      merchant_category_code: '8099',
      notify_url: 'https://api.example.nz/api/v1/payments/wechat/notify',
      amount: { total: 2_550, currency: 'NZD' },
    });
  });

  it('refuses an answer not signed by the platform key (EXTERNAL_SERVICE_ERROR, nothing trusted)', async () => {
    const outTradeNo = outTradeNoOf(randomUUID());
    await sut.createOrder({ outTradeNo, amountCents: 100, currency: 'NZD', subject: 's', expiresAt: new Date(Date.now() + 60_000) });
    await api.pay(outTradeNo);
    const wrong = new WechatPayQrGateway({ ...(sut as any).options, platformCert: generateRsaKeyPair().publicKey });
    // A forged "paid" answer must never be believed.
    await expect(wrong.queryOrder(outTradeNo)).rejects.toMatchObject({ key: 'EXTERNAL_SERVICE_ERROR' });
  });

  it('refuses a notice for another merchant even when signed and encrypted correctly', async () => {
    const outTradeNo = outTradeNoOf(randomUUID());
    await sut.createOrder({ outTradeNo, amountCents: 100, currency: 'NZD', subject: 's', expiresAt: new Date(Date.now() + 60_000) });
    const order = (await api.store.find(outTradeNo))!;
    const body = api.sim.noticeBody({ ...api.sim.transaction(order), mchid: '1999999999' });
    const ts = String(Formatter.timestamp());
    const nonce = Formatter.nonce();
    const headers = { 'wechatpay-timestamp': ts, 'wechatpay-nonce': nonce, 'wechatpay-serial': api.platformSerial, 'wechatpay-signature': Rsa.sign(Formatter.response(ts, nonce, body), api.platform.privateKey) };
    await expect(sut.verifyNotice({ body, headers })).rejects.toMatchObject({ key: 'UNAUTHENTICATED' });
  });
});
