/**
 * The debit's own transaction on the real database (PrismaAccountsStore.debitTransaction): the
 * claim + lock statement and the one statement that records a debit.
 */
import { randomUUID } from 'node:crypto';
import { DebitSucceededV1 } from '@prescriptchain/contracts';
import { eventually } from '../../../test/support/infra';
import type { IncomingMessage } from '../src/application/ports/accounts-store';
import { type AccountsKit, createAccountsKit } from './accounts-test-kit';

const consumer = 'accounts.debit-order';
const message = (): IncomingMessage => ({
  messageId: randomUUID(),
  type: 'accounts.debit.requested',
  correlationId: randomUUID(),
});

describe('accounts store: the debit transaction', () => {
  let kit: AccountsKit;
  beforeAll(async () => {
    kit = await createAccountsKit('accounts_debit_tx');
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('claims the message and locks the account in one go; a redelivery claims nothing and gets no account', async () => {
    const clinicId = await kit.account({ balanceCents: 2500, creditLimitCents: 1000 });
    const cause = message();

    const first = await kit.store.debitTransaction((tx) =>
      tx.claimAndLockAccount(clinicId, { consumer, message: cause }),
    );
    expect(first.claimed).toBe(true);
    expect(first.account?.snapshot()).toEqual({
      clinicId,
      balanceCents: 2500,
      creditLimitCents: 1000,
      usedCreditCents: 0,
      status: 'active',
    });
    expect(
      await kit.sql(`SELECT 1 FROM inbox_message WHERE consumer = $1 AND message_id = $2`, [
        consumer,
        cause.messageId,
      ]),
    ).toHaveLength(1);

    const again = await kit.store.debitTransaction((tx) =>
      tx.claimAndLockAccount(clinicId, { consumer, message: cause }),
    );
    expect(again).toEqual({ claimed: false, account: null });

    const unknown = await kit.store.debitTransaction((tx) =>
      tx.claimAndLockAccount(randomUUID(), { consumer, message: message() }),
    );
    expect(unknown).toEqual({ claimed: true, account: null });
  });

  it('holds the account row lock until the transaction ends: a second debit transaction waits for it', async () => {
    const clinicId = await kit.account({ balanceCents: 1000 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));

    const holder = kit.store.debitTransaction(async (tx) => {
      await tx.claimAndLockAccount(clinicId);
      locked();
      await gate;
    });
    // Whatever the assertions below do, the holder ends (so the suite can close).
    const timer = setTimeout(release, 20_000);
    await isLocked;
    const order: string[] = [];
    const waiter = kit.store
      .debitTransaction((tx) => tx.claimAndLockAccount(clinicId, { consumer, message: message() }))
      .then((r) => {
        order.push('waiter');
        return r;
      });

    // The waiter is blocked on a lock in PostgreSQL (not merely not yet scheduled).
    await eventually(async () => {
      const waiting = await kit.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE a.datname = current_database() AND NOT l.granted`,
      );
      return waiting[0].n > 0;
    });
    order.push('holder');
    release();
    clearTimeout(timer);
    await holder;
    expect((await waiter).claimed).toBe(true);
    expect(order).toEqual(['holder', 'waiter']);
  });

  it('records a debit in one statement: the account, its ledger entry and the outgoing message', async () => {
    const clinicId = await kit.account({ balanceCents: 1000, creditLimitCents: 5000 });
    const orderId = randomUUID();
    const cause = message();

    const written = await kit.store.debitTransaction(async (tx) => {
      const { account } = await tx.claimAndLockAccount(clinicId, { consumer, message: cause });
      const { split, ...entry } = account!.debit(1500);
      return tx.recordDebit(
        account!,
        { ...entry, clinicId, orderId },
        {
          definition: DebitSucceededV1,
          payload: {
            orderId,
            clinicId,
            amountCents: 1500,
            fromBalanceCents: split.balanceCents,
            fromCreditCents: split.creditCents,
          },
          cause,
        },
      );
    });

    expect(written).toBe(true);
    expect(await kit.books(clinicId)).toEqual({
      balanceCents: 0,
      usedCreditCents: 500,
      creditLimitCents: 5000,
      ledgerSumCents: -500,
      entries: 2,
      last: { balanceCents: 0, usedCreditCents: 500 },
    });
    const [entry] = await kit.sql(
      `SELECT type, amount::text, balance_after::text, used_credit_after::text, order_id, reference, actor_id, reason
         FROM ledger_entry WHERE order_id = $1`,
      [orderId],
    );
    expect(entry).toEqual({
      type: 'debit',
      amount: '-15.00',
      balance_after: '0.00',
      used_credit_after: '5.00',
      order_id: orderId,
      reference: null,
      actor_id: null,
      reason: null,
    });
    const sent = (await kit.published(DebitSucceededV1.type)).filter((e) => e.payload.orderId === orderId);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      correlationId: cause.correlationId,
      causationId: cause.messageId,
      payload: { orderId, clinicId, amountCents: 1500, fromBalanceCents: 1000, fromCreditCents: 500 },
    });
    const [row] = await kit.sql(
      `SELECT exchange, routing_key, type, message_id::text = envelope->>'messageId' AS same_id FROM outbox_message
        WHERE envelope->'payload'->>'orderId' = $1`,
      [orderId],
    );
    expect(row).toEqual({
      exchange: 'prescriptchain.events',
      routing_key: DebitSucceededV1.type,
      type: DebitSucceededV1.type,
      same_id: true,
    });
  });

  it('writes nothing and says false when the order already has a refund (or a debit) entry', async () => {
    const clinicId = await kit.account({ balanceCents: 4000 });
    const orderId = randomUUID();
    await kit.sql(
      `INSERT INTO ledger_entry (id, clinic_id, type, amount, balance_after, used_credit_after, order_id)
       VALUES ($1, $2, 'refund', 0, 40.00, 0, $3)`,
      [randomUUID(), clinicId, orderId],
    );
    const before = await kit.books(clinicId);

    const written = await kit.store.debitTransaction(async (tx) => {
      const { account } = await tx.claimAndLockAccount(clinicId, { consumer, message: message() });
      const { split, ...entry } = account!.debit(700);
      return tx.recordDebit(
        account!,
        { ...entry, clinicId, orderId },
        {
          definition: DebitSucceededV1,
          payload: {
            orderId,
            clinicId,
            amountCents: 700,
            fromBalanceCents: split.balanceCents,
            fromCreditCents: split.creditCents,
          },
        },
      );
    });

    expect(written).toBe(false);
    expect(await kit.books(clinicId)).toEqual(before);
    expect(
      await kit.sql(`SELECT 1 FROM ledger_entry WHERE order_id = $1 AND type = 'debit'`, [orderId]),
    ).toHaveLength(0);
    expect(
      (await kit.published(DebitSucceededV1.type)).filter((e) => e.payload.orderId === orderId),
    ).toHaveLength(0);
  });

  it('rolls everything back, inbox claim included, when the transaction fails after recording', async () => {
    const clinicId = await kit.account({ balanceCents: 4000 });
    const orderId = randomUUID();
    const cause = message();
    const before = await kit.books(clinicId);

    await expect(
      kit.store.debitTransaction(async (tx) => {
        const { account } = await tx.claimAndLockAccount(clinicId, { consumer, message: cause });
        const { split, ...entry } = account!.debit(700);
        await tx.recordDebit(
          account!,
          { ...entry, clinicId, orderId },
          {
            definition: DebitSucceededV1,
            payload: {
              orderId,
              clinicId,
              amountCents: 700,
              fromBalanceCents: split.balanceCents,
              fromCreditCents: split.creditCents,
            },
            cause,
          },
        );
        throw new Error('injected: after the debit statement');
      }),
    ).rejects.toThrow(/injected/);

    expect(await kit.books(clinicId)).toEqual(before);
    expect(
      await kit.sql(`SELECT 1 FROM inbox_message WHERE message_id = $1`, [cause.messageId]),
    ).toHaveLength(0);
    expect(
      (await kit.published(DebitSucceededV1.type)).filter((e) => e.payload.orderId === orderId),
    ).toHaveLength(0);
    // The connection went back to the pool clean: the next debit transaction works.
    expect((await kit.store.debitTransaction((tx) => tx.claimAndLockAccount(clinicId))).claimed).toBe(true);
  });
});
