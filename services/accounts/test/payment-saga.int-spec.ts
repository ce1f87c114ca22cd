/**
 * Saga step 2 and its compensation against the real database: debits keyed by order id, refunds of
 * exactly what was debited, the ledger always summing to the account, and nothing left behind when
 * the transaction fails after the money moved.
 */
import { randomUUID } from 'node:crypto';
import { DebitRejectedV1, DebitSucceededV1, RefundCompletedV1 } from '@prescriptchain/contracts';
import { type AccountsKit, createAccountsKit, asAdmin, asMember } from './accounts-test-kit';

const message = (type: string) => ({ messageId: randomUUID(), type, correlationId: randomUUID() });

describe('payment saga: debits and refunds', () => {
  let kit: AccountsKit;
  beforeAll(async () => {
    kit = await createAccountsKit('accounts_saga');
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('takes the balance first, then credit, and tells orders how it split', async () => {
    const clinicId = await kit.account({ balanceCents: 5000, creditLimitCents: 10_000 });
    const orderId = randomUUID();
    const cause = message('accounts.debit.requested');

    const outcome = await kit.debit.execute({ orderId, clinicId, amountCents: 8450 }, cause);

    expect(outcome).toEqual({ outcome: 'debited', fromBalanceCents: 5000, fromCreditCents: 3450 });
    expect(await kit.getAccount.execute({ caller: asMember(clinicId), clinicId })).toMatchObject({
      balanceCents: 0,
      usedCreditCents: 3450,
      creditLimitCents: 10_000,
      availableCents: 6550,
    });
    const [succeeded] = (await kit.published(DebitSucceededV1.type)).filter(
      (e) => e.payload.orderId === orderId,
    );
    expect(succeeded).toMatchObject({
      correlationId: cause.correlationId,
      causationId: cause.messageId,
      payload: { orderId, clinicId, amountCents: 8450, fromBalanceCents: 5000, fromCreditCents: 3450 },
    });
    const { items } = await kit.listLedger.execute({ caller: asMember(clinicId), clinicId, page: 1, limit: 10 });
    expect(items[0]).toMatchObject({
      type: 'debit',
      amountCents: -8450,
      balanceAfterCents: 0,
      usedCreditAfterCents: 3450,
      orderId,
    });
    const books = await kit.books(clinicId);
    expect(books.ledgerSumCents).toBe(books.balanceCents - books.usedCreditCents);
  });

  it('refunds credit first, then balance, exactly what was debited', async () => {
    const clinicId = await kit.account({ balanceCents: 5000, creditLimitCents: 10_000 });
    const orderId = randomUUID();
    await kit.debit.execute({ orderId, clinicId, amountCents: 8450 });

    const outcome = await kit.refund.execute(
      { orderId, clinicId, reason: 'cancelled' },
      message('accounts.refund.requested'),
    );

    expect(outcome).toEqual({
      outcome: 'refunded',
      amountCents: 8450,
      toCreditCents: 3450,
      toBalanceCents: 5000,
    });
    expect(await kit.getAccount.execute({ caller: asMember(clinicId), clinicId })).toMatchObject({
      balanceCents: 5000,
      usedCreditCents: 0,
    });
    const [completed] = (await kit.published(RefundCompletedV1.type)).filter(
      (e) => e.payload.orderId === orderId,
    );
    expect(completed.payload).toEqual({
      orderId,
      clinicId,
      amountCents: 8450,
      toCreditCents: 3450,
      toBalanceCents: 5000,
    });
    const books = await kit.books(clinicId);
    expect(books).toMatchObject({
      ledgerSumCents: 5000,
      balanceCents: 5000,
      usedCreditCents: 0,
      last: { balanceCents: 5000, usedCreditCents: 0 },
    });
  });

  it('refunds an order once: a second refund request moves no money and repeats the same completion', async () => {
    const clinicId = await kit.account({ balanceCents: 2000 });
    const orderId = randomUUID();
    await kit.debit.execute({ orderId, clinicId, amountCents: 1500 });
    await kit.refund.execute(
      { orderId, clinicId, reason: 'cancelled' },
      message('accounts.refund.requested'),
    );

    const again = await kit.refund.execute(
      { orderId, clinicId, reason: 'expired' },
      message('accounts.refund.requested'),
    );

    expect(again).toEqual({
      outcome: 'already-refunded',
      amountCents: 1500,
      toCreditCents: 0,
      toBalanceCents: 1500,
    });
    expect((await kit.books(clinicId)).balanceCents).toBe(2000);
    const refunds = await kit.sql(`SELECT 1 FROM ledger_entry WHERE order_id = $1 AND type = 'refund'`, [
      orderId,
    ]);
    expect(refunds).toHaveLength(1);
  });

  it('answers a second debit request for a debited order with the same success and moves no money', async () => {
    const clinicId = await kit.account({ balanceCents: 1000, creditLimitCents: 1000 });
    const orderId = randomUUID();
    await kit.debit.execute({ orderId, clinicId, amountCents: 1500 }, message('accounts.debit.requested'));

    const again = await kit.debit.execute(
      { orderId, clinicId, amountCents: 1500 },
      message('accounts.debit.requested'),
    );

    expect(again).toEqual({ outcome: 'already-debited', fromBalanceCents: 1000, fromCreditCents: 500 });
    expect(await kit.books(clinicId)).toMatchObject({ balanceCents: 0, usedCreditCents: 500 });
    const debits = await kit.sql(`SELECT 1 FROM ledger_entry WHERE order_id = $1 AND type = 'debit'`, [
      orderId,
    ]);
    expect(debits).toHaveLength(1);
  });

  it('ignores a redelivered message (same messageId): no effect, nothing published', async () => {
    const clinicId = await kit.account({ balanceCents: 1000 });
    const orderId = randomUUID();
    const cause = message('accounts.debit.requested');
    await kit.debit.execute({ orderId, clinicId, amountCents: 100 }, cause);
    const before = (await kit.published()).length;

    expect(await kit.debit.execute({ orderId, clinicId, amountCents: 100 }, cause)).toEqual({
      outcome: 'duplicate',
    });
    expect((await kit.published()).length).toBe(before);
  });

  it('refused when a refund came first: a zero refund marks the order and a late debit is ORDER_CANCELLED', async () => {
    const clinicId = await kit.account({ balanceCents: 10_000 });
    const orderId = randomUUID();

    const refunded = await kit.refund.execute(
      { orderId, clinicId, reason: 'saga timeout' },
      message('accounts.refund.requested'),
    );
    expect(refunded).toEqual({ outcome: 'refunded', amountCents: 0, toCreditCents: 0, toBalanceCents: 0 });

    const late = await kit.debit.execute(
      { orderId, clinicId, amountCents: 2500 },
      message('accounts.debit.requested'),
    );

    expect(late).toEqual({ outcome: 'rejected', reason: 'ORDER_CANCELLED' });
    expect((await kit.books(clinicId)).balanceCents).toBe(10_000);
    const [rejected] = (await kit.published(DebitRejectedV1.type)).filter(
      (e) => e.payload.orderId === orderId,
    );
    expect(rejected.payload).toEqual({ orderId, clinicId, amountCents: 2500, reason: 'ORDER_CANCELLED' });
  });

  it.each([
    ['INSUFFICIENT_FUNDS', { balanceCents: 1000, creditLimitCents: 499 }, 1500],
    ['ACCOUNT_SUSPENDED', { balanceCents: 5000, status: 'suspended' as const }, 1500],
  ])('rejects with %s and leaves the account untouched', async (reason, state, amountCents) => {
    const clinicId = await kit.account(state);
    const orderId = randomUUID();
    const before = await kit.books(clinicId);

    expect(await kit.debit.execute({ orderId, clinicId, amountCents })).toEqual({
      outcome: 'rejected',
      reason,
    });

    expect(await kit.books(clinicId)).toEqual(before);
    const [rejected] = (await kit.published(DebitRejectedV1.type)).filter(
      (e) => e.payload.orderId === orderId,
    );
    expect(rejected.payload.reason).toBe(reason);
  });

  it('rejects ACCOUNT_NOT_FOUND for a clinic without an account', async () => {
    const orderId = randomUUID();
    expect(await kit.debit.execute({ orderId, clinicId: randomUUID(), amountCents: 100 })).toEqual({
      outcome: 'rejected',
      reason: 'ACCOUNT_NOT_FOUND',
    });
  });

  it('lets a rejected order be paid on retry once funds arrive (a rejection is not a debit)', async () => {
    const clinicId = await kit.account({ balanceCents: 100 });
    const orderId = randomUUID();
    expect((await kit.debit.execute({ orderId, clinicId, amountCents: 500 })).outcome).toBe('rejected');
    await kit.adjust.execute({
      clinicId,
      amountCents: 400,
      reason: 'goodwill',
      caller: asAdmin(),
      idempotencyKey: randomUUID(),
    });

    expect(await kit.debit.execute({ orderId, clinicId, amountCents: 500 })).toMatchObject({
      outcome: 'debited',
    });
  });

  it('opens an account once per clinic, with nothing in it', async () => {
    const clinicId = randomUUID();
    expect(await kit.openAccount.execute({ clinicId }, message('identity.clinic.created'))).toEqual({
      opened: true,
    });
    expect(await kit.openAccount.execute({ clinicId }, message('identity.clinic.created'))).toEqual({
      opened: false,
    });
    expect(await kit.getAccount.execute({ caller: asMember(clinicId), clinicId })).toMatchObject({
      balanceCents: 0,
      creditLimitCents: 0,
      usedCreditCents: 0,
      availableCents: 0,
      status: 'active',
      currency: 'NZD',
    });
  });

  it('keeps the ledger append-only: the database refuses to rewrite or delete an entry', async () => {
    const clinicId = await kit.account({ balanceCents: 100 });
    await expect(
      kit.sql(`UPDATE ledger_entry SET amount = 1000 WHERE clinic_id = $1`, [clinicId]),
    ).rejects.toThrow(/append-only/);
    await expect(kit.sql(`DELETE FROM ledger_entry WHERE clinic_id = $1`, [clinicId])).rejects.toThrow(
      /append-only/,
    );
  });

  it('refuses a second debit entry for one order at the database too (the business key behind the inbox)', async () => {
    const clinicId = await kit.account({ balanceCents: 1000 });
    const orderId = randomUUID();
    await kit.debit.execute({ orderId, clinicId, amountCents: 100 });
    await expect(
      kit.sql(
        `INSERT INTO ledger_entry (id, clinic_id, type, amount, balance_after, used_credit_after, order_id)
         VALUES ($1, $2, 'debit', -1.00, 0, 0, $3)`,
        [randomUUID(), clinicId, orderId],
      ),
    ).rejects.toThrow(/ledger_entry_debit_order_key/);
  });
});

describe('payment saga: a failure after the money moved leaves nothing behind', () => {
  let kit: AccountsKit;
  let failPublish = false;
  beforeAll(async () => {
    kit = await createAccountsKit('accounts_saga_fault', {
      outbox: (real) => ({
        enqueue: async (tx, m) => {
          if (failPublish) throw new Error('injected: outbox write failed');
          return real.enqueue(tx as never, m as never);
        },
        insertFor: (tx, m, offset) => {
          if (failPublish) throw new Error('injected: outbox write failed');
          return real.insertFor(tx, m as never, offset);
        },
        kick: (committed) => real.kick(committed),
      }),
    });
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('rolls back the debit, the ledger entry and the inbox record together, so a redelivery debits once', async () => {
    const clinicId = await kit.account({ balanceCents: 5000 });
    const orderId = randomUUID();
    const cause = message('accounts.debit.requested');

    failPublish = true;
    await expect(kit.debit.execute({ orderId, clinicId, amountCents: 1200 }, cause)).rejects.toThrow(
      /injected/,
    );
    failPublish = false;

    expect(await kit.books(clinicId)).toMatchObject({ balanceCents: 5000, entries: 1 });
    expect(
      await kit.sql(`SELECT 1 FROM inbox_message WHERE message_id = $1`, [cause.messageId]),
    ).toHaveLength(0);

    // The transport redelivers the same message: it is handled as the first time.
    expect(await kit.debit.execute({ orderId, clinicId, amountCents: 1200 }, cause)).toMatchObject({
      outcome: 'debited',
    });
    expect(await kit.books(clinicId)).toMatchObject({ balanceCents: 3800, ledgerSumCents: 3800 });
  });

  it('rolls back a refund the same way', async () => {
    const clinicId = await kit.account({ balanceCents: 5000 });
    const orderId = randomUUID();
    await kit.debit.execute({ orderId, clinicId, amountCents: 1200 });

    failPublish = true;
    await expect(
      kit.refund.execute({ orderId, clinicId, reason: 'x' }, message('accounts.refund.requested')),
    ).rejects.toThrow(/injected/);
    failPublish = false;

    expect(await kit.books(clinicId)).toMatchObject({ balanceCents: 3800 });
    expect(
      await kit.sql(`SELECT 1 FROM ledger_entry WHERE order_id = $1 AND type = 'refund'`, [orderId]),
    ).toHaveLength(0);
  });
});
