/**
 * Many movements on one account at once: the row lock serialises them, so the account never goes
 * negative or over its credit limit, and the ledger always sums to it.
 */
import { randomUUID } from 'node:crypto';
import { decimalToCents } from '@prescriptchain/contracts';
import { type AccountsKit, createAccountsKit, asAdmin } from './accounts-test-kit';

describe('one account under concurrency', () => {
  let kit: AccountsKit;
  beforeAll(async () => {
    kit = await createAccountsKit('accounts_concurrency');
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('50 concurrent debits against a limited balance: never negative, never over the limit, books balance', async () => {
    // 100.00 balance + 50.00 credit = 150.00 available; 50 debits of 7.00 want 350.00.
    const clinicId = await kit.account({ balanceCents: 10_000, creditLimitCents: 5000 });
    const orders = Array.from({ length: 50 }, () => randomUUID());

    const outcomes = await Promise.all(
      orders.map((orderId) => kit.debit.execute({ orderId, clinicId, amountCents: 700 })),
    );

    const debited = outcomes.filter((o) => o.outcome === 'debited').length;
    const rejected = outcomes.filter(
      (o) => o.outcome === 'rejected' && o.reason === 'INSUFFICIENT_FUNDS',
    ).length;
    expect(debited).toBe(Math.floor(15_000 / 700)); // 21: the 22nd would need 154.00
    expect(rejected).toBe(50 - debited);
    const books = await kit.books(clinicId);
    expect(books.balanceCents).toBe(0);
    expect(books.usedCreditCents).toBe(debited * 700 - 10_000);
    expect(books.usedCreditCents).toBeLessThanOrEqual(books.creditLimitCents);
    expect(books.ledgerSumCents).toBe(books.balanceCents - books.usedCreditCents);
    expect(books.last).toEqual({ balanceCents: books.balanceCents, usedCreditCents: books.usedCreditCents });
  });

  it('the same order requested 20 times at once is debited exactly once', async () => {
    const clinicId = await kit.account({ balanceCents: 10_000 });
    const orderId = randomUUID();

    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () =>
        kit.debit.execute(
          { orderId, clinicId, amountCents: 1000 },
          { messageId: randomUUID(), type: 'accounts.debit.requested', correlationId: orderId },
        ),
      ),
    );

    expect(outcomes.filter((o) => o.outcome === 'debited')).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'already-debited')).toHaveLength(19);
    expect(await kit.books(clinicId)).toMatchObject({ balanceCents: 9000, ledgerSumCents: 9000 });
  });

  it('debits, refunds and adjustments interleaved keep every entry chained and the sum equal to the account', async () => {
    const clinicId = await kit.account({ balanceCents: 3000, creditLimitCents: 4000 });
    const orders = Array.from({ length: 15 }, () => randomUUID());
    const admin = randomUUID();

    await Promise.all([
      ...orders.map((orderId) => kit.debit.execute({ orderId, clinicId, amountCents: 650 })),
      ...orders.slice(0, 8).map((orderId) => kit.refund.execute({ orderId, clinicId, reason: 'cancelled' })),
      ...Array.from(
        { length: 5 },
        (_, i) =>
          kit.adjust
            .execute({
              clinicId,
              amountCents: i % 2 ? -200 : 300,
              reason: 'correction',
              caller: asAdmin(admin),
              idempotencyKey: randomUUID(),
            })
            .catch(() => undefined), // a negative one may find the balance empty: refused, not partial
      ),
    ]);

    const books = await kit.books(clinicId);
    expect(books.balanceCents).toBeGreaterThanOrEqual(0);
    expect(books.usedCreditCents).toBeGreaterThanOrEqual(0);
    expect(books.usedCreditCents).toBeLessThanOrEqual(books.creditLimitCents);
    expect(books.ledgerSumCents).toBe(books.balanceCents - books.usedCreditCents);
    expect(books.last).toEqual({ balanceCents: books.balanceCents, usedCreditCents: books.usedCreditCents });

    // Every entry's after-values follow from the one before it and its amount.
    const entries = await kit.sql<{ amount: string; balance_after: string; used_credit_after: string }>(
      `SELECT amount::text, balance_after::text, used_credit_after::text FROM ledger_entry WHERE clinic_id = $1 ORDER BY seq`,
      [clinicId],
    );
    let net = 0;
    for (const e of entries) {
      net += decimalToCents(e.amount);
      expect(decimalToCents(e.balance_after) - decimalToCents(e.used_credit_after)).toBe(net);
    }
  });
});
