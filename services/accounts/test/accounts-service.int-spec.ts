/**
 * The accounts process as main.ts wires it, over the real RabbitMQ: commands and events in through
 * the transport (acked after commit, deduplicated by the inbox), outcomes out through the outbox
 * relay, and the gateway's RPCs answered with contract shapes and catalogue codes.
 */
import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import {
  ACCOUNTS_RPC,
  ClinicAccountViewSchema,
  ClinicCreatedV1,
  DebitRequestedV1,
  type Envelope,
  OrderFulfilledV1,
  PingReplySchema,
  RPC,
  RechargeIntentViewSchema,
  RefundRequestedV1,
  SettlementViewSchema,
} from '@prescriptchain/contracts';
import { AmqpRpcClient } from '@prescriptchain/messaging';
import Stripe from 'stripe';
import { eventually } from '../../../test/support/infra';
import {
  ADMIN_ID,
  type AccountsKit,
  WEBHOOK_SECRET,
  asAdmin,
  asMember,
  asOperator,
  brokerProbe,
  createAccountsKit,
  quiet,
  startAccountsService,
} from './accounts-test-kit';

describe('the accounts service over RabbitMQ', () => {
  let kit: AccountsKit;
  let app: INestMicroservice;
  let probe: Awaited<ReturnType<typeof brokerProbe>>;
  let rpc: AmqpRpcClient;

  beforeAll(async () => {
    kit = await createAccountsKit('accounts_service');
    app = await startAccountsService(kit, { sandboxSettleMs: 50 });
    probe = await brokerProbe(kit.vhost.url);
    rpc = new AmqpRpcClient({ url: kit.vhost.url, name: 'gateway', logger: quiet });
    await rpc.connect();
  });
  afterAll(async () => {
    await rpc?.close();
    await probe?.close();
    await app?.close();
    await kit?.close();
  });

  const call = <T>(pattern: string, data: unknown) => rpc.call<T>(pattern, data, { deadlineMs: 5000 });
  const consumed = async () => PingReplySchema.parse(await call(RPC.ping('accounts'), {})).messaging.consumed;
  const captured = (type: string, orderId?: string) =>
    probe.captured.filter(
      (e) => e.type === type && (!orderId || (e.payload as { orderId?: string }).orderId === orderId),
    );
  const codeOf = async (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (e: { code?: string }) => e.code,
    );

  it('opens a clinic account on identity.clinic.created, once however often it is delivered', async () => {
    const clinicId = randomUUID();
    const before = await consumed();
    const first = await probe.publish(ClinicCreatedV1.type, { clinicId, name: 'Harmony TCM', ownerId: null });
    await probe.publish(ClinicCreatedV1.type, first.payload, { messageId: first.messageId }); // a redelivery
    await probe.publish(ClinicCreatedV1.type, first.payload); // the same fact, another message
    await eventually(async () => (await consumed()) >= before + 3);

    const account = ClinicAccountViewSchema.parse(await call(ACCOUNTS_RPC.getAccount, { caller: asAdmin(), clinicId }));
    expect(account).toMatchObject({
      clinicId,
      balanceCents: 0,
      creditLimitCents: 0,
      usedCreditCents: 0,
      status: 'active',
    });
    expect(await kit.sql(`SELECT 1 FROM clinic_account WHERE clinic_id = $1`, [clinicId])).toHaveLength(1);
  });

  it('debits an order once for a redelivered command and for a second command for the same order', async () => {
    const clinicId = await kit.account({ balanceCents: 10_000, creditLimitCents: 5_000 });
    const orderId = randomUUID();
    const command = await probe.publish(DebitRequestedV1.type, { orderId, clinicId, amountCents: 12_000 });
    await eventually(() => captured('accounts.debit.succeeded', orderId).length === 1);

    const before = await consumed();
    await probe.publish(DebitRequestedV1.type, command.payload, { messageId: command.messageId });
    const second = await probe.publish(DebitRequestedV1.type, command.payload);
    await eventually(async () => (await consumed()) >= before + 2);
    await eventually(() => captured('accounts.debit.succeeded', orderId).length === 2);

    expect(await kit.books(clinicId)).toMatchObject({
      balanceCents: 0,
      usedCreditCents: 2_000,
      ledgerSumCents: -2_000,
    });
    expect(await kit.sql(`SELECT 1 FROM ledger_entry WHERE order_id = $1`, [orderId])).toHaveLength(1);
    const [original, repeated] = captured('accounts.debit.succeeded', orderId) as Envelope<any>[];
    expect(original).toMatchObject({ causationId: command.messageId, correlationId: command.correlationId });
    expect(repeated).toMatchObject({ causationId: second.messageId });
    expect(repeated.payload).toEqual(original.payload);
    expect(original.payload).toEqual({
      orderId,
      clinicId,
      amountCents: 12_000,
      fromBalanceCents: 10_000,
      fromCreditCents: 2_000,
    });
  });

  it('refuses a debit that arrives after its order was refunded (ORDER_CANCELLED)', async () => {
    const clinicId = await kit.account({ balanceCents: 10_000 });
    const orderId = randomUUID();
    await probe.publish(RefundRequestedV1.type, { orderId, clinicId, reason: 'saga timeout' });
    await eventually(() => captured('accounts.refund.completed', orderId).length === 1);
    expect(captured('accounts.refund.completed', orderId)[0].payload).toMatchObject({ amountCents: 0 });

    await probe.publish(DebitRequestedV1.type, { orderId, clinicId, amountCents: 3_000 });
    await eventually(() => captured('accounts.debit.rejected', orderId).length === 1);

    expect(captured('accounts.debit.rejected', orderId)[0].payload).toEqual({
      orderId,
      clinicId,
      amountCents: 3_000,
      reason: 'ORDER_CANCELLED',
    });
    expect((await kit.books(clinicId)).balanceCents).toBe(10_000);
  });

  it('opens one settlement per fulfilled order and announces it once', async () => {
    const payload = {
      orderId: randomUUID(),
      clinicId: randomUUID(),
      pharmacyId: randomUUID(),
      payoutCents: 4_321,
      fulfilledAt: new Date().toISOString(),
    };
    const before = await consumed();
    await probe.publish(OrderFulfilledV1.type, payload);
    await probe.publish(OrderFulfilledV1.type, payload);
    await eventually(async () => (await consumed()) >= before + 2);
    await eventually(() => captured('accounts.settlement.opened', payload.orderId).length === 1);

    expect(
      await kit.sql(`SELECT amount::text FROM settlement WHERE order_id = $1`, [payload.orderId]),
    ).toEqual([{ amount: '43.21' }]);
    // Give a (wrong) second announcement the time to show up before asserting there is none.
    await new Promise((r) => setTimeout(r, 300));
    expect(captured('accounts.settlement.opened', payload.orderId)).toHaveLength(1);
  });

  it('answers RPCs with catalogue codes: NOT_FOUND, VALIDATION_FAILED with details', async () => {
    expect(await codeOf(call(ACCOUNTS_RPC.getAccount, { caller: asAdmin(), clinicId: randomUUID() }))).toBe('NOT_FOUND');
    const invalid: any = await call(ACCOUNTS_RPC.adjust, {
      clinicId: randomUUID(),
      amountCents: 1.5,
      reason: '',
      caller: asAdmin(ADMIN_ID),
      idempotencyKey: 'k',
    }).catch((e) => e);
    expect(invalid).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(invalid.details.map((d: { path: string }) => d.path).sort()).toEqual(['amountCents', 'reason']);
  });

  it('tops up through a recharge intent: the sandbox pays and settles through the webhook use case', async () => {
    const clinicId = await kit.account();
    const intent = RechargeIntentViewSchema.parse(
      await call(ACCOUNTS_RPC.createRechargeIntent, {
        clinicId,
        amountCents: 15_000,
        idempotencyKey: randomUUID(),
        caller: asMember(clinicId),
      }),
    );

    await eventually(() =>
      probe.captured.some(
        (e) =>
          e.type === 'accounts.topup.completed' &&
          (e.payload as any).paymentIntentId === intent.paymentIntentId,
      ),
    );
    expect(ClinicAccountViewSchema.parse(await call(ACCOUNTS_RPC.getAccount, { caller: asMember(clinicId), clinicId }))).toMatchObject({
      balanceCents: 15_000,
      availableCents: 15_000,
    });
  });

  it('refuses a forged webhook delivery and acknowledges a replayed one as a duplicate', async () => {
    const clinicId = await kit.account();
    const intent = RechargeIntentViewSchema.parse(
      await call(ACCOUNTS_RPC.createRechargeIntent, {
        clinicId,
        amountCents: 2_000,
        idempotencyKey: randomUUID(),
        caller: asMember(clinicId),
      }),
    );
    await eventually(async () => (await kit.books(clinicId)).balanceCents === 2_000);
    const [row] = await kit.prisma.sandboxPaymentIntent.findMany({ where: { id: intent.paymentIntentId } });
    const replay = kit.sandbox.signedSucceededEvent({
      id: row.id,
      amount: row.amount.toFixed(2),
      currency: row.currency,
      metadata: row.metadata as Record<string, string>,
      event_id: row.eventId,
      created_at: row.createdAt,
    });
    const forged = Stripe.webhooks.generateTestHeaderString({
      payload: replay.rawBody,
      secret: `${WEBHOOK_SECRET}_not`,
    });

    expect(
      await codeOf(call(ACCOUNTS_RPC.handleWebhook, { rawBody: replay.rawBody, signature: forged })),
    ).toBe('UNAUTHENTICATED');
    expect(await call(ACCOUNTS_RPC.handleWebhook, replay)).toEqual({ received: true, duplicate: true });
    expect((await kit.books(clinicId)).balanceCents).toBe(2_000);
  });

  describe("scoped by the caller every request carries, whoever sends it", () => {
    it("answers a clinic's account, ledger and top-ups to its members and the admins, and NOT_FOUND to anyone else", async () => {
      const clinicId = await kit.account();
      const stranger = asMember(await kit.account()); // a member of another clinic
      const operator = asOperator(randomUUID());
      const asks = (caller: unknown) => [
        call(ACCOUNTS_RPC.getAccount, { caller, clinicId }),
        call(ACCOUNTS_RPC.listLedger, { caller, clinicId, page: 1, limit: 5 }),
        call(ACCOUNTS_RPC.createRechargeIntent, { caller, clinicId, amountCents: 1_000, idempotencyKey: randomUUID() }),
        call(ACCOUNTS_RPC.createQrSession, { caller, clinicId, amountCents: 1_000, method: 'alipay', idempotencyKey: randomUUID() }),
      ];
      for (const outsider of [stranger, operator])
        expect(await Promise.all(asks(outsider).map(codeOf))).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
      for (const insider of [asMember(clinicId), asAdmin()])
        expect(await Promise.all(asks(insider).map(codeOf))).toEqual(['ok', 'ok', 'ok', 'ok']);
      // Nothing was started for the outsiders: only the insiders' two top-ups and two QR sessions exist.
      expect(await kit.sql(`SELECT 1 FROM top_up WHERE clinic_id = $1`, [clinicId])).toHaveLength(2);
      expect(await kit.sql(`SELECT 1 FROM payment_session WHERE clinic_id = $1`, [clinicId])).toHaveLength(2);
    });

    it("answers a clinic's payment session, its QR and its cancel to its members only (another's is NOT_FOUND)", async () => {
      const clinicId = await kit.account();
      const member = asMember(clinicId);
      const session = (await call(ACCOUNTS_RPC.createQrSession, {
        caller: member,
        clinicId,
        amountCents: 2_500,
        method: 'wechat',
        idempotencyKey: randomUUID(),
      })) as { sessionId: string };
      const stranger = asMember(await kit.account());
      for (const pattern of [ACCOUNTS_RPC.getPaymentSession, ACCOUNTS_RPC.paymentSessionQrPng, ACCOUNTS_RPC.cancelPaymentSession])
        expect(await codeOf(call(pattern, { caller: stranger, sessionId: session.sessionId }))).toBe('NOT_FOUND');
      expect(await call(ACCOUNTS_RPC.getPaymentSession, { caller: member, sessionId: session.sessionId })).toMatchObject({ status: 'pending' });
      expect(await call(ACCOUNTS_RPC.cancelPaymentSession, { caller: member, sessionId: session.sessionId })).toMatchObject({ status: 'cancelled' });
    });

    it('lets only an admin adjust a balance, change a credit line or list and pay settlements (INSUFFICIENT_PERMISSIONS otherwise)', async () => {
      const clinicId = await kit.account();
      const pharmacyId = randomUUID();
      const { settlementId } = await kit.openSettlement.execute({ orderId: randomUUID(), clinicId, pharmacyId, payoutCents: 500 });
      const adminOnly = (caller: unknown) => [
        call(ACCOUNTS_RPC.adjust, { caller, clinicId, amountCents: 1_000, reason: 'top-up by bank transfer', idempotencyKey: randomUUID() }),
        call(ACCOUNTS_RPC.updateAccount, { caller, clinicId, creditLimitCents: 50_000 }),
        call(ACCOUNTS_RPC.listSettlements, { caller, page: 1, limit: 5 }),
        call(ACCOUNTS_RPC.markSettlementPaid, { caller, settlementId, idempotencyKey: randomUUID() }),
      ];
      for (const notAdmin of [asMember(clinicId), asOperator(pharmacyId)])
        expect(await Promise.all(adminOnly(notAdmin).map(codeOf))).toEqual(Array(4).fill('1003'));
      expect(await kit.books(clinicId)).toMatchObject({ balanceCents: 0, entries: 0 });
      expect(await Promise.all(adminOnly(asAdmin()).map(codeOf))).toEqual(['ok', 'ok', 'ok', 'ok']);
    });

    it("shows a pharmacy's settlements to its operator and the admins, NOT_FOUND to another pharmacy's or a clinic member", async () => {
      const pharmacyId = randomUUID();
      await kit.openSettlement.execute({ orderId: randomUUID(), clinicId: randomUUID(), pharmacyId, payoutCents: 700 });
      const ask = (caller: unknown) => call(ACCOUNTS_RPC.pharmacySettlements, { caller, pharmacyId, page: 1, limit: 5 });
      expect(await codeOf(ask(asOperator(randomUUID())))).toBe('NOT_FOUND');
      expect(await codeOf(ask(asMember(randomUUID())))).toBe('NOT_FOUND');
      expect(await ask(asOperator(pharmacyId))).toMatchObject({ totals: { pendingCents: 700, pendingCount: 1 } });
      expect(await ask(asAdmin())).toMatchObject({ totals: { pendingCents: 700 } });
    });

    it('refuses a request without a caller (VALIDATION_FAILED), whatever else it says', async () => {
      const clinicId = await kit.account();
      const invalid: any = await call(ACCOUNTS_RPC.getAccount, { clinicId }).catch((e) => e);
      expect(invalid).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(invalid.details.map((d: { path: string }) => d.path)).toContain('caller');
    });
  });

  it('marks a settlement paid over RPC, idempotently, and announces it once', async () => {
    const { settlementId } = await kit.openSettlement.execute({
      orderId: randomUUID(),
      clinicId: randomUUID(),
      pharmacyId: randomUUID(),
      payoutCents: 800,
    });
    const request = { settlementId, reference: 'BNZ-1', idempotencyKey: randomUUID(), caller: asAdmin(ADMIN_ID) };

    const paid = SettlementViewSchema.parse(await call(ACCOUNTS_RPC.markSettlementPaid, request));
    expect(await call(ACCOUNTS_RPC.markSettlementPaid, request)).toEqual(paid);

    await eventually(() =>
      probe.captured.some(
        (e) => e.type === 'accounts.settlement.paid' && (e.payload as any).settlementId === settlementId,
      ),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(
      probe.captured.filter(
        (e) => e.type === 'accounts.settlement.paid' && (e.payload as any).settlementId === settlementId,
      ),
    ).toHaveLength(1);
  });
});
