/**
 * The clinic-account, payment and settlement routes through the real gateway (in-process).
 *
 * 1. Against a fake accounts (FakeBackendRpc): what the gateway sends (cents, caller as actor,
 *    Idempotency-Key, the webhook's bytes), how it formats answers ("12.34" + NZD), what it refuses
 *    before asking anyone (validation, clinic and pharmacy scope).
 * 2. Against the REAL accounts service, in-process over RabbitMQ on its own database and vhost:
 *    a balance read, adjustment idempotency and a signed webhook verified end to end.
 */
import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import {
  ACCOUNTS_RPC,
  type AuthenticatedPrincipal,
  CodedError,
  IDENTITY_RPC,
  type LedgerEntryView,
  type SettlementView,
} from '@prescriptchain/contracts';
import { AmqpRpcClient } from '@prescriptchain/messaging';
import Stripe from 'stripe';
import request from 'supertest';
// The real accounts service, started in-process (a test-only dependency on another project).
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  type AccountsKit,
  createAccountsKit,
  quiet,
  startAccountsService,
  WEBHOOK_SECRET,
} from '../../services/accounts/test/accounts-test-kit';
import { AmqpBackendRpc } from '../src/adapters/amqp-backend-rpc';
import { GatewayMetrics } from '../src/operations/gateway-metrics';
import { BackendRpc, type RpcCallOptions } from '../src/ports/backend-rpc';
import { FakeBackendRpc } from './support/fake-backend-rpc';
import { fakePrincipals, principal } from './support/fake-principals';
import { createTestApp, type TestApp } from './support/test-app';

const NOW = '2026-11-22T01:02:03.456Z';
const CLINIC = '5b0c8f3e-3d5a-4c47-9a1e-2f6b7c8d9e01';
const OTHER_CLINIC = '6c1d9a4f-4e6b-4d58-8b2f-3a7c8d9e0f12';
const PHARMACY = '7d2e0b5a-5f7c-4e69-9c3a-4b8d9e0f1a23';
const OTHER_PHARMACY = '8e3f1c6b-6a8d-4f7a-8d4b-5c9e0f1a2b34';
const ORDER = '9f4a2d7c-7b9e-4a8b-9e5c-6d0f1a2b3c45';
const SETTLEMENT = 'a05b3e8d-8c0f-4b9c-8f6d-7e1a2b3c4d56';

const PRINCIPALS: Record<string, AuthenticatedPrincipal> = {
  'admin-token': principal('admin'),
  'member-token': principal('practitioner', { clinicIds: [CLINIC] }),
  'outsider-token': principal('practitioner', { clinicIds: [OTHER_CLINIC] }),
  'operator-token': principal('pharmacy_operator', { pharmacyId: PHARMACY }),
  'pos-key': principal('pharmacy_operator', { pharmacyId: PHARMACY, via: 'api_key' }),
};
const { authenticate, as } = fakePrincipals(PRINCIPALS);
/** The caller the gateway passes accounts for a principal (accounts scopes by it again). */
const callerOf = (token: string) => {
  const { userId, role, clinicIds, pharmacyId } = PRINCIPALS[token];
  return { userId, role, clinicIds, pharmacyId };
};

const accountView = (over: Record<string, unknown> = {}) => ({
  clinicId: CLINIC,
  balanceCents: 12_345,
  creditLimitCents: 50_000,
  usedCreditCents: 1_029,
  availableCents: 61_316,
  currency: 'NZD',
  status: 'active',
  updatedAt: NOW,
  ...over,
});

const ledgerView = (over: Partial<LedgerEntryView> = {}): LedgerEntryView => ({
  id: randomUUID(),
  clinicId: CLINIC,
  type: 'adjustment',
  amountCents: -1_250,
  balanceAfterCents: 11_095,
  usedCreditAfterCents: 0,
  currency: 'NZD',
  orderId: null,
  reference: null,
  actorId: PRINCIPALS['admin-token'].userId,
  reason: 'goodwill correction',
  createdAt: NOW,
  ...over,
});

const settlementView = (over: Partial<SettlementView> = {}): SettlementView => ({
  id: SETTLEMENT,
  orderId: ORDER,
  clinicId: CLINIC,
  pharmacyId: PHARMACY,
  amountCents: 4_207,
  currency: 'NZD',
  status: 'pending_payment',
  reference: null,
  createdAt: NOW,
  paidAt: null,
  ...over,
});

const pagination = (page: number, limit: number, total: number) => {
  const totalPages = Math.ceil(total / limit);
  return { page, limit, total, totalPages, hasNext: page < totalPages, hasPrev: page > 1 };
};

describe('accounts routes (fake accounts)', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());
  const sent = (pattern: string) => t.rpc.calls.filter((c) => c.pattern === pattern).at(-1)?.data;
  const asked = (pattern: string) => t.rpc.calls.filter((c) => c.pattern === pattern).length;

  beforeAll(async () => {
    t = await createTestApp();
    t.rpc.replies.set(IDENTITY_RPC.authenticate, authenticate);
  });
  afterAll(async () => {
    await t?.app.close();
  });

  describe('GET /clinic-accounts/:clinicId', () => {
    it('answers a member with every amount as a two-place string and the currency', async () => {
      t.rpc.replies.set(ACCOUNTS_RPC.getAccount, accountView());
      const res = await http().get(`/api/v1/clinic-accounts/${CLINIC}`).set(as('member-token'));
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({
        clinicId: CLINIC,
        balance: '123.45',
        creditLimit: '500.00',
        usedCredit: '10.29',
        available: '613.16',
        currency: 'NZD',
        status: 'active',
        updatedAt: NOW,
      });
      expect(sent(ACCOUNTS_RPC.getAccount)).toEqual({ caller: callerOf('member-token'), clinicId: CLINIC });
    });

    it('answers a practitioner outside the clinic 404, as for a clinic that does not exist, without asking accounts', async () => {
      const before = asked(ACCOUNTS_RPC.getAccount);
      const res = await http().get(`/api/v1/clinic-accounts/${CLINIC}`).set(as('outsider-token'));
      expect([res.status, res.body.error.code]).toEqual([404, 'NOT_FOUND']);
      const ledger = await http().get(`/api/v1/clinic-accounts/${CLINIC}/ledger`).set(as('outsider-token'));
      expect([ledger.status, ledger.body.error.code]).toEqual([404, 'NOT_FOUND']);
      expect(asked(ACCOUNTS_RPC.getAccount)).toBe(before);
    });

    it('lets an admin read any clinic, and passes accounts’ NOT_FOUND through', async () => {
      t.rpc.replies.set(ACCOUNTS_RPC.getAccount, () => {
        throw new CodedError('NOT_FOUND', 'No account for this clinic.');
      });
      const res = await http().get(`/api/v1/clinic-accounts/${OTHER_CLINIC}`).set(as('admin-token'));
      expect([res.status, res.body.error.code]).toEqual([404, 'NOT_FOUND']);
      expect(sent(ACCOUNTS_RPC.getAccount)).toEqual({ caller: callerOf('admin-token'), clinicId: OTHER_CLINIC });
    });

    it('fails as a 500 without internals when accounts answers off contract (never a half-formatted amount)', async () => {
      t.rpc.replies.set(ACCOUNTS_RPC.getAccount, accountView({ balanceCents: 123.45 }));
      const res = await http().get(`/api/v1/clinic-accounts/${CLINIC}`).set(as('member-token'));
      expect([res.status, res.body.error.code]).toEqual([500, 'INTERNAL_ERROR']);
      expect(JSON.stringify(res.body)).not.toContain('123.45');
    });
  });

  it('pages the ledger with meta.pagination and signed amounts', async () => {
    const debit = ledgerView({
      type: 'debit',
      amountCents: -4_207,
      orderId: ORDER,
      reason: null,
      actorId: null,
    });
    t.rpc.replies.set(ACCOUNTS_RPC.listLedger, { items: [debit], pagination: pagination(2, 10, 11) });
    const res = await http()
      .get(`/api/v1/clinic-accounts/${CLINIC}/ledger?page=2&limit=10`)
      .set(as('member-token'));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      {
        id: debit.id,
        type: 'debit',
        amount: '-42.07',
        balanceAfter: '110.95',
        usedCreditAfter: '0.00',
        currency: 'NZD',
        orderId: ORDER,
        reference: null,
        reason: null,
        createdAt: NOW,
      },
    ]);
    expect(res.body.meta.pagination).toEqual(pagination(2, 10, 11));
    expect(sent(ACCOUNTS_RPC.listLedger)).toEqual({ caller: callerOf('member-token'), clinicId: CLINIC, page: 2, limit: 10 });
  });

  describe('POST /admin/clinic-accounts/:clinicId/adjustments', () => {
    const path = `/api/v1/admin/clinic-accounts/${CLINIC}/adjustments`;

    it('sends signed cents, the reason, the admin as actor and the Idempotency-Key; answers 201 with the entry', async () => {
      const entry = ledgerView();
      t.rpc.replies.set(ACCOUNTS_RPC.adjust, entry);
      const res = await http()
        .post(path)
        .set(as('admin-token'))
        .set('Idempotency-Key', 'adj-1')
        .send({ amount: '-12.50', reason: 'goodwill correction' });
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({
        id: entry.id,
        type: 'adjustment',
        amount: '-12.50',
        balanceAfter: '110.95',
      });
      expect(sent(ACCOUNTS_RPC.adjust)).toEqual({
        caller: callerOf('admin-token'),
        clinicId: CLINIC,
        amountCents: -1_250,
        reason: 'goodwill correction',
        idempotencyKey: 'adj-1',
      });
    });

    it('requires an Idempotency-Key (422, nothing moves)', async () => {
      const before = asked(ACCOUNTS_RPC.adjust);
      const res = await http().post(path).set(as('admin-token')).send({ amount: '5.00', reason: 'x' });
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [expect.objectContaining({ in: 'header', path: 'Idempotency-Key' })],
      });
      const long = await http()
        .post(path)
        .set(as('admin-token'))
        .set('Idempotency-Key', 'k'.repeat(256))
        .send({ amount: '5.00', reason: 'x' });
      expect(long.status).toBe(422);
      expect(asked(ACCOUNTS_RPC.adjust)).toBe(before);
    });

    it.each([
      ['a JSON number', 12.5],
      ['three decimal places', '12.345'],
      ['an exponent', '1e3'],
      ['zero', '0.00'],
      ['more than NUMERIC(12,2) holds', '10000000000.00'],
    ])('refuses %s as the amount with 422 before asking accounts', async (_what, amount) => {
      const before = asked(ACCOUNTS_RPC.adjust);
      const res = await http()
        .post(path)
        .set(as('admin-token'))
        .set('Idempotency-Key', randomUUID())
        .send({ amount, reason: 'x' });
      expect(res.status).toBe(422);
      expect(res.body.error.details).toEqual([expect.objectContaining({ in: 'body', path: 'amount' })]);
      expect(asked(ACCOUNTS_RPC.adjust)).toBe(before);
    });

    it("passes accounts' IDEMPOTENCY_KEY_REUSED and INSUFFICIENT_FUNDS through with their statuses", async () => {
      t.rpc.replies.set(ACCOUNTS_RPC.adjust, () => {
        throw new CodedError('IDEMPOTENCY_KEY_REUSED');
      });
      const reused = await http()
        .post(path)
        .set(as('admin-token'))
        .set('Idempotency-Key', 'adj-1')
        .send({ amount: '1.00', reason: 'x' });
      expect([reused.status, reused.body.error.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
      t.rpc.replies.set(ACCOUNTS_RPC.adjust, () => {
        throw new CodedError('INSUFFICIENT_FUNDS');
      });
      const short = await http()
        .post(path)
        .set(as('admin-token'))
        .set('Idempotency-Key', 'adj-2')
        .send({ amount: '-1000.00', reason: 'x' });
      expect([short.status, short.body.error.code]).toEqual([402, '3002']);
    });
  });

  describe('PATCH /admin/clinic-accounts/:clinicId', () => {
    const path = `/api/v1/admin/clinic-accounts/${CLINIC}`;

    it('sends the credit limit in cents and the status; answers the account', async () => {
      t.rpc.replies.set(
        ACCOUNTS_RPC.updateAccount,
        accountView({ creditLimitCents: 75_000, status: 'suspended' }),
      );
      const res = await http()
        .patch(path)
        .set(as('admin-token'))
        .send({ creditLimit: '750', status: 'suspended' });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ creditLimit: '750.00', status: 'suspended' });
      expect(sent(ACCOUNTS_RPC.updateAccount)).toEqual({
        caller: callerOf('admin-token'),
        clinicId: CLINIC,
        creditLimitCents: 75_000,
        status: 'suspended',
      });
    });

    it('refuses an empty change and a negative credit limit with 422', async () => {
      for (const body of [{}, { creditLimit: '-1.00' }, { status: 'closed' }]) {
        const res = await http().patch(path).set(as('admin-token')).send(body);
        expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 422]);
      }
    });
  });

  describe('POST /clinic-accounts/:clinicId/recharge-intent', () => {
    const path = `/api/v1/clinic-accounts/${CLINIC}/recharge-intent`;

    it('asks accounts for an intent in cents with the key and the member as actor; answers the client secret', async () => {
      t.rpc.replies.set(ACCOUNTS_RPC.createRechargeIntent, {
        topUpId: randomUUID(),
        paymentIntentId: 'pi_123',
        clientSecret: 'pi_123_secret_abc',
        amountCents: 25_000,
        currency: 'NZD',
      });
      const res = await http()
        .post(path)
        .set(as('member-token'))
        .set('Idempotency-Key', 'topup-1')
        .send({ amount: '250.00' });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({
        paymentIntentId: 'pi_123',
        clientSecret: 'pi_123_secret_abc',
        amount: '250.00',
        currency: 'NZD',
      });
      expect(sent(ACCOUNTS_RPC.createRechargeIntent)).toEqual({
        caller: callerOf('member-token'),
        clinicId: CLINIC,
        amountCents: 25_000,
        idempotencyKey: 'topup-1',
      });
    });

    it("refuses another clinic's top-up (404), a missing key and an amount under Stripe's minimum (422)", async () => {
      const before = asked(ACCOUNTS_RPC.createRechargeIntent);
      const outsider = await http()
        .post(path)
        .set(as('outsider-token'))
        .set('Idempotency-Key', 'k1')
        .send({ amount: '10.00' });
      expect([outsider.status, outsider.body.error.code]).toEqual([404, 'NOT_FOUND']);
      const noKey = await http().post(path).set(as('member-token')).send({ amount: '10.00' });
      expect(noKey.status).toBe(422);
      const tiny = await http()
        .post(path)
        .set(as('member-token'))
        .set('Idempotency-Key', 'k2')
        .send({ amount: '0.49' });
      expect([tiny.status, tiny.body.error.details[0].message]).toEqual([422, 'must be at least 0.50']);
      expect(asked(ACCOUNTS_RPC.createRechargeIntent)).toBe(before);
    });
  });

  describe('POST /payments/webhook', () => {
    const path = '/api/v1/payments/webhook';
    // Odd spacing, key order and non-ASCII: a re-serialised body would differ from these bytes.
    const raw =
      '{\n  "id": "evt_1",  "type":"payment_intent.succeeded",\n"data":{"object":{"note":"补药 ✓","amount":2500.0}}}';

    it('forwards the body byte for byte with the Stripe-Signature header, and needs no credentials', async () => {
      t.rpc.replies.set(ACCOUNTS_RPC.handleWebhook, { received: true, duplicate: false });
      const res = await http()
        .post(path)
        .set('Content-Type', 'application/json; charset=utf-8')
        .set('Stripe-Signature', 't=1,v1=abc')
        .send(raw);
      expect([res.status, res.body.data]).toEqual([200, { received: true, duplicate: false }]);
      expect(sent(ACCOUNTS_RPC.handleWebhook)).toEqual({ rawBody: raw, signature: 't=1,v1=abc' });
    });

    it('answers a replayed event 200 with duplicate: true (Stripe retries anything else)', async () => {
      t.rpc.replies.set(ACCOUNTS_RPC.handleWebhook, { received: true, duplicate: true });
      const res = await http()
        .post(path)
        .set('Content-Type', 'application/json')
        .set('Stripe-Signature', 's')
        .send(raw);
      expect([res.status, res.body.data]).toEqual([200, { received: true, duplicate: true }]);
    });

    it('answers a signature accounts refuses with 400 and says why', async () => {
      t.rpc.replies.set(ACCOUNTS_RPC.handleWebhook, () => {
        throw new CodedError('UNAUTHENTICATED', 'The webhook signature could not be verified.');
      });
      const res = await http()
        .post(path)
        .set('Content-Type', 'application/json')
        .set('Stripe-Signature', 'bad')
        .send(raw);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        code: 'MALFORMED_REQUEST',
        message: 'The webhook signature could not be verified.',
        details: { reason: 'signature_invalid' },
      });
    });

    it('answers a delivery without signature or without a JSON body 400 without asking accounts', async () => {
      const before = asked(ACCOUNTS_RPC.handleWebhook);
      const unsigned = await http().post(path).set('Content-Type', 'application/json').send(raw);
      expect([unsigned.status, unsigned.body.error.details]).toEqual([400, { reason: 'signature_missing' }]);
      const empty = await http().post(path).set('Stripe-Signature', 's');
      expect([empty.status, empty.body.error.details]).toEqual([400, { reason: 'body_missing' }]);
      const text = await http()
        .post(path)
        .set('Content-Type', 'text/plain')
        .set('Stripe-Signature', 's')
        .send(raw);
      expect(text.status).toBe(400);
      expect(asked(ACCOUNTS_RPC.handleWebhook)).toBe(before);
    });

    it('answers a body larger than accounts accepts with 413 instead of forwarding it', async () => {
      const before = asked(ACCOUNTS_RPC.handleWebhook);
      const big = JSON.stringify({ id: 'evt_big', padding: 'x'.repeat(1_000_000) });
      const res = await http()
        .post(path)
        .set('Content-Type', 'application/json')
        .set('Stripe-Signature', 's')
        .send(big);
      expect([res.status, res.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
      expect(asked(ACCOUNTS_RPC.handleWebhook)).toBe(before);
    });
  });

  describe('settlements', () => {
    it('lists settlements for an admin with the filters sent and money formatted', async () => {
      t.rpc.replies.set(ACCOUNTS_RPC.listSettlements, {
        items: [settlementView({ status: 'paid', reference: 'BANK-7', paidAt: NOW })],
        pagination: pagination(1, 20, 1),
      });
      const res = await http().get('/api/v1/admin/settlements?status=paid').set(as('admin-token'));
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([
        {
          id: SETTLEMENT,
          orderId: ORDER,
          pharmacyId: PHARMACY,
          amount: '42.07',
          currency: 'NZD',
          status: 'paid',
          reference: 'BANK-7',
          createdAt: NOW,
          paidAt: NOW,
        },
      ]);
      expect(res.body.meta.pagination).toEqual(pagination(1, 20, 1));
      expect(sent(ACCOUNTS_RPC.listSettlements)).toEqual({ caller: callerOf('admin-token'), status: 'paid', page: 1, limit: 20 });
    });

    it('marks a settlement paid with the reference, the key and the admin; a body is optional', async () => {
      t.rpc.replies.set(ACCOUNTS_RPC.markSettlementPaid, settlementView({ status: 'paid', paidAt: NOW }));
      const path = `/api/v1/admin/settlements/${SETTLEMENT}/mark-paid`;
      const res = await http()
        .post(path)
        .set(as('admin-token'))
        .set('Idempotency-Key', 'pay-1')
        .send({ reference: 'BANK-8' });
      expect([res.status, res.body.data.status, res.body.data.amount]).toEqual([200, 'paid', '42.07']);
      expect(sent(ACCOUNTS_RPC.markSettlementPaid)).toEqual({
        caller: callerOf('admin-token'),
        settlementId: SETTLEMENT,
        reference: 'BANK-8',
        idempotencyKey: 'pay-1',
      });
      const bare = await http().post(path).set(as('admin-token')).set('Idempotency-Key', 'pay-2');
      expect(bare.status).toBe(200);
      expect(sent(ACCOUNTS_RPC.markSettlementPaid)).toMatchObject({
        idempotencyKey: 'pay-2',
        reference: undefined,
      });
      const noKey = await http().post(path).set(as('admin-token')).send({});
      expect(noKey.status).toBe(422);
    });

    it("shows an operator their pharmacy's settlements with totals, by token or API key", async () => {
      t.rpc.replies.set(ACCOUNTS_RPC.pharmacySettlements, {
        items: [settlementView()],
        pagination: pagination(1, 20, 1),
        totals: { pendingCents: 4_207, paidCents: 100_000, pendingCount: 1, paidCount: 3, currency: 'NZD' },
      });
      for (const who of ['operator-token', 'pos-key'] as const) {
        const res = await http()
          .get(`/api/v1/pharmacies/${PHARMACY}/settlements?status=pending_payment`)
          .set(as(who));
        expect([who, res.status]).toEqual([who, 200]);
        expect(res.body.data).toEqual({
          settlements: [expect.objectContaining({ id: SETTLEMENT, amount: '42.07', currency: 'NZD' })],
          totals: { pending: '42.07', paid: '1000.00', pendingCount: 1, paidCount: 3, currency: 'NZD' },
        });
        expect(res.body.meta.pagination).toEqual(pagination(1, 20, 1));
      }
      expect(sent(ACCOUNTS_RPC.pharmacySettlements)).toEqual({
        caller: callerOf('pos-key'),
        pharmacyId: PHARMACY,
        status: 'pending_payment',
        page: 1,
        limit: 20,
      });
    });

    it("answers another pharmacy's settlements 404 without asking accounts", async () => {
      const before = asked(ACCOUNTS_RPC.pharmacySettlements);
      for (const who of ['operator-token', 'pos-key'] as const) {
        const res = await http().get(`/api/v1/pharmacies/${OTHER_PHARMACY}/settlements`).set(as(who));
        expect([who, res.status, res.body.error.code]).toEqual([who, 404, 'NOT_FOUND']);
      }
      expect(asked(ACCOUNTS_RPC.pharmacySettlements)).toBe(before);
    });
  });
});

/**
 * Identity faked (authentication is the matrix's business), everything else over RabbitMQ to
 * whatever answers there: here the real accounts service.
 */
class FakeIdentityRealRest extends BackendRpc {
  constructor(
    private readonly identity: FakeBackendRpc,
    private readonly rest: BackendRpc,
  ) {
    super();
  }
  call<T>(pattern: string, data: unknown, opts?: RpcCallOptions): Promise<T> {
    return pattern.startsWith('identity.')
      ? this.identity.call(pattern, data, opts)
      : this.rest.call(pattern, data, opts);
  }
  isConnected(): boolean {
    return this.rest.isConnected();
  }
  close(): Promise<void> {
    return this.rest.close();
  }
}

describe('accounts routes (the real accounts service)', () => {
  let kit: AccountsKit;
  let accounts: INestMicroservice;
  let t: TestApp<FakeIdentityRealRest>;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    kit = await createAccountsKit('gw_accounts');
    accounts = await startAccountsService(kit, { sandboxSettleMs: null });
    const client = new AmqpRpcClient({ url: kit.vhost.url, name: 'gateway-accounts', logger: quiet });
    await client.connect();
    const identity = new FakeBackendRpc();
    identity.replies.set(IDENTITY_RPC.authenticate, authenticate);
    t = await createTestApp({
      rpc: new FakeIdentityRealRest(identity, new AmqpBackendRpc(client, new GatewayMetrics(), 5_000)),
    });
  }, 60_000);
  afterAll(async () => {
    await t?.app.close();
    await accounts?.close();
    await kit?.close();
  });

  /** A clinic account with money in it, and the token of a practitioner who is a member of it. */
  async function memberClinic(state: Parameters<AccountsKit['account']>[0]) {
    const clinicId = await kit.account(state);
    const member = `member-of-${clinicId}`;
    PRINCIPALS[member] = principal('practitioner', { clinicIds: [clinicId] });
    return { clinicId, member };
  }

  it("reads a clinic's balance, credit and what is available as decimal strings", async () => {
    const { clinicId, member } = await memberClinic({ balanceCents: 12_345, creditLimitCents: 50_000 });
    const res = await http().get(`/api/v1/clinic-accounts/${clinicId}`).set(as(member));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      clinicId,
      balance: '123.45',
      creditLimit: '500.00',
      usedCredit: '0.00',
      available: '623.45',
      currency: 'NZD',
      status: 'active',
    });
  });

  it('moves money once per Idempotency-Key: the same body answers the first response again, another body 409', async () => {
    const { clinicId, member } = await memberClinic({ balanceCents: 10_000 });
    const path = `/api/v1/admin/clinic-accounts/${clinicId}/adjustments`;
    const key = randomUUID();
    const adjust = (body: object) =>
      http().post(path).set(as('admin-token')).set('Idempotency-Key', key).send(body);

    const first = await adjust({ amount: '-12.50', reason: 'duplicate top-up reversed' });
    expect(first.status).toBe(201);
    expect(first.body.data).toMatchObject({ type: 'adjustment', amount: '-12.50', balanceAfter: '87.50' });
    // "12.5" is the same amount in other words: the same request.
    const again = await adjust({ amount: '-12.5', reason: 'duplicate top-up reversed' });
    expect([again.status, again.body.data]).toEqual([201, first.body.data]);
    const other = await adjust({ amount: '-20.00', reason: 'duplicate top-up reversed' });
    expect([other.status, other.body.error.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);

    expect(await kit.books(clinicId)).toMatchObject({
      balanceCents: 8_750,
      ledgerSumCents: 8_750,
      entries: 2,
    });
    const ledger = await http().get(`/api/v1/clinic-accounts/${clinicId}/ledger`).set(as(member));
    expect(ledger.body.data.map((e: { amount: string }) => e.amount)).toEqual(['-12.50', '100.00']);
    expect(ledger.body.meta.pagination).toMatchObject({ total: 2, page: 1 });
  });

  it('credits a top-up once from a Stripe-signed webhook verified end to end on the raw bytes', async () => {
    const { clinicId, member } = await memberClinic({});
    const intent = await http()
      .post(`/api/v1/clinic-accounts/${clinicId}/recharge-intent`)
      .set(as(member))
      .set('Idempotency-Key', randomUUID())
      .send({ amount: '250.00' });
    expect(intent.status).toBe(200);
    expect(intent.body.data).toMatchObject({ amount: '250.00', currency: 'NZD' });
    const { paymentIntentId } = intent.body.data as { paymentIntentId: string };
    const [topUp] = await kit.sql<{ id: string }>(`SELECT id FROM top_up WHERE payment_intent_id = $1`, [
      paymentIntentId,
    ]);

    // Pretty-printed like Stripe's own deliveries: verification must use these bytes, not a re-serialisation.
    const rawBody = JSON.stringify(
      {
        id: `evt_${randomUUID().replace(/-/g, '')}`,
        object: 'event',
        type: 'payment_intent.succeeded',
        data: {
          object: {
            id: paymentIntentId,
            object: 'payment_intent',
            amount: 25_000,
            amount_received: 25_000,
            currency: 'nzd',
            status: 'succeeded',
            metadata: { clinicId, topUpId: topUp.id },
          },
        },
      },
      null,
      2,
    );
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: rawBody, secret: WEBHOOK_SECRET });
    const deliver = (body: string, sig = signature) =>
      http()
        .post('/api/v1/payments/webhook')
        .set('Content-Type', 'application/json; charset=utf-8')
        .set('Stripe-Signature', sig)
        .send(body);

    const forged = await deliver(rawBody.replace('25000', '99999'));
    expect([forged.status, forged.body.error.details]).toEqual([400, { reason: 'signature_invalid' }]);
    const wrongSecret = await deliver(
      rawBody,
      Stripe.webhooks.generateTestHeaderString({ payload: rawBody, secret: 'whsec_someone_else' }),
    );
    expect(wrongSecret.status).toBe(400);

    const first = await deliver(rawBody);
    expect([first.status, first.body.data]).toEqual([200, { received: true, duplicate: false }]);
    const replay = await deliver(rawBody);
    expect([replay.status, replay.body.data]).toEqual([200, { received: true, duplicate: true }]);

    const account = await http().get(`/api/v1/clinic-accounts/${clinicId}`).set(as(member));
    expect(account.body.data).toMatchObject({ balance: '250.00', available: '250.00' });
    expect(await kit.books(clinicId)).toMatchObject({
      balanceCents: 25_000,
      ledgerSumCents: 25_000,
      entries: 1,
    });
  });
});
