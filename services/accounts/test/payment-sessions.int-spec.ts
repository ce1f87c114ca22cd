/**
 * Scan-to-pay sessions end to end inside accounts, for both methods, on a throw-away database with
 * the embedded sandboxes (the same adapters as Alipay's and WeChat's, with locally generated keys):
 * one credit per session through the ledger whatever arrives how often; forged notices credit
 * nothing; reconciliation racing a notice credits once; a payment after cancel is refunded.
 */
import { randomUUID } from 'node:crypto';
import { AlipaySandboxGateway } from '../src/adapters/outbound/qr/alipay-sandbox.gateway';
import { generateRsaKeyPair } from '../src/adapters/outbound/qr/sandbox-keys';
import { AlipaySim } from '../src/adapters/outbound/qr/alipay-sim';
import { WechatSandboxGateway } from '../src/adapters/outbound/qr/wechat-sandbox.gateway';
import { WechatSim } from '../src/adapters/outbound/qr/wechat-sim';
import { ApplyProviderPayment } from '../src/application/payment-sessions/apply-provider-payment';
import {
  CancelPaymentSessionHandler,
  CreateQrSessionHandler,
  GetPaymentSessionHandler,
  HandleQrNoticeHandler,
  ReconcilePaymentSessionsHandler,
} from '../src/application/payment-sessions/payment-sessions.handlers';
import { StaticPaymentGateways, type RawNotice } from '../src/application/ports/payment-gateway';
import type { QrMethod } from '../src/domain/payment-session.entity';
import { type AccountsKit, createAccountsKit, asAdmin, asMember } from './accounts-test-kit';

const ACTOR = '11111111-2222-4333-8444-555555555555';

describe('scan-to-pay payment sessions', () => {
  let kit: AccountsKit;
  let alipay: AlipaySandboxGateway;
  let wechat: WechatSandboxGateway;
  let create: CreateQrSessionHandler;
  let get: GetPaymentSessionHandler;
  let cancel: CancelPaymentSessionHandler;
  let notice: HandleQrNoticeHandler;
  let reconcile: ReconcilePaymentSessionsHandler;
  const settings = { ttlMinutes: 15, reconcileAfterMs: 0 };

  beforeAll(async () => {
    kit = await createAccountsKit('payment-sessions');
    const deliver = async (method: QrMethod, n: RawNotice) => {
      await notice.execute({ method, ...n });
    };
    alipay = await AlipaySandboxGateway.create(kit.prisma, { deliver, settleAfterMs: null });
    wechat = await WechatSandboxGateway.create(kit.prisma, { deliver, settleAfterMs: null });
    const gateways = new StaticPaymentGateways([alipay, wechat]);
    const apply = new ApplyProviderPayment(kit.store, gateways);
    reconcile = new ReconcilePaymentSessionsHandler(kit.store, gateways, apply, settings);
    create = new CreateQrSessionHandler(kit.store, gateways, settings);
    get = new GetPaymentSessionHandler(kit.store);
    cancel = new CancelPaymentSessionHandler(kit.store, gateways, reconcile);
    notice = new HandleQrNoticeHandler(gateways, apply, kit.store);
  });
  afterAll(async () => {
    await kit?.close();
  });

  const sims = () => ({ alipay: alipay.sim, wechat: wechat.sim });
  /** The payer pays at the provider; the signed notice it would POST (not yet delivered). */
  const payAtProvider = async (method: QrMethod, outTradeNo: string, force = false): Promise<RawNotice> => {
    const paid = await sims()[method].pay(outTradeNo, { force });
    if (!paid) throw new Error('not payable');
    return { body: paid.body, headers: paid.headers };
  };
  const outTradeNo = (sessionId: string) => sessionId.replace(/-/g, '');
  const keyOf = async (p: Promise<unknown>) => p.then(() => 'ok', (e) => (e as { key?: string }).key ?? String(e));
  const audit = (sessionId: string) =>
    kit.sql<{ outcome: string; source: string }>(`SELECT outcome, source FROM payment_notice WHERE session_id = $1 ORDER BY id`, [sessionId]);

  for (const method of ['alipay', 'wechat'] as const) {
    describe(method, () => {
      it('opens a pending session for NZD cents with a QR of the provider, expiring after the TTL; the same key answers it again', async () => {
        const clinicId = await kit.account();
        const before = Date.now();
        const input = { clinicId, amountCents: 10_050, method, idempotencyKey: randomUUID(), caller: asMember(clinicId, ACTOR) };
        const s = await create.execute(input);
        expect(s).toMatchObject({ clinicId, method, amountCents: 10_050, currency: 'NZD', status: 'pending', paidAt: null });
        expect(s.qrContent).toMatch(method === 'alipay' ? /^https:\/\/qr\.alipay\.com\// : /^weixin:\/\/wxpay\/bizpayurl\?pr=/);
        const ttl = new Date(s.expiresAt).getTime() - before;
        expect(ttl).toBeGreaterThan(15 * 60_000 - 5_000);
        expect(ttl).toBeLessThanOrEqual(15 * 60_000 + 5_000);
        expect(await create.execute(input)).toEqual(s);
        expect(await keyOf(create.execute({ ...input, amountCents: 10_051 }))).toBe('IDEMPOTENCY_KEY_REUSED');
        const png = await get.png({ caller: asAdmin(), sessionId: s.sessionId });
        expect(Buffer.from(png.base64, 'base64').subarray(1, 4).toString()).toBe('PNG');
      });

      it('credits the account by exactly the amount when the signed notice arrives, once, through the ledger', async () => {
        const clinicId = await kit.account({ balanceCents: 1_000 });
        const s = await create.execute({ clinicId, amountCents: 2_345, method, idempotencyKey: randomUUID(), caller: asMember(clinicId, ACTOR) });
        const n = await payAtProvider(method, outTradeNo(s.sessionId));
        expect(await notice.execute({ method, ...n })).toEqual({ outcome: 'credited' });
        expect(await notice.execute({ method, ...n })).toEqual({ outcome: 'duplicate' }); // a replay
        const books = await kit.books(clinicId);
        expect(books.balanceCents).toBe(3_345);
        expect(books.ledgerSumCents).toBe(books.balanceCents);
        const ledger = await kit.sql(`SELECT type, amount::text, reference, actor_id FROM ledger_entry WHERE reference = $1`, [`qr:${s.sessionId}`]);
        expect(ledger).toEqual([{ type: 'topup', amount: '23.45', reference: `qr:${s.sessionId}`, actor_id: ACTOR }]);
        expect((await get.execute({ caller: asAdmin(), sessionId: s.sessionId })).status).toBe('paid');
        const events = (await kit.published('accounts.topup.completed')).filter((e) => e.payload.paymentSessionId === s.sessionId);
        expect(events.map((e) => e.payload)).toEqual([
          { clinicId, amountCents: 2_345, paymentIntentId: expect.any(String), method, paymentSessionId: s.sessionId },
        ]);
        expect((await audit(s.sessionId)).map((a) => a.outcome)).toEqual(['credited', 'duplicate']);
      });

      it('credits nothing for forged notices: a bad signature, another amount, an unknown session', async () => {
        const clinicId = await kit.account();
        const s = await create.execute({ clinicId, amountCents: 5_000, method, idempotencyKey: randomUUID(), caller: asMember(clinicId, ACTOR) });
        const order = (await (sims()[method] as any).options.store.find(outTradeNo(s.sessionId)))!;
        const opts = (sims()[method] as any).options;

        // Signed with a key that is not the provider's.
        const forger =
          method === 'alipay'
            ? new AlipaySim({ appId: opts.appId, alipayPrivateKey: generateRsaKeyPair().privateKey, store: opts.store })
            : new WechatSim({ ...opts, platformPrivateKey: generateRsaKeyPair().privateKey });
        const forgedNotice = (sim: AlipaySim | WechatSim, o: typeof order): RawNotice => {
          if (sim instanceof AlipaySim) return { body: sim.notice(o).toString(), headers: {} };
          const body = sim.noticeBody(sim.transaction({ ...o, status: 'TRADE_SUCCESS', paidAt: new Date() }));
          return { body, headers: sim.signedHeaders(body) };
        };
        expect(await keyOf(notice.execute({ method, ...forgedNotice(forger, order) }))).toBe('UNAUTHENTICATED');

        // Correctly signed by the provider, but for 1 cent more than the session.
        const genuine = sims()[method];
        expect(await keyOf(notice.execute({ method, ...forgedNotice(genuine, { ...order, amountCents: 5_001 }) }))).toBe('VALIDATION_FAILED');
        // … or in another currency.
        expect(await keyOf(notice.execute({ method, ...forgedNotice(genuine, { ...order, currency: 'CNY' }) }))).toBe('VALIDATION_FAILED');
        // Correctly signed, for an order number no session has.
        expect(await keyOf(notice.execute({ method, ...forgedNotice(genuine, { ...order, outTradeNo: outTradeNo(randomUUID()) }) }))).toBe('VALIDATION_FAILED');

        expect((await kit.books(clinicId)).balanceCents).toBe(0);
        expect((await get.execute({ caller: asAdmin(), sessionId: s.sessionId })).status).toBe('pending');
        expect((await audit(s.sessionId)).map((a) => a.outcome)).toEqual(['refused_amount', 'refused_amount']);
        const [unknown] = await kit.sql(`SELECT count(*)::int AS n FROM payment_notice WHERE outcome = 'refused_unknown' AND method = $1`, [method]);
        expect(unknown.n).toBeGreaterThanOrEqual(1);
      });

      it('credits once when the same notice is delivered five times at once', async () => {
        const clinicId = await kit.account();
        const s = await create.execute({ clinicId, amountCents: 7_700, method, idempotencyKey: randomUUID(), caller: asMember(clinicId, ACTOR) });
        const n = await payAtProvider(method, outTradeNo(s.sessionId));
        const outcomes = await Promise.all(Array.from({ length: 5 }, () => notice.execute({ method, ...n })));
        expect(outcomes.map((o) => o.outcome).sort()).toEqual(['credited', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
        const books = await kit.books(clinicId);
        expect(books).toMatchObject({ balanceCents: 7_700, ledgerSumCents: 7_700, entries: 1 });
      });

      it('credits once when the reconciliation job races the notice', async () => {
        const clinicId = await kit.account();
        const s = await create.execute({ clinicId, amountCents: 4_200, method, idempotencyKey: randomUUID(), caller: asMember(clinicId, ACTOR) });
        const n = await payAtProvider(method, outTradeNo(s.sessionId));
        await Promise.all([notice.execute({ method, ...n }), reconcile.runOnce(), notice.execute({ method, ...n }), reconcile.session(s.sessionId, 'reconcile')]);
        expect(await kit.books(clinicId)).toMatchObject({ balanceCents: 4_200, entries: 1 });
        expect((await audit(s.sessionId)).filter((a) => a.outcome === 'credited')).toHaveLength(1);
      });

      it('reconciles a payment whose notice never came, and expires an unpaid session past its expiry (closing the order)', async () => {
        const clinicId = await kit.account();
        const paid = await create.execute({ clinicId, amountCents: 1_500, method, idempotencyKey: randomUUID(), caller: asMember(clinicId, ACTOR) });
        await payAtProvider(method, outTradeNo(paid.sessionId)); // the notice is lost
        const unpaid = await create.execute({ clinicId, amountCents: 900, method, idempotencyKey: randomUUID(), caller: asMember(clinicId, ACTOR) });
        await kit.sql(`UPDATE payment_session SET expires_at = now() - interval '1 minute' WHERE id = $1`, [unpaid.sessionId]);
        await kit.sql(`UPDATE payment_session SET next_check_at = now() - interval '1 second' WHERE id = ANY($1::uuid[])`, [[paid.sessionId, unpaid.sessionId]]);

        while ((await reconcile.runOnce({ limit: 100 })) > 0);

        expect((await get.execute({ caller: asAdmin(), sessionId: paid.sessionId })).status).toBe('paid');
        expect((await get.execute({ caller: asAdmin(), sessionId: unpaid.sessionId })).status).toBe('expired');
        expect(await kit.books(clinicId)).toMatchObject({ balanceCents: 1_500, entries: 1 });
        expect(await alipayOrWechat(method).query(outTradeNo(unpaid.sessionId))).toEqual({ state: 'closed' });
        expect((await audit(paid.sessionId)).map((a) => [a.source, a.outcome])).toEqual([['reconcile', 'credited']]);
        expect((await audit(unpaid.sessionId)).map((a) => [a.source, a.outcome])).toEqual([['reconcile', 'expired']]);
      });

      it('cancel, then a late payment: refunded through the provider, never credited, and on record', async () => {
        const clinicId = await kit.account();
        const s = await create.execute({ clinicId, amountCents: 3_300, method, idempotencyKey: randomUUID(), caller: asMember(clinicId, ACTOR) });
        expect((await cancel.execute({ caller: asMember(clinicId, ACTOR), sessionId: s.sessionId })).status).toBe('cancelled');
        expect(await alipayOrWechat(method).query(outTradeNo(s.sessionId))).toEqual({ state: 'closed' });
        expect((await cancel.execute({ caller: asMember(clinicId, ACTOR), sessionId: s.sessionId })).status).toBe('cancelled'); // again: same answer

        // The payer's payment went through at the provider just as it closed.
        const late = await payAtProvider(method, outTradeNo(s.sessionId), true);
        expect(await notice.execute({ method, ...late })).toEqual({ outcome: 'refunded' });
        expect(await notice.execute({ method, ...late })).toEqual({ outcome: 'duplicate' });

        expect(await kit.books(clinicId)).toMatchObject({ balanceCents: 0, entries: 0 });
        const order = await (sims()[method] as any).options.store.find(outTradeNo(s.sessionId));
        expect(order.refundedCents).toBe(3_300);
        const [row] = await kit.sql(`SELECT status, refund_status, refund_amount::text FROM payment_session WHERE id = $1`, [s.sessionId]);
        expect(row).toEqual({ status: 'cancelled', refund_status: 'refunded', refund_amount: '33.00' });
        expect((await audit(s.sessionId)).map((a) => a.outcome)).toEqual(['cancelled', 'refund_pending', 'refunded', 'duplicate']);
      });

      it('a cancel that loses the race to a payment credits it instead (409 PAYMENT_ALREADY_PROCESSED)', async () => {
        const clinicId = await kit.account();
        const s = await create.execute({ clinicId, amountCents: 600, method, idempotencyKey: randomUUID(), caller: asMember(clinicId, ACTOR) });
        await payAtProvider(method, outTradeNo(s.sessionId)); // paid, notice not yet arrived
        expect(await keyOf(cancel.execute({ caller: asMember(clinicId, ACTOR), sessionId: s.sessionId }))).toBe('PAYMENT_ALREADY_PROCESSED');
        expect((await get.execute({ caller: asAdmin(), sessionId: s.sessionId })).status).toBe('paid');
        expect(await kit.books(clinicId)).toMatchObject({ balanceCents: 600, entries: 1 });
      });
    });
  }

  const alipayOrWechat = (m: QrMethod) => (m === 'alipay' ? alipay : wechat);

  it('two replicas reconciling at once share the sessions (SKIP LOCKED): each is asked about and credited once', async () => {
    const clinicId = await kit.account();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const method = i % 2 ? 'alipay' : 'wechat';
      const s = await create.execute({ clinicId, amountCents: 100 + i, method, idempotencyKey: randomUUID(), caller: asMember(clinicId, ACTOR) });
      await payAtProvider(method, outTradeNo(s.sessionId)); // every notice lost
      ids.push(s.sessionId);
    }
    await kit.sql(`UPDATE payment_session SET next_check_at = now() - interval '1 second' WHERE id = ANY($1::uuid[])`, [ids]);
    const replicaB = new ReconcilePaymentSessionsHandler(kit.store, new StaticPaymentGateways([alipay, wechat]), new ApplyProviderPayment(kit.store, new StaticPaymentGateways([alipay, wechat])), settings);
    const [a, b] = await Promise.all([reconcile.runOnce({ limit: 100 }), replicaB.runOnce({ limit: 100 })]);
    expect(a + b).toBeGreaterThanOrEqual(12); // all claimed, none twice in one pass
    const credited = await kit.sql<{ n: number }>(`SELECT count(*)::int AS n FROM payment_notice WHERE session_id = ANY($1::uuid[]) AND outcome = 'credited'`, [ids]);
    expect(credited[0].n).toBe(12);
    expect(await kit.books(clinicId)).toMatchObject({ balanceCents: 12 * 100 + 66, entries: 12 });
  });

  it('a payment arriving after the session expired is refunded, not credited', async () => {
    const clinicId = await kit.account();
    const s = await create.execute({ clinicId, amountCents: 2_000, method: 'alipay', idempotencyKey: randomUUID(), caller: asMember(clinicId, ACTOR) });
    await kit.sql(`UPDATE payment_session SET expires_at = now() - interval '1 minute', next_check_at = now() - interval '1 second' WHERE id = $1`, [s.sessionId]);
    await reconcile.session(s.sessionId, 'reconcile');
    expect((await get.execute({ caller: asAdmin(), sessionId: s.sessionId })).status).toBe('expired');
    const late = await payAtProvider('alipay', outTradeNo(s.sessionId), true);
    expect(await notice.execute({ method: 'alipay', ...late })).toEqual({ outcome: 'refunded' });
    expect(await kit.books(clinicId)).toMatchObject({ balanceCents: 0, entries: 0 });
    expect((await audit(s.sessionId)).map((x) => x.outcome)).toEqual(['expired', 'refund_pending', 'refunded']);
  });

  it('a refund the provider could not take at once stays pending and the reconciliation job completes it', async () => {
    const clinicId = await kit.account();
    const s = await create.execute({ clinicId, amountCents: 900, method: 'wechat', idempotencyKey: randomUUID(), caller: asMember(clinicId, ACTOR) });
    await cancel.execute({ caller: asMember(clinicId, ACTOR), sessionId: s.sessionId });
    const late = await payAtProvider('wechat', outTradeNo(s.sessionId), true);
    const realRefund = wechat.refund.bind(wechat);
    wechat.refund = async () => {
      throw new Error('provider down');
    };
    try {
      expect(await notice.execute({ method: 'wechat', ...late })).toEqual({ outcome: 'refund_pending' });
    } finally {
      wechat.refund = realRefund;
    }
    await kit.sql(`UPDATE payment_session SET next_check_at = now() - interval '1 second' WHERE id = $1`, [s.sessionId]);
    while ((await reconcile.runOnce({ limit: 100 })) > 0);
    const [row] = await kit.sql(`SELECT status, refund_status FROM payment_session WHERE id = $1`, [s.sessionId]);
    expect(row).toEqual({ status: 'cancelled', refund_status: 'refunded' });
    expect(await kit.books(clinicId)).toMatchObject({ balanceCents: 0, entries: 0 });
  });

  it('the sandbox settles by itself through the notice path after the settle delay', async () => {
    const deliveries: QrMethod[] = [];
    const auto = await AlipaySandboxGateway.create(kit.prisma, {
      deliver: async (m, n) => {
        deliveries.push(m);
        await notice.execute({ method: m, ...n });
      },
      settleAfterMs: 20,
    });
    const gateways = new StaticPaymentGateways([auto, wechat]);
    const autoCreate = new CreateQrSessionHandler(kit.store, gateways, settings);
    const clinicId = await kit.account();
    const s = await autoCreate.execute({ clinicId, amountCents: 1_234, method: 'alipay', idempotencyKey: randomUUID(), caller: asMember(clinicId, ACTOR) });
    await auto.settler.idle();
    expect(deliveries).toEqual(['alipay']);
    expect((await get.execute({ caller: asAdmin(), sessionId: s.sessionId })).status).toBe('paid');
    expect((await kit.books(clinicId)).balanceCents).toBe(1_234);
  });
});
