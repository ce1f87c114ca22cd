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
import { generateRsaKeyPair } from '../src/adapters/outbound/qr/sandbox-keys';
import { WechatPayQrGateway } from '../src/adapters/outbound/qr/wechat-qr.gateway';
import { WechatSandboxGateway } from '../src/adapters/outbound/qr/wechat-sandbox.gateway';
import { AccountsPrismaService } from '../src/adapters/outbound/prisma/accounts-prisma.service';
import { outTradeNoOf } from '../src/domain/payment-session.entity';
import { MIGRATIONS_DIR } from './accounts-test-kit';
import { describePaymentGatewayContract } from './payment-gateway.contract';
import { AlipayApiStandIn, WechatApiStandIn, alipayForgeries, paidNotice, wechatForgeries } from './qr-provider.stand-ins';

describePaymentGatewayContract(`${AlipayQrGateway.name} (alipay-sdk ↔ gateway.do stand-in)`, { method: 'alipay', followUp: true }, async () => {
  const api = new AlipayApiStandIn();
  const gateway = new AlipayQrGateway({
    appId: api.appId,
    privateKey: api.app.privateKey,
    alipayPublicKey: api.alipay.publicKey,
    gatewayUrl: await api.start(),
    notifyUrl: 'https://api.example.nz/api/v1/payments/alipay/notify',
  });
  return { gateway, pay: (no, o) => api.pay(no, o), ...alipayForgeries(api.sim, api.store), close: () => api.close() };
});

describePaymentGatewayContract(`${WechatPayQrGateway.name} (wechatpay-axios-plugin ↔ API v3 stand-in)`, { method: 'wechat', followUp: true }, async () => {
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
  return { gateway, pay: (no, o) => api.pay(no, o), ...wechatForgeries(api.sim, api.store), close: () => api.close() };
});

/** A QR session's payment request: its order number is the reference and the idempotency key. */
function qrOrder(amountCents: number) {
  const reference = outTradeNoOf(randomUUID());
  return {
    reference,
    idempotencyKey: reference,
    amountCents,
    currency: 'NZD' as const,
    description: 'top-up',
    metadata: {},
    expiresAt: new Date(Date.now() + 60_000),
  };
}

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

  describePaymentGatewayContract(AlipaySandboxGateway.name, { method: 'alipay', followUp: true }, async () => {
    await ready;
    const g = sandboxes.alipay!;
    return { gateway: g, pay: (no, o) => paidNotice(g.sim, no, o), ...alipayForgeries(g.sim, g.store), close: async () => undefined };
  });

  describePaymentGatewayContract(WechatSandboxGateway.name, { method: 'wechat', followUp: true }, async () => {
    await ready;
    const g = sandboxes.wechat!;
    return { gateway: g, pay: (no, o) => paidNotice(g.sim, no, o), ...wechatForgeries(g.sim, g.store), close: async () => undefined };
  });

  it("answers the WeChat sandbox's calls only when the SDK signed them with the merchant key, and the SDK verifies every answer", async () => {
    await ready;
    const options = (sandboxes.wechat as any).options as ConstructorParameters<typeof WechatPayQrGateway>[0];
    await expect(new WechatPayQrGateway(options).createPayment(qrOrder(100))).resolves.toMatchObject({ action: { type: 'qr' } });
    // Signed with another merchant key: the simulated WeChat Pay refuses it (401 SIGN_ERROR).
    const otherMerchant = new WechatPayQrGateway({ ...options, privateKey: generateRsaKeyPair().privateKey });
    await expect(otherMerchant.createPayment(qrOrder(100))).rejects.toMatchObject({ key: 'PAYMENT_FAILED', details: { status: 401, code: 'SIGN_ERROR' } });
    // Answers signed with a platform key other than the one configured: the SDK believes none of them.
    const otherPlatform = new WechatPayQrGateway({ ...options, platformCert: generateRsaKeyPair().publicKey });
    await expect(otherPlatform.createPayment(qrOrder(100))).rejects.toMatchObject({ key: 'EXTERNAL_SERVICE_ERROR' });
  });

  it('keeps its locally generated keys across instances (replicas and restarts verify each other)', async () => {
    await ready;
    const again = await AlipaySandboxGateway.create(prisma, { deliver: async () => undefined, settleAfterMs: null });
    const order = qrOrder(700);
    await sandboxes.alipay!.createPayment(order);
    const paid = (await sandboxes.alipay!.sim.pay(order.reference))!;
    await expect(again.verifyNotice({ body: paid.body, headers: {} })).resolves.toMatchObject({ outcome: 'paid', amountCents: 700 });
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
    const order = qrOrder(2_550);
    const outTradeNo = order.reference;
    await sut.createPayment(order);
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
    await expect(sut.query(outTradeNoOf(randomUUID()))).rejects.toMatchObject({ key: 'EXTERNAL_SERVICE_ERROR' });
  });

  it('refuses an answer whose signature is not Alipay\'s (a man in the middle)', async () => {
    const liar = new AlipayQrGateway({ appId: api.appId, privateKey: api.app.privateKey, alipayPublicKey: generateRsaKeyPair().publicKey, gatewayUrl: (sut as any).options.gatewayUrl, notifyUrl: null });
    await expect(liar.createPayment(qrOrder(100))).rejects.toMatchObject({ key: 'EXTERNAL_SERVICE_ERROR' });
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
    const order = qrOrder(2_550);
    const outTradeNo = order.reference;
    await sut.createPayment(order);
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
    const order = qrOrder(100);
    const outTradeNo = order.reference;
    await sut.createPayment(order);
    await api.pay(outTradeNo);
    const wrong = new WechatPayQrGateway({ ...(sut as any).options, platformCert: generateRsaKeyPair().publicKey });
    // A forged "paid" answer must never be believed.
    await expect(wrong.query(outTradeNo)).rejects.toMatchObject({ key: 'EXTERNAL_SERVICE_ERROR' });
  });

  it('refuses a notice for another merchant even when signed and encrypted correctly', async () => {
    const request = qrOrder(100);
    const outTradeNo = request.reference;
    await sut.createPayment(request);
    const order = (await api.store.find(outTradeNo))!;
    const body = api.sim.noticeBody({ ...api.sim.transaction(order), mchid: '1999999999' });
    const ts = String(Formatter.timestamp());
    const nonce = Formatter.nonce();
    const headers = { 'wechatpay-timestamp': ts, 'wechatpay-nonce': nonce, 'wechatpay-serial': api.platformSerial, 'wechatpay-signature': Rsa.sign(Formatter.response(ts, nonce, body), api.platform.privateKey) };
    await expect(sut.verifyNotice({ body, headers })).rejects.toMatchObject({ key: 'UNAUTHENTICATED' });
  });
});
