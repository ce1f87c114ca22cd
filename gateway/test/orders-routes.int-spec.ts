/**
 * The order, credential and KPI routes through the real gateway (in-process) against a fake orders
 * (FakeBackendRpc), with the order outcome events on a REAL RabbitMQ vhost: what the gateway sends
 * (caller scope, Idempotency-Key with a canonical request hash), how it formats answers ("12.34" +
 * NZD), and how it answers the payment step — 201 paid, 402 refused, 202 still pending after
 * ORDER_WAIT_MS — whether the outcome event comes before or after the gateway starts listening, and
 * how few times it asks orders for it: the create (or submit, retry) and, for a payment, one read
 * for the credential; a refusal is answered from its event alone.
 */
import { randomUUID } from 'node:crypto';
import {
  type AuthenticatedPrincipal,
  CodedError,
  EXCHANGES,
  IDENTITY_RPC,
  ORDERS_REPORTS_RPC,
  ORDERS_RPC,
  OrderPaidV1,
  OrderPaymentFailedV1,
  type OrderKpis,
  type OrderStatusName,
  type OrderView,
} from '@prescriptchain/contracts';
import * as amqplib from 'amqplib';
import request from 'supertest';
import { createTestVhost, eventually, type TestVhost } from '../../test/support/infra';
import { GatewayConfig } from '../src/gateway.config';
import { OrderOutcomeWaiter } from '../src/orders/order-outcome.waiter';
import { fakePrincipals, principal } from './support/fake-principals';
import { outcomeEnvelope } from './support/outcome-events';
import { createTestApp, type TestApp } from './support/test-app';

jest.setTimeout(30_000);

const ORDER_WAIT_MS = 1_500;
const NOW = '2026-11-22T01:02:03.456Z';
const CLINIC = '5b0c8f3e-3d5a-4c47-9a1e-2f6b7c8d9e01';
const PHARMACY = '7d2e0b5a-5f7c-4e69-9c3a-4b8d9e0f1a23';
const DANGGUI = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const BAISHAO = '1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e';

const PRINCIPALS: Record<string, AuthenticatedPrincipal> = {
  'member-token': principal('practitioner', { clinicIds: [CLINIC] }),
  'admin-token': principal('admin'),
  'operator-token': principal('pharmacy_operator', { pharmacyId: PHARMACY }),
};
const { authenticate, as } = fakePrincipals(PRINCIPALS);
const member = PRINCIPALS['member-token'];

/** An order as orders answers it (cents; the owner sees the QR token). */
function orderView(status: OrderStatusName, over: Partial<OrderView> = {}): OrderView {
  const paid = ['PAID', 'PENDING_REVIEW', 'FULFILLED'].includes(status);
  return {
    id: randomUUID(),
    platformOrderId: paid ? 'PC-7K3M-9QX2-H' : null,
    status,
    clinicId: CLINIC,
    practitionerId: member.userId,
    patientInfo: { name: 'Mere Tane', phone: '+64 21 555 0101', pregnant: false },
    items: [
      {
        medicineId: DANGGUI,
        name: '当归',
        pinyin: 'dāng guī',
        englishName: 'Chinese Angelica Root',
        unit: 'g',
        quantity: '10.25',
        processing: null,
        decoctionMethod: '后下',
        dosageInstructions: null,
        unitPriceCents: 14,
        totalPriceCents: 1_005,
      },
    ],
    packs: 7,
    notes: 'Avoid cold drinks',
    totalCents: 1_005,
    currency: 'NZD',
    paymentFailureReason: null,
    safetyOverride: null,
    credential: paid
      ? { platformOrderId: 'PC-7K3M-9QX2-H', expiresAt: NOW, qrCodeData: 'eyJhbGciOiJFZERTQSJ9.e30.sig' }
      : null,
    assignedPharmacyId: null,
    holdExpiresAt: null,
    payoutCents: null,
    history: [
      { from: null, to: 'DRAFT', at: NOW, by: member.userId, reason: null },
      ...(status === 'DRAFT'
        ? []
        : [
            {
              from: 'DRAFT' as const,
              to: 'PENDING_PAYMENT' as const,
              at: NOW,
              by: member.userId,
              reason: null,
            },
          ]),
    ],
    createdAt: NOW,
    updatedAt: NOW,
    ...over,
  };
}

/** An order refused once and sent to payment again: its second attempt is PENDING_PAYMENT. */
function retried(): OrderView {
  const order = orderView('PENDING_PAYMENT');
  const at = NOW;
  order.history.push(
    { from: 'PENDING_PAYMENT', to: 'PAYMENT_FAILED', at, by: 'accounts', reason: 'INSUFFICIENT_FUNDS' },
    { from: 'PAYMENT_FAILED', to: 'PENDING_PAYMENT', at, by: member.userId, reason: 'payment retried' },
  );
  return order;
}

const newOrder = (over: Record<string, unknown> = {}) => ({
  clinicId: CLINIC,
  patientInfo: { name: 'Mere Tane', phone: '+64 21 555 0101' },
  items: [
    { medicineId: DANGGUI, quantity: '10.25', decoctionMethod: 'hou xia' },
    { medicineId: BAISHAO, quantity: 9 },
  ],
  packs: 7,
  ...over,
});

describe('order routes (fake orders, real outcome events)', () => {
  let t: TestApp;
  let vhost: TestVhost;
  let broker: amqplib.ChannelModel;
  let events: amqplib.Channel;
  const http = () => request(t.app.getHttpServer());
  const sent = (pattern: string) => t.rpc.calls.filter((c) => c.pattern === pattern).at(-1)?.data as any;
  const asked = (pattern: string) => t.rpc.calls.filter((c) => c.pattern === pattern).length;
  /**
   * An outcome as orders publishes it: `paymentAttempt` names the attempt it ends (1 = the first;
   * null leaves it out, as an orders from before it did), `reason` a refusal's.
   */
  const publish = (
    type: string,
    orderId: string,
    { paymentAttempt = 1 as number | null, reason = 'INSUFFICIENT_FUNDS' } = {},
  ) =>
    events.publish(
      EXCHANGES.events,
      type,
      outcomeEnvelope(type, orderId, {
        clinicId: CLINIC,
        practitionerId: member.userId,
        reason: type === OrderPaymentFailedV1.type ? reason : undefined,
        paymentAttempt: paymentAttempt === null ? undefined : paymentAttempt,
      }),
    );
  /** Until the request is waiting for its outcome (after orders answered the payment step). */
  const waiting = () => eventually(() => t.app.get(OrderOutcomeWaiter).waiting > 0, 5_000, 5);

  /**
   * orders' side of one payment attempt: the command (create / submit / retry) answers `first`
   * (PENDING_PAYMENT); every read of the order answers its current state, which `settle` moves on.
   */
  function saga(pattern: string, first: OrderView) {
    let current = first;
    t.rpc.replies.set(pattern, () => current);
    t.rpc.replies.set(ORDERS_RPC.get, (data: { orderId: string }) => {
      if (data.orderId !== current.id) throw new CodedError('ORDER_NOT_FOUND');
      return current;
    });
    return {
      settle(status: OrderStatusName, over: Partial<OrderView> = {}) {
        current = orderView(status, { ...current, ...over, status, id: current.id });
        if (status === 'PAID') current.credential = orderView('PAID').credential;
      },
      get reads() {
        return t.rpc.calls.filter((c) => c.pattern === ORDERS_RPC.get).length;
      },
    };
  }

  beforeAll(async () => {
    vhost = await createTestVhost('gw_orders');
    t = await createTestApp({ config: { amqpUrl: vhost.url, orderWaitMs: ORDER_WAIT_MS } });
    t.rpc.replies.set(IDENTITY_RPC.authenticate, authenticate);
    await eventually(() => t.app.get(OrderOutcomeWaiter).isListening(), 10_000, 20);
    broker = await amqplib.connect(vhost.url);
    events = await broker.createChannel();
  });

  afterAll(async () => {
    await t?.app.close();
    await broker?.close().catch(() => undefined);
    await vhost?.drop();
  });

  describe('POST /orders', () => {
    const post = (body: object, key: string = randomUUID()) =>
      http().post('/api/v1/orders').set(as('member-token')).set('Idempotency-Key', key).send(body);

    it('sends the caller with their clinics, the Idempotency-Key and a request hash; answers 201 with money as strings', async () => {
      saga(ORDERS_RPC.create, orderView('PAID'));
      const res = await post(newOrder(), 'order-key-1');
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({
        status: 'PAID',
        platformOrderId: 'PC-7K3M-9QX2-H',
        totalAmount: '10.05',
        currency: 'NZD',
        payout: null,
        items: [expect.objectContaining({ quantity: '10.25', unitPrice: '0.14', totalPrice: '10.05' })],
      });
      const id = res.body.data.id;
      expect(res.body.data.credential).toEqual({
        platformOrderId: 'PC-7K3M-9QX2-H',
        expiresAt: NOW,
        qrCodeData: 'eyJhbGciOiJFZERTQSJ9.e30.sig',
        qrPngUrl: `/api/v1/orders/${id}/credential.png`,
        pdfUrl: `/api/v1/orders/${id}/credential.pdf`,
      });
      expect(sent(ORDERS_RPC.create)).toEqual({
        ...newOrder(),
        items: [
          { medicineId: DANGGUI, quantity: '10.25', decoctionMethod: 'hou xia' },
          { medicineId: BAISHAO, quantity: '9' },
        ],
        draft: false,
        caller: { userId: member.userId, role: 'practitioner', clinicIds: [CLINIC], pharmacyId: null },
        idempotencyKey: 'order-key-1',
        requestHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    });

    it('hashes the same order the same however it is spelled, and a different order differently', async () => {
      saga(ORDERS_RPC.create, orderView('PAID'));
      const hashOf = async (body: object) => {
        await post(body);
        return sent(ORDERS_RPC.create).requestHash as string;
      };
      const base = await hashOf(newOrder());
      const respelled = await hashOf({
        packs: 7,
        items: [
          { quantity: 10.25, medicineId: DANGGUI, decoctionMethod: 'hou xia', processing: null },
          { medicineId: BAISHAO, quantity: '9.000' },
        ],
        patientInfo: { phone: '+64 21 555 0101', name: 'Mere Tane', email: null },
        clinicId: CLINIC,
        draft: false,
      });
      expect(respelled).toBe(base);
      expect(await hashOf(newOrder({ packs: 8 }))).not.toBe(base);
      expect(await hashOf(newOrder({ patientInfo: { name: 'Aroha Tane' } }))).not.toBe(base);
      expect(await hashOf(newOrder({ draft: true }))).not.toBe(base);
    });

    it('answers 201 as soon as the outcome event arrives while it waits, reading the order once for its credential', async () => {
      const first = orderView('PENDING_PAYMENT');
      const s = saga(ORDERS_RPC.create, first);
      const [creates, reads] = [asked(ORDERS_RPC.create), s.reads];
      const started = Date.now();
      const pending = post(newOrder()).then((r) => r);
      // Once the gateway waits for the outcome (nothing read before), the saga ends.
      await waiting();
      expect(s.reads).toBe(reads);
      s.settle('PAID');
      publish(OrderPaidV1.type, first.id);
      const res = await pending;
      expect(res.status).toBe(201);
      expect(res.body.data.status).toBe('PAID');
      expect(res.body.data.credential.qrCodeData).toEqual(expect.any(String));
      expect(Date.now() - started).toBeLessThan(ORDER_WAIT_MS - 500);
      // Two RPCs to orders for the POST: the create, and the read of the paid order's credential.
      expect([asked(ORDERS_RPC.create) - creates, s.reads - reads]).toEqual([1, 1]);
      // That read is part of the wait: it ends with the window (or a second after it, at the least).
      const read = t.rpc.calls.filter((c) => c.pattern === ORDERS_RPC.get).at(-1)!;
      expect(read.opts?.deadlineMs).toBeGreaterThanOrEqual(1_000);
      expect(read.opts?.deadlineMs).toBeLessThanOrEqual(ORDER_WAIT_MS);
    });

    it('answers 201 at once when the outcome was published before the gateway started listening', async () => {
      const first = orderView('PENDING_PAYMENT');
      const s = saga(ORDERS_RPC.create, first);
      // orders finished the saga (and published) before its reply to create reached the gateway.
      t.rpc.replies.set(ORDERS_RPC.create, async () => {
        s.settle('PAID');
        publish(OrderPaidV1.type, first.id);
        await new Promise((r) => setTimeout(r, 250)); // delivered while nobody was listening for it
        return first;
      });
      const reads = s.reads;
      const started = Date.now();
      const res = await post(newOrder());
      expect([res.status, res.body.data.status, res.body.data.id]).toEqual([201, 'PAID', first.id]);
      expect(Date.now() - started).toBeLessThan(ORDER_WAIT_MS - 500);
      expect(s.reads - reads).toBe(1);
    });

    it('answers 202 with the order still PENDING_PAYMENT when ORDER_WAIT_MS passes without an outcome', async () => {
      const s = saga(ORDERS_RPC.create, orderView('PENDING_PAYMENT'));
      const reads = s.reads;
      const started = Date.now();
      const res = await post(newOrder());
      expect([res.status, res.body.success, res.body.data.status]).toEqual([202, true, 'PENDING_PAYMENT']);
      expect(res.body.data.credential).toBeNull();
      expect(Date.now() - started).toBeGreaterThanOrEqual(ORDER_WAIT_MS - 50);
      // Nothing read: the outcome would have been heard (the order is answered as orders created it).
      expect(s.reads - reads).toBe(0);
      expect(t.app.get(OrderOutcomeWaiter).waiting).toBe(0);
    });

    it.each([
      ['INSUFFICIENT_FUNDS', 402, '3002'],
      ['ACCOUNT_SUSPENDED', 402, 'PAY_002'],
      ['ACCOUNT_NOT_FOUND', 502, '3001'],
    ])(
      'answers a payment refused with %s as %i %s carrying details.orderId',
      async (reason, status, code) => {
        const first = orderView('PENDING_PAYMENT');
        const s = saga(ORDERS_RPC.create, first);
        const reads = s.reads;
        const pending = post(newOrder()).then((r) => r);
        await waiting();
        const orderId = first.id;
        s.settle('PAYMENT_FAILED', { paymentFailureReason: reason });
        publish(OrderPaymentFailedV1.type, orderId, { reason });
        const res = await pending;
        expect([res.status, res.body.error.code]).toEqual([status, code]);
        expect(res.body.error.details).toEqual({ orderId, status: 'PAYMENT_FAILED', reason });
        // The refusal is answered from its event: the create is the POST's only RPC to orders.
        expect(s.reads - reads).toBe(0);
      },
    );

    it('gives the create ORDER_PLACE_DEADLINE_MS, longer than other RPCs: a queued create is taken, not dropped', async () => {
      saga(ORDERS_RPC.create, orderView('PAID'));
      await post(newOrder());
      const config = t.app.get(GatewayConfig);
      const create = t.rpc.calls.filter((c) => c.pattern === ORDERS_RPC.create).at(-1)!;
      expect(create.opts?.deadlineMs).toBe(config.orderPlaceDeadlineMs);
      expect(config.orderPlaceDeadlineMs).toBeGreaterThan(config.rpcDeadlineMs);
    });

    it('answers 202 with the order, not a 5xx, when the paid order cannot be read in time', async () => {
      const first = orderView('PENDING_PAYMENT');
      saga(ORDERS_RPC.create, first);
      t.rpc.replies.set(ORDERS_RPC.get, () => {
        throw new CodedError('GATEWAY_TIMEOUT');
      });
      const pending = post(newOrder()).then((r) => r);
      await waiting();
      publish(OrderPaidV1.type, first.id);
      const res = await pending;
      expect([res.status, res.body.data.id, res.body.data.status]).toEqual([
        202,
        first.id,
        'PENDING_PAYMENT',
      ]);
    });

    it('reads the order to check an outcome that does not name its attempt (an older orders)', async () => {
      const first = orderView('PENDING_PAYMENT');
      const s = saga(ORDERS_RPC.create, first);
      const reads = s.reads;
      const pending = post(newOrder()).then((r) => r);
      await waiting();
      s.settle('PAYMENT_FAILED', { paymentFailureReason: 'ACCOUNT_SUSPENDED' });
      publish(OrderPaymentFailedV1.type, first.id, { paymentAttempt: null, reason: 'ACCOUNT_SUSPENDED' });
      const res = await pending;
      expect([res.status, res.body.error.code, res.body.error.details.orderId]).toEqual([
        402,
        'PAY_002',
        first.id,
      ]);
      expect(s.reads - reads).toBe(1);
    });

    it('answers a draft 201 DRAFT without waiting for any payment', async () => {
      saga(ORDERS_RPC.create, orderView('DRAFT'));
      const reads = asked(ORDERS_RPC.get);
      const res = await post(newOrder({ draft: true }));
      expect([res.status, res.body.data.status]).toEqual([201, 'DRAFT']);
      expect(sent(ORDERS_RPC.create).draft).toBe(true);
      expect(asked(ORDERS_RPC.get)).toBe(reads);
    });

    it("passes orders' PRESCRIPTION_SAFETY (422 with its details) and IDEMPOTENCY_KEY_REUSED (409) through", async () => {
      const violations = [
        { rule: 'EIGHTEEN_INCOMPATIBILITIES', medicineIds: [DANGGUI, BAISHAO], message: '甘草 反 甘遂' },
      ];
      t.rpc.replies.set(ORDERS_RPC.create, () => {
        throw new CodedError('PRESCRIPTION_SAFETY', 'The formula failed safety checks.', violations);
      });
      const unsafe = await post(newOrder());
      expect([unsafe.status, unsafe.body.error.code, unsafe.body.error.details]).toEqual([
        422,
        'PRESCRIPTION_SAFETY',
        violations,
      ]);
      t.rpc.replies.set(ORDERS_RPC.create, () => {
        throw new CodedError('IDEMPOTENCY_KEY_REUSED');
      });
      const reused = await post(newOrder());
      expect([reused.status, reused.body.error.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    });

    it('refuses a missing Idempotency-Key and malformed items with 422 before asking orders', async () => {
      const before = asked(ORDERS_RPC.create);
      const noKey = await http().post('/api/v1/orders').set(as('member-token')).send(newOrder());
      expect(noKey.status).toBe(422);
      expect(noKey.body.error.details).toEqual([
        expect.objectContaining({ in: 'header', path: 'Idempotency-Key' }),
      ]);
      for (const [items, path] of [
        [[], 'items'],
        [[{ medicineId: DANGGUI, quantity: '1.2345' }], 'items.0.quantity'],
        [[{ medicineId: DANGGUI, quantity: 0 }], 'items.0.quantity'],
        [[{ medicineId: 'danggui', quantity: 1 }], 'items.0.medicineId'],
      ] as const) {
        const res = await post(newOrder({ items }));
        expect([path, res.status]).toEqual([path, 422]);
        expect(res.body.error.details).toEqual([expect.objectContaining({ in: 'body', path })]);
      }
      const operator = await http()
        .post('/api/v1/orders')
        .set(as('operator-token'))
        .set('Idempotency-Key', 'k')
        .send(newOrder());
      expect([operator.status, operator.body.error.code]).toEqual([403, '1003']);
      expect(asked(ORDERS_RPC.create)).toBe(before);
    });
  });

  describe('POST /orders/:id/submit and /retry-payment', () => {
    it('submits a draft and answers like POST /orders once the outcome arrives', async () => {
      const draft = orderView('PENDING_PAYMENT');
      const s = saga(ORDERS_RPC.submit, draft);
      const pending = http()
        .post(`/api/v1/orders/${draft.id}/submit`)
        .set(as('member-token'))
        .then((r) => r);
      await waiting();
      s.settle('PAID');
      publish(OrderPaidV1.type, draft.id);
      const res = await pending;
      expect([res.status, res.body.data.status]).toEqual([201, 'PAID']);
      expect(sent(ORDERS_RPC.submit)).toEqual({
        caller: { userId: member.userId, role: 'practitioner', clinicIds: [CLINIC], pharmacyId: null },
        orderId: draft.id,
      });
    });

    it('retries a failed payment and answers 402 again when it is refused again', async () => {
      const failed = retried();
      const s = saga(ORDERS_RPC.retryPayment, failed);
      const pending = http()
        .post(`/api/v1/orders/${failed.id}/retry-payment`)
        .set(as('member-token'))
        .then((r) => r);
      await waiting();
      s.settle('PAYMENT_FAILED', { paymentFailureReason: 'INSUFFICIENT_FUNDS' });
      publish(OrderPaymentFailedV1.type, failed.id, { paymentAttempt: 2 });
      const res = await pending;
      expect([res.status, res.body.error.code, res.body.error.details.orderId]).toEqual([
        402,
        '3002',
        failed.id,
      ]);
    });

    it("does not take the first attempt's refusal for the retry's outcome", async () => {
      const order = retried();
      const s = saga(ORDERS_RPC.retryPayment, order);
      // The first attempt's refusal, heard again (or late) while the retry runs.
      publish(OrderPaymentFailedV1.type, order.id, { paymentAttempt: 1 });
      const pending = http()
        .post(`/api/v1/orders/${order.id}/retry-payment`)
        .set(as('member-token'))
        .then((r) => r);
      await waiting();
      publish(OrderPaymentFailedV1.type, order.id, { paymentAttempt: 1 });
      s.settle('PAID');
      publish(OrderPaidV1.type, order.id, { paymentAttempt: 2 });
      const res = await pending;
      expect([res.status, res.body.data.status]).toEqual([201, 'PAID']);
    });

    it("passes orders' 409 2003 through for an order in the wrong state", async () => {
      t.rpc.replies.set(ORDERS_RPC.submit, () => {
        throw new CodedError('INVALID_ORDER_STATUS', 'A PAID order cannot be submitted.');
      });
      const res = await http().post(`/api/v1/orders/${randomUUID()}/submit`).set(as('member-token'));
      expect([res.status, res.body.error.code]).toEqual([409, '2003']);
    });
  });

  it('cancels with the reason, for the owner or an admin (POST /orders/:id/cancel)', async () => {
    const cancelled = orderView('CANCELLED');
    t.rpc.replies.set(ORDERS_RPC.cancel, cancelled);
    const res = await http()
      .post(`/api/v1/orders/${cancelled.id}/cancel`)
      .set(as('admin-token'))
      .send({ reason: 'patient changed their mind' });
    expect([res.status, res.body.data.status]).toEqual([200, 'CANCELLED']);
    expect(sent(ORDERS_RPC.cancel)).toEqual({
      caller: {
        userId: PRINCIPALS['admin-token'].userId,
        role: 'admin',
        clinicIds: [],
        pharmacyId: null,
      },
      orderId: cancelled.id,
      reason: 'patient changed their mind',
    });
    const noReason = await http()
      .post(`/api/v1/orders/${cancelled.id}/cancel`)
      .set(as('member-token'))
      .send({});
    expect(noReason.status).toBe(422);
  });

  it('lists the orders orders scopes for the caller, with filters and meta.pagination', async () => {
    const claimed = orderView('DISPENSING', {
      patientInfo: { name: 'Mere Tane' },
      credential: { platformOrderId: 'PC-7K3M-9QX2-H', expiresAt: NOW },
      assignedPharmacyId: PHARMACY,
      holdExpiresAt: '2026-11-25T01:02:03.456Z',
      payoutCents: 840,
    });
    t.rpc.replies.set(ORDERS_RPC.list, { items: [claimed], total: 21, page: 2, limit: 10 });
    const res = await http()
      .get(
        '/api/v1/orders?status=PENDING_REVIEW&page=2&limit=10&sort=updatedAt:asc&dateFrom=2026-11-01&dateTo=2026-11-30',
      )
      .set(as('operator-token'));
    expect(res.status).toBe(200);
    expect(res.body.meta.pagination).toEqual({
      page: 2,
      limit: 10,
      total: 21,
      totalPages: 3,
      hasNext: true,
      hasPrev: true,
    });
    // A pharmacy sees no QR token and so no links to the credential's files; it sees its payout.
    expect(res.body.data[0]).toMatchObject({
      status: 'DISPENSING',
      payout: '8.40',
      assignedPharmacyId: PHARMACY,
      holdExpiresAt: '2026-11-25T01:02:03.456Z',
      credential: { platformOrderId: 'PC-7K3M-9QX2-H', expiresAt: NOW },
    });
    expect(res.body.data[0].credential).not.toHaveProperty('qrPngUrl');
    expect(sent(ORDERS_RPC.list)).toEqual({
      caller: {
        userId: PRINCIPALS['operator-token'].userId,
        role: 'pharmacy_operator',
        clinicIds: [],
        pharmacyId: PHARMACY,
      },
      status: 'PENDING_REVIEW',
      page: 2,
      limit: 10,
      sort: 'updatedAt:asc',
      dateFrom: '2026-11-01',
      dateTo: '2026-11-30',
    });
    const bad = await http().get('/api/v1/orders?status=SHIPPED&sort=price:up').set(as('member-token'));
    expect([bad.status, bad.body.error.details.map((d: { path: string }) => d.path)]).toEqual([
      422,
      ['status', 'sort'],
    ]);
  });

  it("answers GET /orders/:id for whoever orders lets see it, and passes 2001 through for anyone else's", async () => {
    const order = orderView('PAID');
    saga(ORDERS_RPC.create, order);
    const res = await http().get(`/api/v1/orders/${order.id}`).set(as('member-token'));
    expect([res.status, res.body.data.id, res.body.data.totalAmount]).toEqual([200, order.id, '10.05']);
    const other = await http().get(`/api/v1/orders/${randomUUID()}`).set(as('member-token'));
    expect([other.status, other.body.error.code]).toEqual([404, '2001']);
  });

  describe('the credential', () => {
    const id = randomUUID();

    it('answers the token, the verification code and where its files are', async () => {
      t.rpc.replies.set(ORDERS_RPC.getCredential, {
        orderId: id,
        platformOrderId: 'PC-7K3M-9QX2-H',
        qrCodeData: 'token',
        verificationCode: '042917',
        expiresAt: NOW,
      });
      const res = await http().get(`/api/v1/orders/${id}/credential`).set(as('member-token'));
      expect([res.status, res.body.data]).toEqual([
        200,
        {
          orderId: id,
          platformOrderId: 'PC-7K3M-9QX2-H',
          qrCodeData: 'token',
          verificationCode: '042917',
          expiresAt: NOW,
          qrPngUrl: `/api/v1/orders/${id}/credential.png`,
          pdfUrl: `/api/v1/orders/${id}/credential.pdf`,
        },
      ]);
    });

    it.each([
      [
        'png',
        ORDERS_RPC.credentialPng,
        'image/png',
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2]),
      ],
      ['pdf', ORDERS_RPC.credentialPdf, 'application/pdf', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj')],
    ])(
      'serves credential.%s as raw bytes with its content type, never cached',
      async (ext, pattern, type, bytes) => {
        t.rpc.replies.set(pattern, {
          contentType: type,
          fileName: `PC-7K3M-9QX2-H.${ext}`,
          base64: bytes.toString('base64'),
        });
        const res = await http()
          .get(`/api/v1/orders/${id}/credential.${ext}`)
          .set(as('member-token'))
          .buffer(true)
          .parse((r, cb) => {
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c));
            r.on('end', () => cb(null, Buffer.concat(chunks)));
          });
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe(type);
        expect(res.headers['cache-control']).toBe('private, no-store');
        expect(res.headers['content-disposition']).toBe(`inline; filename="PC-7K3M-9QX2-H.${ext}"`);
        expect(Buffer.compare(res.body as Buffer, bytes)).toBe(0);
        expect(sent(pattern)).toEqual({
          caller: expect.objectContaining({ userId: member.userId }),
          orderId: id,
        });
      },
    );

    it('answers a credential that does not exist yet with the error envelope, not a file', async () => {
      t.rpc.replies.set(ORDERS_RPC.credentialPdf, () => {
        throw new CodedError('INVALID_ORDER_STATUS', 'The order has no credential until it is paid.');
      });
      const res = await http().get(`/api/v1/orders/${id}/credential.pdf`).set(as('member-token'));
      expect([res.status, res.headers['content-type'], res.body.error.code]).toEqual([
        409,
        expect.stringMatching(/^application\/json/),
        '2003',
      ]);
    });
  });

  describe('GET /admin/reports/kpis', () => {
    const kpis: OrderKpis = {
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
      ordersTotal: 12,
      ordersPaid: 10,
      ordersFulfilled: 6,
      gtvCents: 123_456,
      grossMarginCents: 20_007,
      fulfillmentRate: 0.6,
      avgFulfillmentHours: 30.25,
      activePractitioners: 4,
      activePharmacies: 2,
      currency: 'NZD',
    };

    it('formats money as strings and passes the range to orders with the admin as caller', async () => {
      t.rpc.replies.set(ORDERS_REPORTS_RPC.kpis, kpis);
      const res = await http()
        .get('/api/v1/admin/reports/kpis?from=2026-11-01&to=2026-11-30')
        .set(as('admin-token'));
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({
        from: kpis.from,
        to: kpis.to,
        ordersTotal: 12,
        ordersPaid: 10,
        ordersFulfilled: 6,
        gtv: '1234.56',
        grossMargin: '200.07',
        fulfillmentRate: 0.6,
        avgFulfillmentHours: 30.25,
        activePractitioners: 4,
        activePharmacies: 2,
        currency: 'NZD',
      });
      expect(sent(ORDERS_REPORTS_RPC.kpis)).toEqual({
        caller: expect.objectContaining({ userId: PRINCIPALS['admin-token'].userId, role: 'admin' }),
        from: '2026-11-01',
        to: '2026-11-30',
      });
    });

    it('refuses a malformed date with 422 and anyone but an admin with 403', async () => {
      const before = asked(ORDERS_REPORTS_RPC.kpis);
      const bad = await http().get('/api/v1/admin/reports/kpis?from=last-week').set(as('admin-token'));
      expect([bad.status, bad.body.error.details[0].path]).toEqual([422, 'from']);
      const practitioner = await http().get('/api/v1/admin/reports/kpis').set(as('member-token'));
      expect([practitioner.status, practitioner.body.error.code]).toEqual([403, '1003']);
      expect(asked(ORDERS_REPORTS_RPC.kpis)).toBe(before);
    });
  });
});
