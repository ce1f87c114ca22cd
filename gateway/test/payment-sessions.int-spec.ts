/**
 * Scan-to-pay through the real gateway and the REAL accounts service (in-process over RabbitMQ, its
 * own database and vhost), with both embedded sandboxes settling through the gateway's own notice
 * routes over HTTP (PAYMENTS_NOTIFY_BASE_URL = this gateway): a clinic member creates an Alipay and a
 * WeChat Pay QR, polls the session until the sandbox paid it, and the balance is up by exactly the
 * amount. Forged notices are 400 and credit nothing; scope, roles and Idempotency-Key are enforced.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { INestMicroservice } from '@nestjs/common';
import { type AuthenticatedPrincipal, IDENTITY_RPC } from '@prescriptchain/contracts';
import { AmqpRpcClient } from '@prescriptchain/messaging';
import request from 'supertest';
// The real accounts service, started in-process (a test-only dependency on another project).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { type AccountsKit, createAccountsKit, quiet, startAccountsService } from '../../services/accounts/test/accounts-test-kit';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { AlipaySim } from '../../services/accounts/src/adapters/outbound/qr/alipay-sim';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { MemorySimOrderStore } from '../../services/accounts/src/adapters/outbound/qr/sim-order.store';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { generateRsaKeyPair } from '../../services/accounts/src/adapters/outbound/qr/sandbox-keys';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { ALIPAY_SANDBOX_APP_ID } from '../../services/accounts/src/adapters/outbound/qr/alipay-sandbox.gateway';
import { AmqpBackendRpc } from '../src/adapters/amqp-backend-rpc';
import { GatewayMetrics } from '../src/operations/gateway-metrics';
import { BackendRpc, type RpcCallOptions } from '../src/ports/backend-rpc';
import { FakeBackendRpc } from './support/fake-backend-rpc';
import { fakePrincipals, principal } from './support/fake-principals';
import { createTestApp, type TestApp } from './support/test-app';

const PRINCIPALS: Record<string, AuthenticatedPrincipal> = {
  'admin-token': principal('admin'),
  'outsider-token': principal('practitioner', { clinicIds: [randomUUID()] }),
  'operator-token': principal('pharmacy_operator', { pharmacyId: randomUUID() }),
};
const { authenticate, as } = fakePrincipals(PRINCIPALS);

/** Identity faked (authentication is the matrix's business), everything else to the real services. */
class FakeIdentityRealRest extends BackendRpc {
  constructor(
    private readonly identity: FakeBackendRpc,
    private readonly rest: BackendRpc,
  ) {
    super();
  }
  call<T>(pattern: string, data: unknown, opts?: RpcCallOptions): Promise<T> {
    return pattern.startsWith('identity.') ? this.identity.call(pattern, data, opts) : this.rest.call(pattern, data, opts);
  }
  isConnected(): boolean {
    return this.rest.isConnected();
  }
  close(): Promise<void> {
    return this.rest.close();
  }
}

describe('scan-to-pay through the gateway (the real accounts service, sandboxes settling over HTTP)', () => {
  let kit: AccountsKit;
  let accounts: INestMicroservice;
  let t: TestApp<FakeIdentityRealRest>;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    kit = await createAccountsKit('gw_qr');
    const client = new AmqpRpcClient({ url: kit.vhost.url, name: 'gateway-qr', logger: quiet });
    await client.connect();
    const identity = new FakeBackendRpc();
    identity.replies.set(IDENTITY_RPC.authenticate, authenticate);
    t = await createTestApp({ rpc: new FakeIdentityRealRest(identity, new AmqpBackendRpc(client, new GatewayMetrics(), 10_000)) });
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    accounts = await startAccountsService(kit, {}, { notifyBaseUrl: `http://127.0.0.1:${port}/api/v1`, sandboxSettleMs: 50 });
  }, 60_000);
  afterAll(async () => {
    await accounts?.close();
    await t?.app.close();
    await kit?.close();
  });

  async function memberClinic() {
    const clinicId = await kit.account();
    const member = `member-of-${clinicId}`;
    PRINCIPALS[member] = principal('practitioner', { clinicIds: [clinicId] });
    return { clinicId, member };
  }

  const createQr = (clinicId: string, who: string, body: object, key: string | null = randomUUID()) => {
    const req = http().post(`/api/v1/clinic-accounts/${clinicId}/recharge-qr`).set(as(who));
    return (key ? req.set('Idempotency-Key', key) : req).send(body);
  };

  /** Polls the session as a portal would, until it is no longer pending (bounded). */
  async function settled(sessionId: string, who: string) {
    for (let i = 0; i < 200; i++) {
      const res = await http().get(`/api/v1/payment-sessions/${sessionId}`).set(as(who));
      if (res.body.data?.status !== 'pending') return res;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`session ${sessionId} still pending`);
  }

  for (const method of ['alipay', 'wechat'] as const) {
    it(`a clinic member's ${method} QR is paid by the sandbox through POST /payments/${method}/notify; the balance is up by exactly the amount`, async () => {
      const { clinicId, member } = await memberClinic();
      const key = randomUUID();
      const res = await createQr(clinicId, member, { amount: '123.45', method }, key);
      expect(res.status).toBe(201);
      expect(res.body.data).toEqual({
        sessionId: expect.any(String),
        method,
        amount: '123.45',
        currency: 'NZD',
        qrContent: expect.stringMatching(method === 'alipay' ? /^https:\/\/qr\.alipay\.com\// : /^weixin:\/\/wxpay\/bizpayurl\?pr=/),
        qrPngUrl: `/api/v1/payment-sessions/${res.body.data.sessionId}/qr.png`,
        expiresAt: expect.any(String),
        status: 'pending',
      });
      const again = await createQr(clinicId, member, { amount: '123.45', method }, key);
      expect([again.status, again.body.data]).toEqual([201, res.body.data]);

      const png = await http().get(res.body.data.qrPngUrl).set(as(member));
      expect(png.status).toBe(200);
      expect(png.headers['content-type']).toBe('image/png');
      expect(png.body.subarray(1, 4).toString()).toBe('PNG');

      const done = await settled(res.body.data.sessionId, member);
      expect(done.body.data).toMatchObject({ sessionId: res.body.data.sessionId, clinicId, method, amount: '123.45', currency: 'NZD', status: 'paid', paidAt: expect.any(String) });
      const account = await http().get(`/api/v1/clinic-accounts/${clinicId}`).set(as(member));
      expect(account.body.data.balance).toBe('123.45');
      expect(await kit.books(clinicId)).toMatchObject({ balanceCents: 12_345, ledgerSumCents: 12_345, entries: 1 });
      const [delivered] = await kit.sql(`SELECT count(*)::int AS n FROM payment_notice WHERE session_id = $1 AND source = 'notice' AND outcome = 'credited'`, [res.body.data.sessionId]);
      expect(delivered.n).toBe(1);
    });
  }

  it('refuses forged Alipay notices with 400 and credits nothing: another key, another amount', async () => {
    const { clinicId, member } = await memberClinic();
    // No auto-settlement for this one: the session stays pending while forgeries arrive.
    await accounts.close();
    accounts = await startAccountsService(kit, {}, { sandboxSettleMs: null });
    const res = await createQr(clinicId, member, { amount: '50.00', method: 'alipay' });
    const outTradeNo = String(res.body.data.sessionId).replace(/-/g, '');
    const order = { outTradeNo, tradeNo: '2026forged', amountCents: 5_000, currency: 'NZD', paidAt: new Date(), createdAt: new Date() };

    const stranger = new AlipaySim({ appId: ALIPAY_SANDBOX_APP_ID, alipayPrivateKey: generateRsaKeyPair().privateKey, store: new MemorySimOrderStore() });
    const forged = await http().post('/api/v1/payments/alipay/notify').type('form').send(stranger.notice(order).toString());
    expect([forged.status, forged.body.error?.code]).toEqual([400, 'MALFORMED_REQUEST']);

    // Signed with the sandbox's own "Alipay" key, but for 10 cents more.
    const [key] = await kit.sql<{ private_key: string }>(`SELECT private_key FROM sandbox_provider_key WHERE name = 'alipay-platform'`);
    const insider = new AlipaySim({ appId: ALIPAY_SANDBOX_APP_ID, alipayPrivateKey: key.private_key, store: new MemorySimOrderStore() });
    const more = await http().post('/api/v1/payments/alipay/notify').type('form').send(insider.notice({ ...order, amountCents: 5_010 }).toString());
    expect([more.status, more.body.error?.code]).toEqual([400, 'MALFORMED_REQUEST']);
    const unknown = await http().post('/api/v1/payments/alipay/notify').type('form').send(insider.notice({ ...order, outTradeNo: randomUUID().replace(/-/g, '') }).toString());
    expect(unknown.status).toBe(400);

    // The genuine one is `success` (text), and only once does it move money.
    const genuine = insider.notice(order).toString();
    const ok = await http().post('/api/v1/payments/alipay/notify').type('form').send(genuine);
    expect([ok.status, ok.headers['content-type'], ok.text]).toEqual([200, 'text/plain; charset=utf-8', 'success']);
    const replay = await http().post('/api/v1/payments/alipay/notify').type('form').send(genuine);
    expect([replay.status, replay.text]).toEqual([200, 'success']);
    expect(await kit.books(clinicId)).toMatchObject({ balanceCents: 5_000, entries: 1 });
  });

  it('refuses a WeChat Pay notice without valid signed headers with 400', async () => {
    const res = await http().post('/api/v1/payments/wechat/notify').set('Content-Type', 'application/json').set('Wechatpay-Timestamp', String(Math.floor(Date.now() / 1000))).set('Wechatpay-Nonce', 'abc').set('Wechatpay-Serial', 'PUB_KEY_ID_SANDBOX').set('Wechatpay-Signature', 'Zm9yZ2Vk').send('{"id":"x","event_type":"TRANSACTION.SUCCESS","resource":{}}');
    expect([res.status, res.body.error?.code]).toEqual([400, 'MALFORMED_REQUEST']);
  });

  it('lets only members of the clinic and admins see or cancel a session; others get 404, pharmacy operators 403', async () => {
    const { clinicId, member } = await memberClinic();
    const res = await createQr(clinicId, member, { amount: '10.00', method: 'wechat' });
    const path = `/api/v1/payment-sessions/${res.body.data.sessionId}`;
    expect((await http().get(path).set(as('admin-token'))).status).toBe(200);
    expect((await http().get(path).set(as('outsider-token'))).status).toBe(404);
    expect((await http().get(`${path}/qr.png`).set(as('outsider-token'))).status).toBe(404);
    expect((await http().post(`${path}/cancel`).set(as('outsider-token'))).status).toBe(404);
    expect((await http().get(path).set(as('operator-token'))).status).toBe(403);
    expect((await http().get(path)).status).toBe(401);
    const cancelled = await http().post(`${path}/cancel`).set(as(member));
    expect([cancelled.status, cancelled.body.data.status]).toEqual([200, 'cancelled']);
    expect((await createQr(clinicId, 'outsider-token', { amount: '10.00', method: 'alipay' })).status).toBe(404);
    expect((await createQr(clinicId, 'admin-token', { amount: '10.00', method: 'alipay' })).status).toBe(403);
  });

  it('validates the request: Idempotency-Key required, a known method, a positive amount in NZD format', async () => {
    const { clinicId, member } = await memberClinic();
    expect((await createQr(clinicId, member, { amount: '10.00', method: 'alipay' }, null)).status).toBe(422);
    const bad = await createQr(clinicId, member, { amount: '10.001', method: 'paypal' });
    expect([bad.status, bad.body.error.code]).toEqual([422, 'VALIDATION_FAILED']);
    expect((await http().get(`/api/v1/payment-sessions/${randomUUID()}`).set(as(member))).status).toBe(404);
  });
});
