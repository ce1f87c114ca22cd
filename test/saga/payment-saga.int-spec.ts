/**
 * The payment saga across two real services: orders and accounts each as its Nest microservice on
 * the messaging kit's transport, each on its own PostgreSQL database, one RabbitMQ vhost between
 * them. Orders are driven through orders' RPC (as the gateway does); money is read from accounts'
 * ledger. Faults are real ones: duplicate deliveries on the broker, a process that loses its broker
 * connection between commit and ack, a transaction that dies after the ledger insert, a deadline job
 * racing a pharmacy's claim.
 */
import { randomUUID } from 'node:crypto';
import {
  ACCOUNTS_RPC,
  type ClinicAccountView,
  CREDENTIAL_TOKEN_ALGORITHM,
  CREDENTIAL_TOKEN_TYPE,
  type CredentialView,
  ERRORS,
  type Envelope,
  ORDERS_RPC,
  type OrderView,
  type VerifiedCredentialView,
} from '@prescriptchain/contracts';
import { PiiCipher } from '@prescriptchain/messaging';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair, importPKCS8 } from 'jose';
import { EnforceDeadlinesHandler } from '../../services/orders/src/application/orders/enforce-deadlines/enforce-deadlines.handler';
import { eventually } from '../support/infra';
import { type Clinic, type SagaPlatform, startSagaPlatform } from './support/saga-platform';

/** What SagaPlatform.createOrder costs: 当归 10 g × 3 packs at 14 cents/g. */
const ORDER_CENTS = 420;
const SAGA_TIMEOUT_MS = 1_500;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? String(e),
  );

describe('payment saga: orders and accounts over the real broker and databases', () => {
  let p: SagaPlatform;

  beforeAll(async () => {
    p = await startSagaPlatform('saga', { sagaTimeoutMs: SAGA_TIMEOUT_MS });
  }, 60_000);
  afterAll(async () => {
    await p?.close();
  }, 30_000);
  afterEach(async () => {
    // Whatever a test did, nothing may have given up into a dead-letter queue on the way.
    expect(await p.deadLettered()).toEqual({ orders: 0, accounts: 0 });
  });

  /** orders' deadline job (payment timeouts and credential expiry), one pass, as its poller runs it. */
  const deadlineJob = () => p.ordersApp.get(EnforceDeadlinesHandler).execute();

  /** A fresh clinic whose account holds `orders` orders' worth (credit limit 0). */
  async function fundedClinic(orders: number): Promise<Clinic> {
    const clinic = await p.openClinic();
    await p.fund(clinic.clinicId, orders * ORDER_CENTS);
    return clinic;
  }

  /** The account equals its ledger: Σ amount = balance − used credit. */
  async function expectBooksBalanced(clinicId: string, balanceCents: number) {
    const books = await p.books(clinicId);
    expect(books).toMatchObject({ balanceCents, usedCreditCents: 0, creditLimitCents: 0 });
    expect(books.ledgerSumCents).toBe(books.balanceCents - books.usedCreditCents);
    return books;
  }

  async function firstHeard(type: string, orderId: string) {
    const [m] = await eventually(() => {
      const found = p.heardOf(type, orderId);
      return found.length ? found : undefined;
    }, 10_000);
    return m;
  }

  it('pays exactly 50 of 200 concurrent orders on an account funded for 50: 150 fail, balance 0, account == ledger', async () => {
    const clinic = await fundedClinic(50);

    const created = await Promise.all(Array.from({ length: 200 }, () => p.createOrder(clinic)));
    expect(created.every((o) => o.status === 'PENDING_PAYMENT' && o.totalCents === ORDER_CENTS)).toBe(true);

    const outcome = await eventually(
      async () => {
        const rows = await p.sql<{ status: string; reason: string | null; n: number }>(
          'orders',
          `SELECT status, payment_failure_reason AS reason, count(*)::int AS n FROM orders
            WHERE clinic_id = $1 GROUP BY 1, 2 ORDER BY 1`,
          [clinic.clinicId],
        );
        return rows.some((r) => r.status === 'PENDING_PAYMENT') ? undefined : rows;
      },
      30_000,
      100,
    );
    expect(outcome).toEqual([
      { status: 'PAID', reason: null, n: 50 },
      { status: 'PAYMENT_FAILED', reason: 'INSUFFICIENT_FUNDS', n: 150 },
    ]);

    const books = await expectBooksBalanced(clinic.clinicId, 0);
    expect(books.ledger[0]).toMatchObject({ type: 'adjustment', amountCents: 50 * ORDER_CENTS });
    const debits = books.ledger.slice(1);
    expect(debits).toHaveLength(50);
    expect(debits.every((e) => e.type === 'debit' && e.amountCents === -ORDER_CENTS)).toBe(true);
    const paid = await p.sql<{ id: string; platform_order_id: string | null }>(
      'orders',
      `SELECT id, platform_order_id FROM orders WHERE clinic_id = $1 AND status = 'PAID'`,
      [clinic.clinicId],
    );
    expect(new Set(debits.map((e) => e.orderId))).toEqual(new Set(paid.map((o) => o.id)));
    expect(paid.every((o) => o.platform_order_id)).toBe(true);
    expect(
      await p.call<ClinicAccountView>(ACCOUNTS_RPC.getAccount, {
        caller: { userId: randomUUID(), role: 'admin', clinicIds: [] },
        clinicId: clinic.clinicId,
      }),
    ).toMatchObject({ balanceCents: 0, usedCreditCents: 0, availableCents: 0 });
  }, 45_000);

  it('debits once when the same debit command is delivered three times (same messageId)', async () => {
    const clinic = await fundedClinic(3);
    const order = await p.paidOrder(clinic);
    const command = await firstHeard('accounts.debit.requested', order.id);
    const consumedBefore = await p.consumed('accounts');

    // The recorded message, byte for byte, twice more: what a broker redelivery looks like.
    await p.publish(command.envelope, command.content, command.properties);
    await p.publish(command.envelope, command.content, command.properties);
    await eventually(async () => (await p.consumed('accounts')) >= consumedBefore + 2);

    expect(await p.orderEntries(order.id)).toEqual([{ type: 'debit', amountCents: -ORDER_CENTS }]);
    await expectBooksBalanced(clinic.clinicId, 2 * ORDER_CENTS);
    expect(await p.outboxed('accounts', 'accounts.debit.succeeded', order.id)).toHaveLength(1);
    expect(
      await p.sql('accounts', 'SELECT consumer FROM inbox_message WHERE message_id = $1', [
        command.envelope.messageId,
      ]),
    ).toEqual([{ consumer: 'accounts.debit-order' }]);
    expect((await p.getOrder(clinic, order.id)).status).toBe('PAID');
    expect(await p.outboxed('orders', 'orders.order.paid', order.id)).toHaveLength(1);
  });

  it('debits once and still pays the order when accounts dies after committing the debit, before acking', async () => {
    const clinic = await fundedClinic(3);
    let killed!: () => void;
    const died = new Promise<void>((resolve) => (killed = resolve));
    const app = p.accountsApp;
    p.faults.afterDebitCommit(
      (entry) => entry.clinicId === clinic.clinicId,
      async () => {
        // The process's consumer connection goes away with the command unacked (as a kill -9 would).
        await app.unwrap<AmqpConnectionManager>().close();
        killed();
      },
    );

    const order = await p.createOrder(clinic);
    await died;
    await p.stopAccounts();

    expect(await p.orderEntries(order.id)).toEqual([{ type: 'debit', amountCents: -ORDER_CENTS }]);
    // Never acked: the broker holds the command for the next accounts instance.
    expect(await p.ready('accounts.events')).toBeGreaterThanOrEqual(1);

    await p.startAccounts();
    await p.settled(order.id, 'PAID');
    await eventually(async () => (await p.ready('accounts.events')) === 0);

    expect(await p.orderEntries(order.id)).toEqual([{ type: 'debit', amountCents: -ORDER_CENTS }]);
    await expectBooksBalanced(clinic.clinicId, 2 * ORDER_CENTS);
    // The restarted instance recognised the redelivery (inbox) and wrote nothing more.
    expect(p.faults.debitInserts.get(order.id)).toBeUndefined();
    expect(await p.outboxed('accounts', 'accounts.debit.succeeded', order.id)).toHaveLength(1);
    expect(await p.outboxed('orders', 'orders.order.paid', order.id)).toHaveLength(1);
  });

  it('refunds or refuses a debit that reaches accounts after its order was cancelled (before or after its refund): net zero, orders stay CANCELLED', async () => {
    const clinic = await fundedClinic(3);
    await p.stopAccounts();
    const late = await p.createOrder(clinic);
    const early = await p.createOrder(clinic);
    const cancel = (orderId: string) =>
      p.call<OrderView>(ORDERS_RPC.cancel, { caller: clinic.caller, orderId, reason: 'wrong patient' });

    // The order state machine (ORDER_MOVES): a PENDING_PAYMENT order cannot be cancelled; its saga timeout ends it
    // (PAYMENT_FAILED + a refund request), and then it can.
    expect(await codeOf(cancel(late.id))).toBe(ERRORS.INVALID_ORDER_STATUS.code);
    await eventually(
      async () => {
        await deadlineJob();
        const failed = await p.sql(
          'orders',
          `SELECT 1 FROM orders WHERE clinic_id = $1 AND status = 'PAYMENT_FAILED'`,
          [clinic.clinicId],
        );
        return failed.length === 2;
      },
      SAGA_TIMEOUT_MS + 5_000,
      200,
    );
    for (const order of [late, early]) expect((await cancel(order.id)).status).toBe('CANCELLED');

    // accounts' queue now holds both debits and both refunds. Deliver them (the same bytes) in a
    // chosen order: one debit before its refund, the other after it.
    await eventually(async () => (await p.ready('accounts.events')) === 4);
    expect(await p.purge('accounts.events')).toBe(4);
    const command = async (type: string, orderId: string) => {
      const m = await firstHeard(type, orderId);
      await p.publish(m.envelope, m.content, m.properties);
    };
    const answered = (type: string, orderId: string) =>
      eventually(async () => (await p.outboxed('accounts', type, orderId))[0]);
    await p.startAccounts();

    await command('accounts.debit.requested', early.id);
    const earlyDebit = await answered('accounts.debit.succeeded', early.id);
    await command('accounts.refund.requested', early.id);
    await command('accounts.refund.requested', late.id);
    await answered('accounts.refund.completed', early.id);
    await answered('accounts.refund.completed', late.id);
    await command('accounts.debit.requested', late.id);
    const lateDebit = await answered('accounts.debit.rejected', late.id);
    // orders has handled both answers (its inbox holds them) without reviving either order.
    await eventually(
      async () =>
        (
          await p.sql('orders', 'SELECT 1 FROM inbox_message WHERE message_id = ANY($1::uuid[])', [
            [earlyDebit.messageId, lateDebit.messageId],
          ])
        ).length === 2,
    );

    // Debit before the refund: taken, then given back in full.
    expect(await p.orderEntries(early.id)).toEqual([
      { type: 'debit', amountCents: -ORDER_CENTS },
      { type: 'refund', amountCents: ORDER_CENTS },
    ]);
    // Debit after the refund: refused, nothing taken.
    expect(lateDebit.payload.reason).toBe('ORDER_CANCELLED');
    expect(await p.orderEntries(late.id)).toEqual([{ type: 'refund', amountCents: 0 }]);
    await expectBooksBalanced(clinic.clinicId, 3 * ORDER_CENTS);
    for (const order of [late, early]) {
      expect((await p.getOrder(clinic, order.id)).status).toBe('CANCELLED');
      expect(await p.outboxed('orders', 'accounts.refund.requested', order.id)).toHaveLength(1);
    }
  }, 30_000);

  it('refunds a cancelled and an expired paid order exactly once each, however the refund command is redelivered', async () => {
    const clinic = await fundedClinic(2);
    const cancelled = await p.paidOrder(clinic);
    const expired = await p.paidOrder(clinic);
    await expectBooksBalanced(clinic.clinicId, 0);

    const consumedBefore = await p.consumed('accounts');
    await p.call(ORDERS_RPC.cancel, { caller: clinic.caller, orderId: cancelled.id, reason: 'not needed' });
    await p.sql('orders', `UPDATE orders SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      expired.id,
    ]);
    expect((await deadlineJob()).expired).toBe(1);

    const resent: string[] = [];
    for (const order of [cancelled, expired]) {
      const command = await firstHeard('accounts.refund.requested', order.id);
      // The same message again, and the same request as a new message.
      await p.publish(command.envelope, command.content, command.properties);
      const again = { ...command.envelope, messageId: randomUUID() } as Envelope<unknown>;
      await p.publish(again);
      resent.push(again.messageId);
    }
    // Two refund commands from orders and four copies, all handled (acked) by accounts.
    await eventually(async () => (await p.consumed('accounts')) >= consumedBefore + 6);
    expect(
      await p.sql('accounts', 'SELECT 1 FROM inbox_message WHERE message_id = ANY($1::uuid[])', [resent]),
    ).toHaveLength(2);

    for (const order of [cancelled, expired]) {
      expect(await p.orderEntries(order.id)).toEqual([
        { type: 'debit', amountCents: -ORDER_CENTS },
        { type: 'refund', amountCents: ORDER_CENTS },
      ]);
      expect(await p.outboxed('orders', 'accounts.refund.requested', order.id)).toHaveLength(1);
      // The first completion, and the same one repeated for the new message; none for the copy.
      const completions = await p.outboxed('accounts', 'accounts.refund.completed', order.id);
      expect(completions.map((c) => c.payload.amountCents)).toEqual([ORDER_CENTS, ORDER_CENTS]);
    }
    expect((await p.getOrder(clinic, cancelled.id)).status).toBe('CANCELLED');
    expect((await p.getOrder(clinic, expired.id)).status).toBe('EXPIRED');
    await expectBooksBalanced(clinic.clinicId, 2 * ORDER_CENTS);
  });

  it('expires lapsed dispensing holds and refunds each clinic exactly once, with the lapse job running twice at once', async () => {
    const N = 6;
    const clinic = await fundedClinic(N);
    const orders = await Promise.all(Array.from({ length: N }, () => p.paidOrder(clinic)));
    const pharmacyId = randomUUID();
    for (const o of orders) {
      await p.call(ORDERS_RPC.claim, {
        orderId: o.id,
        pharmacyId,
        declaredPayoutCents: 300,
        claimedBy: randomUUID(),
      });
    }
    // The holds lapse (DISPENSING_HOLD_HOURS passed without proof); two replicas' jobs run at once.
    await p.sql(
      'orders',
      `UPDATE orders SET hold_expires_at = now() - interval '1 second' WHERE id = ANY($1::uuid[])`,
      [orders.map((o) => o.id)],
    );
    const [one, two] = await Promise.all([deadlineJob(), deadlineJob()]);
    expect(one.holdsLapsed + two.holdsLapsed).toBe(N);
    await eventually(async () => {
      const refunds = (await p.books(clinic.clinicId)).ledger.filter((e) => e.type === 'refund');
      return refunds.length >= N;
    });
    for (const o of orders) {
      expect((await p.getOrder(clinic, o.id)).status).toBe('EXPIRED');
      expect(await p.outboxed('orders', 'accounts.refund.requested', o.id)).toHaveLength(1);
      expect(await p.orderEntries(o.id)).toEqual([
        { type: 'debit', amountCents: -ORDER_CENTS },
        { type: 'refund', amountCents: ORDER_CENTS },
      ]);
    }
    await expectBooksBalanced(clinic.clinicId, N * ORDER_CENTS);
  });

  it('ends each paid order EXPIRED with one refund or DISPENSING with none, never both, when a claim races expiry', async () => {
    const N = 24;
    const EARLY = 8;
    const clinic = await fundedClinic(N);
    const orders = await Promise.all(Array.from({ length: N }, () => p.paidOrder(clinic)));
    const ids = orders.map((o) => o.id);
    const pharmacyId = randomUUID();
    const claim = (orderId: string) =>
      codeOf(
        p.call(ORDERS_RPC.claim, { orderId, pharmacyId, declaredPayoutCents: 300, claimedBy: randomUUID() }),
      );

    // The deadline job runs back to back for the whole race, as busy replicas would.
    let racing = true;
    const job = (async () => {
      while (racing) await deadlineJob();
    })();
    // Some pharmacies claim well before expiry; then every credential expires 150 ms from now while
    // the other claims arrive a few ms apart, straddling that instant.
    const early = await Promise.all(ids.slice(0, EARLY).map(claim));
    await p.sql(
      'orders',
      `UPDATE orders SET expires_at = now() + interval '150 milliseconds' WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const late = await Promise.all(
      ids.slice(EARLY).map(async (orderId, i) => {
        await sleep(i * 15);
        return claim(orderId);
      }),
    );
    racing = false;
    await job;
    await sleep(160);
    await deadlineJob();
    const claimed = [...early, ...late];
    expect(early).toEqual(Array(EARLY).fill('ok'));

    const rows = await p.sql<{ id: string; status: string; moves: string[] }>(
      'orders',
      `SELECT o.id, o.status, array_agg(h.to_status ORDER BY h.at, h.id) AS moves
         FROM orders o JOIN order_history h ON h.order_id = o.id
        WHERE o.id = ANY($1::uuid[]) GROUP BY o.id, o.status`,
      [ids],
    );
    const expiredIds = rows.filter((r) => r.status === 'EXPIRED').map((r) => r.id);
    // accounts has refunded every expired order (and only those).
    await eventually(async () => {
      const refunds = (await p.books(clinic.clinicId)).ledger.filter((e) => e.type === 'refund');
      return refunds.length >= expiredIds.length;
    });

    for (const [i, orderId] of ids.entries()) {
      const row = rows.find((r) => r.id === orderId)!;
      const entries = await p.orderEntries(orderId);
      const refundRequests = await p.outboxed('orders', 'accounts.refund.requested', orderId);
      expect([row.moves.includes('EXPIRED'), row.moves.includes('DISPENSING')]).not.toEqual([true, true]);
      if (row.status === 'EXPIRED') {
        expect(claimed[i]).toBe(ERRORS.INVALID_ORDER_STATUS.code);
        expect(refundRequests).toHaveLength(1);
        expect(entries).toEqual([
          { type: 'debit', amountCents: -ORDER_CENTS },
          { type: 'refund', amountCents: ORDER_CENTS },
        ]);
      } else {
        expect({ orderId, status: row.status, claim: claimed[i] }).toEqual({
          orderId,
          status: 'DISPENSING',
          claim: 'ok',
        });
        expect(refundRequests).toHaveLength(0);
        expect(entries).toEqual([{ type: 'debit', amountCents: -ORDER_CENTS }]);
      }
    }
    // Both outcomes occurred: early claims win by construction, late ones lose to the expiry.
    expect(expiredIds.length).toBeGreaterThan(0);
    expect(expiredIds.length).toBeLessThan(N);
    await expectBooksBalanced(clinic.clinicId, expiredIds.length * ORDER_CENTS);
  }, 30_000);

  it('refuses a qrCodeData that was altered, re-signed with another key or has expired (INVALID_CREDENTIAL)', async () => {
    const clinic = await fundedClinic(2);
    const order = await p.paidOrder(clinic);
    const other = await p.paidOrder(clinic);
    const { qrCodeData } = await p.call<CredentialView>(ORDERS_RPC.getCredential, {
      caller: clinic.caller,
      orderId: order.id,
    });
    const verify = (token: string) =>
      codeOf(p.call<VerifiedCredentialView>(ORDERS_RPC.verifyCredential, { qrCodeData: token }));
    expect(await p.call(ORDERS_RPC.verifyCredential, { qrCodeData })).toMatchObject({
      orderId: order.id,
      status: 'PAID',
    });

    const [header, payload, signature] = qrCodeData.split('.');
    const claims = decodeJwt(qrCodeData);
    const protectedHeader = decodeProtectedHeader(qrCodeData);
    const i = Math.floor(payload.length / 2);
    const flipped = `${payload.slice(0, i)}${payload[i] === 'A' ? 'B' : 'A'}${payload.slice(i + 1)}`;
    const otherOrder = Buffer.from(JSON.stringify({ ...claims, oid: other.id })).toString('base64url');
    const anotherKey = (await generateKeyPair('Ed25519')).privateKey;
    const reSigned = await new SignJWT(claims).setProtectedHeader(protectedHeader as any).sign(anotherKey);

    // orders' own signing key, so only the expiry can be what is wrong with this one.
    const [key] = await p.sql<{ private_key_enc: string }>(
      'orders',
      'SELECT private_key_enc FROM credential_signing_keys WHERE kid = $1',
      [protectedHeader.kid],
    );
    const realKey = await importPKCS8(
      p.ordersApp.get(PiiCipher).decrypt(key.private_key_enc),
      CREDENTIAL_TOKEN_ALGORITHM,
    );
    const signWithRealKey = (exp: number) =>
      new SignJWT({ oid: claims.oid, pid: claims.pid })
        .setProtectedHeader({
          alg: CREDENTIAL_TOKEN_ALGORITHM,
          kid: protectedHeader.kid,
          typ: CREDENTIAL_TOKEN_TYPE,
        })
        .setExpirationTime(exp)
        .sign(realKey);
    const now = Math.floor(Date.now() / 1000);

    const invalid = ERRORS.INVALID_CREDENTIAL.code;
    expect({
      flippedPayloadChar: await verify(`${header}.${flipped}.${signature}`),
      otherOrderSameSignature: await verify(`${header}.${otherOrder}.${signature}`),
      reSignedWithAnotherKey: await verify(reSigned),
      expired: await verify(await signWithRealKey(now - 60)),
    }).toEqual({
      flippedPayloadChar: invalid,
      otherOrderSameSignature: invalid,
      reSignedWithAnotherKey: invalid,
      expired: invalid,
    });
    // The control: the same key and claims with a future expiry do verify.
    expect(await verify(await signWithRealKey(now + 3600))).toBe('ok');
  });

  it('leaves nothing half-written when a debit fails after its ledger insert, and its redelivery debits exactly once', async () => {
    const clinic = await fundedClinic(3);
    let duringRetry: Record<string, unknown> | undefined;
    p.faults.failAfterDebitInsert(
      (entry) => entry.clinicId === clinic.clinicId,
      async (entry) => {
        // Rolled back, not yet retried: what a crash at this point leaves in accounts' database.
        duringRetry = {
          books: await p.books(clinic.clinicId),
          orderEntries: await p.orderEntries(entry.orderId!),
          outcomes: (await p.outboxed('accounts', 'accounts.debit.succeeded', entry.orderId!)).length,
          inbox: (
            await p.sql<{ message_id: string }>(
              'accounts',
              `SELECT message_id FROM inbox_message WHERE consumer = 'accounts.debit-order'`,
            )
          ).map((r) => r.message_id),
        };
      },
    );

    const order = await p.createOrder(clinic);
    await p.settled(order.id, 'PAID');
    const command = await firstHeard('accounts.debit.requested', order.id);

    expect(duringRetry).toMatchObject({
      books: {
        balanceCents: 3 * ORDER_CENTS,
        ledger: [{ type: 'adjustment', amountCents: 3 * ORDER_CENTS }],
      },
      orderEntries: [],
      outcomes: 0,
    });
    expect(duringRetry!.inbox).not.toContain(command.envelope.messageId);

    expect(p.faults.debitInserts.get(order.id)).toBe(2); // the failed attempt and the redelivery
    expect(await p.orderEntries(order.id)).toEqual([{ type: 'debit', amountCents: -ORDER_CENTS }]);
    await expectBooksBalanced(clinic.clinicId, 2 * ORDER_CENTS);
    expect(await p.outboxed('accounts', 'accounts.debit.succeeded', order.id)).toHaveLength(1);
    expect(await p.outboxed('orders', 'orders.order.paid', order.id)).toHaveLength(1);
  });
});
