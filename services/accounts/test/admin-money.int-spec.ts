/**
 * What admins do with money, on the real database: signed adjustments and settlement payments,
 * both idempotent by key; credit limits and suspension; settlements opened once per fulfilled order.
 */
import { randomUUID } from 'node:crypto';
import { SettlementOpenedV1, SettlementPaidV1 } from '@prescriptchain/contracts';
import { ADMIN_ID, type AccountsKit, createAccountsKit, errorKey, asAdmin, asMember, asOperator } from './accounts-test-kit';

describe('admin adjustments and account settings', () => {
  let kit: AccountsKit;
  beforeAll(async () => {
    kit = await createAccountsKit('accounts_admin');
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('records a signed adjustment with who made it and why', async () => {
    const clinicId = await kit.account({ balanceCents: 1000 });
    const entry = await kit.adjust.execute({
      clinicId,
      amountCents: -250,
      reason: 'bank fee',
      caller: asAdmin(ADMIN_ID),
      idempotencyKey: randomUUID(),
    });
    expect(entry).toMatchObject({
      type: 'adjustment',
      amountCents: -250,
      balanceAfterCents: 750,
      actorId: ADMIN_ID,
      reason: 'bank fee',
    });
    expect(await kit.books(clinicId)).toMatchObject({ balanceCents: 750, ledgerSumCents: 750 });
  });

  it('answers the same key and body with the first entry again, moving money once', async () => {
    const clinicId = await kit.account();
    const request = {
      clinicId,
      amountCents: 5000,
      reason: 'opening credit',
      caller: asAdmin(ADMIN_ID),
      idempotencyKey: randomUUID(),
    };

    const first = await kit.adjust.execute(request);
    const again = await kit.adjust.execute(request);

    expect(again).toEqual(first);
    expect(await kit.books(clinicId)).toMatchObject({ balanceCents: 5000, entries: 1 });
  });

  it('refuses the same key with another body (IDEMPOTENCY_KEY_REUSED)', async () => {
    const clinicId = await kit.account();
    const idempotencyKey = randomUUID();
    await kit.adjust.execute({
      clinicId,
      amountCents: 5000,
      reason: 'opening credit',
      caller: asAdmin(ADMIN_ID),
      idempotencyKey,
    });

    expect(
      await errorKey(
        kit.adjust.execute({
          clinicId,
          amountCents: 6000,
          reason: 'opening credit',
          caller: asAdmin(ADMIN_ID),
          idempotencyKey,
        }),
      ),
    ).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await kit.books(clinicId)).balanceCents).toBe(5000);
  });

  it('moves money once when the same request races itself', async () => {
    const clinicId = await kit.account();
    const request = {
      clinicId,
      amountCents: 700,
      reason: 'goodwill',
      caller: asAdmin(ADMIN_ID),
      idempotencyKey: randomUUID(),
    };

    const answers = await Promise.all(Array.from({ length: 8 }, () => kit.adjust.execute(request)));

    expect(new Set(answers.map((a) => a.id)).size).toBe(1);
    expect(await kit.books(clinicId)).toMatchObject({ balanceCents: 700, entries: 1 });
  });

  it('refuses an adjustment that would take the balance below zero, and the key stays usable', async () => {
    const clinicId = await kit.account({ balanceCents: 100, creditLimitCents: 10_000 });
    const idempotencyKey = randomUUID();
    expect(
      await errorKey(
        kit.adjust.execute({ clinicId, amountCents: -101, reason: 'x', caller: asAdmin(ADMIN_ID), idempotencyKey }),
      ),
    ).toBe('INSUFFICIENT_FUNDS');
    expect(await kit.books(clinicId)).toMatchObject({ balanceCents: 100, usedCreditCents: 0 });
    expect(
      (
        await kit.adjust.execute({
          clinicId,
          amountCents: -100,
          reason: 'x',
          caller: asAdmin(ADMIN_ID),
          idempotencyKey,
        })
      ).balanceAfterCents,
    ).toBe(0);
  });

  it('refuses an adjustment for a clinic without an account', async () => {
    expect(
      await errorKey(
        kit.adjust.execute({
          clinicId: randomUUID(),
          amountCents: 100,
          reason: 'x',
          caller: asAdmin(ADMIN_ID),
          idempotencyKey: randomUUID(),
        }),
      ),
    ).toBe('NOT_FOUND');
  });

  it('sets the credit limit (never below the credit in use) and suspends and reactivates the account', async () => {
    const clinicId = await kit.account();
    expect(
      await kit.updateAccount.execute({ clinicId, creditLimitCents: 20_000, caller: asAdmin(ADMIN_ID) }),
    ).toMatchObject({
      creditLimitCents: 20_000,
      availableCents: 20_000,
    });
    await kit.debit.execute({ orderId: randomUUID(), clinicId, amountCents: 15_000 });
    expect(
      await errorKey(kit.updateAccount.execute({ clinicId, creditLimitCents: 14_999, caller: asAdmin(ADMIN_ID) })),
    ).toBe('VALIDATION_FAILED');

    expect(
      await kit.updateAccount.execute({ clinicId, status: 'suspended', caller: asAdmin(ADMIN_ID) }),
    ).toMatchObject({ status: 'suspended' });
    expect(await kit.debit.execute({ orderId: randomUUID(), clinicId, amountCents: 100 })).toEqual({
      outcome: 'rejected',
      reason: 'ACCOUNT_SUSPENDED',
    });
    await kit.updateAccount.execute({ clinicId, status: 'active', caller: asAdmin(ADMIN_ID) });
    expect(await kit.debit.execute({ orderId: randomUUID(), clinicId, amountCents: 100 })).toMatchObject({
      outcome: 'debited',
    });
  });

  it('pages the ledger newest first', async () => {
    const clinicId = await kit.account({ balanceCents: 1000 });
    for (const cents of [100, 200, 300]) {
      await kit.adjust.execute({
        clinicId,
        amountCents: cents,
        reason: `r${cents}`,
        caller: asAdmin(ADMIN_ID),
        idempotencyKey: randomUUID(),
      });
    }
    const page = await kit.listLedger.execute({ caller: asMember(clinicId), clinicId, page: 1, limit: 2 });
    expect(page.items.map((e) => e.amountCents)).toEqual([300, 200]);
    expect(page.pagination).toEqual({
      page: 1,
      limit: 2,
      total: 4,
      totalPages: 2,
      hasNext: true,
      hasPrev: false,
    });
    expect(
      (await kit.listLedger.execute({ caller: asMember(clinicId), clinicId, page: 2, limit: 2 })).items.map((e) => e.amountCents),
    ).toEqual([100, 1000]);
  });
});

describe('pharmacy settlements', () => {
  let kit: AccountsKit;
  const pharmacyId = randomUUID();
  beforeAll(async () => {
    kit = await createAccountsKit('accounts_settlements');
  });
  afterAll(async () => {
    await kit?.close();
  });

  const fulfilled = (orderId = randomUUID(), payoutCents = 5230) => ({
    orderId,
    clinicId: randomUUID(),
    pharmacyId,
    payoutCents,
  });
  const msg = () => ({
    messageId: randomUUID(),
    type: 'orders.order.fulfilled',
    correlationId: randomUUID(),
  });

  it('opens one settlement per fulfilled order, whatever the deliveries', async () => {
    const order = fulfilled();
    const first = await kit.openSettlement.execute(order, msg());
    const again = await kit.openSettlement.execute(order, msg()); // the same fact, another message

    expect(first).toEqual({ opened: true, settlementId: expect.any(String) });
    expect(again).toEqual({ opened: false, settlementId: null });
    expect(
      await kit.sql(`SELECT status, amount::text FROM settlement WHERE order_id = $1`, [order.orderId]),
    ).toEqual([{ status: 'pending_payment', amount: '52.30' }]);
    const opened = (await kit.published(SettlementOpenedV1.type)).filter(
      (e) => e.payload.orderId === order.orderId,
    );
    expect(opened.map((e) => e.payload)).toEqual([
      { settlementId: first.settlementId, orderId: order.orderId, pharmacyId, amountCents: 5230 },
    ]);
  });

  it('marks a settlement paid once: the same key answers again, accounts.settlement.paid goes out once', async () => {
    const { settlementId } = await kit.openSettlement.execute(fulfilled());
    const request = {
      settlementId: settlementId!,
      reference: 'ANZ-20261122-0001',
      idempotencyKey: randomUUID(),
      caller: asAdmin(ADMIN_ID),
    };

    const paid = await kit.markPaid.execute(request);
    expect(await kit.markPaid.execute(request)).toEqual(paid);

    expect(paid).toMatchObject({
      id: settlementId,
      status: 'paid',
      reference: 'ANZ-20261122-0001',
      paidAt: expect.any(String),
    });
    const events = (await kit.published(SettlementPaidV1.type)).filter(
      (e) => e.payload.settlementId === settlementId,
    );
    expect(events.map((e) => e.payload)).toEqual([
      expect.objectContaining({
        settlementId,
        pharmacyId,
        amountCents: 5230,
        reference: 'ANZ-20261122-0001',
        paidAt: paid.paidAt,
      }),
    ]);
  });

  it('refuses to pay a paid settlement under a new key, and a reused key with another reference', async () => {
    const { settlementId } = await kit.openSettlement.execute(fulfilled());
    const idempotencyKey = randomUUID();
    await kit.markPaid.execute({
      settlementId: settlementId!,
      reference: 'A',
      idempotencyKey,
      caller: asAdmin(ADMIN_ID),
    });

    expect(
      await errorKey(
        kit.markPaid.execute({
          settlementId: settlementId!,
          reference: 'A',
          idempotencyKey: randomUUID(),
          caller: asAdmin(ADMIN_ID),
        }),
      ),
    ).toBe('PAYMENT_ALREADY_PROCESSED');
    expect(
      await errorKey(
        kit.markPaid.execute({
          settlementId: settlementId!,
          reference: 'B',
          idempotencyKey,
          caller: asAdmin(ADMIN_ID),
        }),
      ),
    ).toBe('IDEMPOTENCY_KEY_REUSED');
    const events = (await kit.published(SettlementPaidV1.type)).filter(
      (e) => e.payload.settlementId === settlementId,
    );
    expect(events).toHaveLength(1);
  });

  it('refuses to pay an unknown settlement', async () => {
    expect(
      await errorKey(
        kit.markPaid.execute({ settlementId: randomUUID(), idempotencyKey: randomUUID(), caller: asAdmin(ADMIN_ID) }),
      ),
    ).toBe('NOT_FOUND');
  });

  it('lists by status and pharmacy, and totals what a pharmacy is owed and was paid', async () => {
    const other = randomUUID();
    const p = randomUUID();
    const a = await kit.openSettlement.execute({ ...fulfilled(), pharmacyId: p, payoutCents: 1000 });
    await kit.openSettlement.execute({ ...fulfilled(), pharmacyId: p, payoutCents: 2500 });
    await kit.openSettlement.execute({ ...fulfilled(), pharmacyId: other, payoutCents: 9999 });
    await kit.markPaid.execute({
      settlementId: a.settlementId!,
      idempotencyKey: randomUUID(),
      caller: asAdmin(ADMIN_ID),
    });

    const mine = await kit.pharmacySettlements.execute({ caller: asOperator(p), pharmacyId: p, page: 1, limit: 20 });
    expect(mine.items).toHaveLength(2);
    expect(mine.totals).toEqual({
      pendingCents: 2500,
      paidCents: 1000,
      pendingCount: 1,
      paidCount: 1,
      currency: 'NZD',
    });

    const pendingOfP = await kit.listSettlements.execute({ caller: asAdmin(),
      pharmacyId: p,
      status: 'pending_payment',
      page: 1,
      limit: 20,
    });
    expect(pendingOfP.items.map((s) => s.amountCents)).toEqual([2500]);
    const paid = await kit.listSettlements.execute({ caller: asAdmin(), status: 'paid', page: 1, limit: 100 });
    expect(paid.items.every((s) => s.status === 'paid')).toBe(true);
    expect(paid.items.map((s) => s.id)).toContain(a.settlementId);
  });
});
