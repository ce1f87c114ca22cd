/**
 * Orders scaled out: the platform with ORDERS_REPLICAS=2 — two real orders processes (`orders`,
 * `orders-2`) competing for the same queues on one vhost and one database, as `npm start` runs them.
 *
 * - Both consume orders' queues; booting together they made one credential signing key (announced
 *   once) and seeded the catalogue once.
 * - The saga under concurrency: 24 orders against one clinic account that can afford 12, each sent
 *   twice at once with its Idempotency-Key, so the copies land on different replicas — one order
 *   per key, exactly one debit per order (12 succeed, 12 are refused for want of funds), one
 *   credential per paid order, one message of each kind per order on the broker.
 * - The deadline jobs of both replicas (every 50 ms, one order per transaction) racing over the same
 *   due orders at the same moment: payment deadlines (orders placed while accounts was away),
 *   credential expiries and lapsed pharmacy holds — each applied exactly once: one history entry, one
 *   event and one refund request per order, on the broker once, and the replicas' own counts of what
 *   they did add up to exactly the orders that were due. The refunds then bring the account back.
 */
import { EXCHANGES } from '@prescriptchain/contracts';
import amqp from 'amqplib';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { eventually } from '../support/infra';
import { type Answer, gatewayApi } from './support/gateway-api';
import { type Platform, startPlatform } from './support/platform';

jest.setTimeout(150_000);

type Json = any;

const ADMIN = { email: 'admin@replicas.prescriptchain.test', password: 'two replicas admin passphrase' };
const PASSWORD = 'ginseng and jujube';
const REPLICAS = ['orders', 'orders-2'] as const;
/** (10 g 当归 × 0.14 + 9 g 白芍 × 0.10) × 7 packs = 16.10 an order; 200.00 pays for 12 of them. */
const FUND = '200.00';
const ORDER_CENTS = 1610;
const ORDERS = 24;
const AFFORDABLE = Math.floor(20_000 / ORDER_CENTS);
/** The events this suite counts on the broker, per order. */
const TAPPED = [
  'accounts.debit.requested',
  'orders.order.paid',
  'orders.order.payment_failed',
  'orders.order.expired',
  'accounts.refund.requested',
] as const;

/** A queue of our own on the events exchange: every copy of every tapped event the broker routed. */
async function eventTap(url: string) {
  const conn = await amqp.connect(url);
  const ch = await conn.createChannel();
  const { queue } = await ch.assertQueue('', { exclusive: true, autoDelete: true });
  for (const key of TAPPED) await ch.bindQueue(queue, EXCHANGES.events, key);
  const seen: { type: string; orderId: string; messageId: string }[] = [];
  return {
    seen,
    /**
     * Takes everything the queue holds. Call once the outboxes are empty: a row is marked sent only
     * after the broker confirmed its publish, i.e. after it was routed here, so nothing is missed.
     */
    async drain() {
      for (;;) {
        const msg = await ch.get(queue, { noAck: true });
        if (!msg) return seen;
        const envelope = JSON.parse(msg.content.toString());
        seen.push({ type: envelope.type, orderId: envelope.payload.orderId, messageId: envelope.messageId });
      }
    },
    /** How many copies of `type` each order got. */
    countsOf(type: string, orderIds: readonly string[]) {
      return orderIds.map((id) => seen.filter((m) => m.type === type && m.orderId === id).length);
    },
    async close() {
      await conn.close();
    },
  };
}

describe('orders with two replicas on one database and one vhost', () => {
  let platform: Platform;
  const gateway = gatewayApi(() => platform);
  const { api, data, clinicWithAccount } = gateway;
  const db: Record<'orders' | 'accounts', Client> = {} as never;
  let tap: Awaited<ReturnType<typeof eventTap>>;
  let admin: string;
  let practitioner: string;
  let clinicId: string;
  const sku: Record<string, string> = {};

  const sql = async (which: 'orders' | 'accounts', text: string, params: unknown[] = []) =>
    (await db[which].query(text, params)).rows as Json[];
  const approvedUser = (role: 'practitioner' | 'pharmacy_operator') =>
    gateway.approvedUser(admin, { role, password: PASSWORD, fullName: `Replica ${role}`, licenseNumber: 'NZ-TCM-2' });

  beforeAll(async () => {
    platform = await startPlatform({
      env: {
        ORDERS_REPLICAS: '2',
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        RATE_LIMIT_AUTH_PER_MIN: '10000',
        RATE_LIMIT_ORDERS_PER_MIN: '10000',
        RATE_LIMIT_SEARCH_PER_MIN: '10000',
        RATE_LIMIT_KEY_PREFIX: `pctest:replicas:${randomUUID()}:`,
        VERIFICATION_CODE_HMAC_KEY: randomBytes(32).toString('base64'),
        // 48 requests at once on a busy machine: the gateway waits for orders' answer rather than
        // giving up on it (a 504 leaves the caller not knowing; this suite is about the outcome).
        RPC_DEADLINE_MS: '30000',
        // Both replicas poll often and take one order per job transaction: they race for every row.
        ORDER_JOBS_INTERVAL_MS: '50',
        ORDER_JOBS_BATCH_SIZE: '1',
        // The job's "deadlines: …" lines (info) are how each replica says what it did.
        LOG_LEVEL: 'info',
      },
    });
    for (const which of ['orders', 'accounts'] as const) {
      db[which] = new Client({ connectionString: platform.databases[which].url });
      await db[which].connect();
    }
    tap = await eventTap(platform.vhost.url);

    admin = data(await api('POST', '/auth/login', { body: ADMIN })).tokens.accessToken;
    const prescriber = await approvedUser('practitioner');
    practitioner = prescriber.token;
    clinicId = await clinicWithAccount(admin, { name: 'Replica Clinic', memberId: prescriber.id, fund: FUND });
    for (const code of ['RAW-DANGGUI', 'RAW-BAISHAO']) {
      const found = data(await api('GET', `/medicines?q=${code}`)) as Json[];
      sku[code] = found.find((m) => m.sku === code).id;
    }
  });

  afterAll(async () => {
    await tap?.close().catch(() => undefined);
    for (const c of Object.values(db)) await c?.end().catch(() => undefined);
    await platform?.shutdown();
  });

  const balance = async () =>
    data(await api('GET', `/clinic-accounts/${clinicId}`, { token: admin })).balance;
  const place = (key: string) =>
    api('POST', '/orders', {
      token: practitioner,
      key,
      body: {
        clinicId,
        patientInfo: { name: 'Mere Tane', phone: '+64 21 555 0101' },
        items: [
          { medicineId: sku['RAW-DANGGUI'], quantity: '10', dosageInstructions: 'twice a day' },
          { medicineId: sku['RAW-BAISHAO'], quantity: '9' },
        ],
        packs: 7,
      },
    });
  /** The order an answer to POST /orders is about: 201/202 carry it, a 402 names it in its details. */
  const orderIdOf = (res: Answer): string =>
    res.status === 402 ? res.body.error.details.orderId : data(res, res.status === 202 ? 202 : 201).id;
  const orderOf = async (id: string) => data(await api('GET', `/orders/${id}`, { token: practitioner }));
  /** Unsent outbox rows of both databases: 0 once everything written has been published. */
  const backlog = async () =>
    Number(
      (await sql('orders', 'SELECT count(*)::int AS n FROM outbox_message WHERE sent_at IS NULL'))[0].n,
    ) +
    Number(
      (await sql('accounts', 'SELECT count(*)::int AS n FROM outbox_message WHERE sent_at IS NULL'))[0].n,
    );
  const historyOf = async (ids: string[]) => {
    const rows = await sql(
      'orders',
      'SELECT order_id, from_status, to_status, reason FROM order_history WHERE order_id = ANY($1::uuid[]) ORDER BY id',
      [ids],
    );
    return ids.map((id) => rows.filter((r) => r.order_id === id));
  };
  /** Outbox rows of `type` per order (the event as orders wrote it, before any broker). */
  const outboxCounts = async (type: string, ids: readonly string[]) => {
    const rows = await sql(
      'orders',
      `SELECT envelope->'payload'->>'orderId' AS order_id, count(*)::int AS n FROM outbox_message
        WHERE type = $1 AND envelope->'payload'->>'orderId' = ANY($2::text[]) GROUP BY 1`,
      [type, ids],
    );
    return ids.map((id) => rows.find((r) => r.order_id === id)?.n ?? 0);
  };
  const ledgerOf = async (ids: string[]) => {
    const rows = await sql(
      'accounts',
      `SELECT order_id, type, amount::text AS amount FROM ledger_entry WHERE order_id = ANY($1::uuid[]) ORDER BY seq`,
      [ids],
    );
    return ids.map((id) => rows.filter((r) => r.order_id === id).map((r) => `${r.type} ${r.amount}`));
  };
  const ones = (n: number) => Array.from({ length: n }, () => 1);

  it('runs two orders processes, both consuming its queues; booting together they made one signing key and seeded once', async () => {
    expect(platform.processes).toEqual([
      'identity',
      'orders',
      'orders-2',
      'accounts',
      'pharmacy',
      'notifications',
      'gateway',
    ]);
    const pids = REPLICAS.map((r) => platform.pid(r));
    expect(pids.every((p) => typeof p === 'number')).toBe(true);
    expect(new Set(pids).size).toBe(2);

    const conn = await amqp.connect(platform.vhost.url);
    try {
      const ch = await conn.createChannel();
      for (const queue of ['orders.rpc', 'orders.events'])
        expect([queue, (await ch.checkQueue(queue)).consumerCount]).toEqual([queue, 2]);
    } finally {
      await conn.close();
    }

    // Each replica says who it is on every log line; both are the service "orders".
    for (const replica of REPLICAS) {
      const started = platform.logs[replica]!.map((l) => {
        try {
          return JSON.parse(l);
        } catch {
          return {};
        }
      }).find((l) => l.msg === 'orders listening');
      expect(started).toMatchObject({ service: 'orders', instance: replica });
    }

    expect(await sql('orders', 'SELECT count(*)::int AS n FROM credential_signing_keys')).toEqual([{ n: 1 }]);
    expect(
      await sql(
        'orders',
        `SELECT count(*)::int AS n FROM outbox_message WHERE type = 'orders.credential_key.published'`,
      ),
    ).toEqual([{ n: 1 }]);
    expect(await sql('orders', 'SELECT count(*)::int AS n FROM catalogue_seed')).toEqual([{ n: 1 }]);
  });

  let paid: string[] = [];

  it(`takes ${ORDERS} orders sent twice at once against an account that affords ${AFFORDABLE}: one order per key, one debit each`, async () => {
    const keys = Array.from({ length: ORDERS }, () => randomUUID());
    const answers = await Promise.all(keys.flatMap((k) => [place(k), place(k)]));
    for (const a of answers) expect([201, 202, 402]).toContain(a.status);
    const ids = keys.map((_, i) => {
      const [first, second] = [orderIdOf(answers[2 * i]), orderIdOf(answers[2 * i + 1])];
      expect(second).toBe(first);
      return first;
    });
    expect(new Set(ids).size).toBe(ORDERS);

    // A 202 is a payment still under way: it ends one way or the other.
    const orders = await eventually(
      async () => {
        const all = await Promise.all(ids.map(orderOf));
        return all.every((o) => o.status === 'PAID' || o.status === 'PAYMENT_FAILED') ? all : null;
      },
      30_000,
      200,
    );
    paid = orders.filter((o) => o.status === 'PAID').map((o) => o.id);
    const refused = orders.filter((o) => o.status === 'PAYMENT_FAILED');
    expect([paid.length, refused.length]).toEqual([AFFORDABLE, ORDERS - AFFORDABLE]);
    expect(refused.map((o) => o.paymentFailureReason)).toEqual(refused.map(() => 'INSUFFICIENT_FUNDS'));
    expect(await balance()).toBe(((20_000 - AFFORDABLE * ORDER_CENTS) / 100).toFixed(2));

    // The database: one order and one key per request pair, one credential per paid order.
    expect(await sql('orders', 'SELECT count(*)::int AS n FROM orders')).toEqual([{ n: ORDERS }]);
    expect(await sql('orders', 'SELECT count(*)::int AS n FROM order_idempotency_keys')).toEqual([
      { n: ORDERS },
    ]);
    const credentials = await sql(
      'orders',
      'SELECT id, platform_order_id FROM orders WHERE id = ANY($1::uuid[]) AND platform_order_id IS NOT NULL',
      [ids],
    );
    expect(credentials.map((c) => c.id).sort()).toEqual([...paid].sort());
    expect(new Set(credentials.map((c) => c.platform_order_id)).size).toBe(AFFORDABLE);
    const statusesOf = async (of: string[]) => (await historyOf(of)).map((h) => h.map((e) => e.to_status));
    const refusedIds = refused.map((o) => o.id);
    expect(await statusesOf(paid)).toEqual(paid.map(() => ['DRAFT', 'PENDING_PAYMENT', 'PAID']));
    expect(await statusesOf(refusedIds)).toEqual(
      refusedIds.map(() => ['DRAFT', 'PENDING_PAYMENT', 'PAYMENT_FAILED']),
    );

    // The ledger: exactly one debit per paid order, none for the others.
    expect(await ledgerOf(paid)).toEqual(paid.map(() => ['debit -16.10']));
    expect(await ledgerOf(refusedIds)).toEqual(refusedIds.map(() => []));

    // Every message once, in the outbox and on the broker.
    await eventually(async () => (await backlog()) === 0, 30_000, 100);
    await tap.drain();
    expect(await outboxCounts('accounts.debit.requested', ids)).toEqual(ones(ORDERS));
    expect(tap.countsOf('accounts.debit.requested', ids)).toEqual(ones(ORDERS));
    expect(await outboxCounts('orders.order.paid', paid)).toEqual(ones(AFFORDABLE));
    expect(tap.countsOf('orders.order.paid', paid)).toEqual(ones(AFFORDABLE));
    expect(await outboxCounts('orders.order.payment_failed', refusedIds)).toEqual(ones(ORDERS - AFFORDABLE));
    expect(tap.countsOf('orders.order.payment_failed', refusedIds)).toEqual(ones(ORDERS - AFFORDABLE));
    expect(tap.countsOf('orders.order.paid', refusedIds)).toEqual(refusedIds.map(() => 0));
    expect(new Set(tap.seen.map((m) => m.messageId)).size).toBe(tap.seen.length);
  });

  it('applies every due deadline exactly once while both replicas run the jobs at once: payment, credential, hold', async () => {
    const half = AFFORDABLE / 2;
    const expiring = paid.slice(0, half);
    const held = paid.slice(half);

    // A pharmacy claims half of the paid orders (DISPENSING, held for 72 h).
    const pharmacy = data(
      await api('POST', '/admin/pharmacies', {
        token: admin,
        body: {
          name: 'Replica Herbs',
          address: { street: '3 Queen Street', city: 'Auckland', country: 'NZ', postalCode: '1010' },
          location: { lat: -36.8485, lng: 174.7633 },
          contact: { email: 'replica.herbs@replicas.prescriptchain.test' },
        },
      }),
      201,
    );
    const operator = await approvedUser('pharmacy_operator');
    data(
      await api('POST', `/admin/pharmacies/${pharmacy.id}/operators`, {
        token: admin,
        body: { userId: operator.id },
      }),
      201,
    );
    const inventory = {
      items: [
        { medicineId: sku['RAW-DANGGUI'], wholesalePrice: '0.10', available: true },
        { medicineId: sku['RAW-BAISHAO'], wholesalePrice: '0.08', available: true },
      ],
    };
    await eventually(
      async () =>
        (await api('PUT', `/pharmacies/${pharmacy.id}/inventory`, { token: operator.token, body: inventory }))
          .status === 200,
      15_000,
      100,
    );
    for (const id of held) {
      const { qrCodeData } = (await orderOf(id)).credential;
      // Pharmacy learns a paid order from orders' event: claim once it knows it.
      await eventually(
        async () =>
          (await api('POST', '/pharmacies/claims', { token: operator.token, body: { qrCodeData } }))
            .status === 201,
        15_000,
        100,
      );
    }
    expect((await Promise.all(held.map(orderOf))).map((o) => o.status)).toEqual(held.map(() => 'DISPENSING'));

    // Orders placed while accounts is away stay PENDING_PAYMENT: the gateway answers 202.
    expect(await platform.stop('accounts')).toBe(0);
    const pendingAnswers = await Promise.all(Array.from({ length: half }, () => place(randomUUID())));
    expect(pendingAnswers.map((a) => [a.status, a.body?.data?.status])).toEqual(
      pendingAnswers.map(() => [202, 'PENDING_PAYMENT']),
    );
    const pending = pendingAnswers.map(orderIdOf);

    // One moment: every deadline passes at once, under both replicas' running jobs.
    await db.orders.query('BEGIN');
    await db.orders.query(
      `UPDATE orders SET payment_deadline_at = now() - interval '1 minute' WHERE id = ANY($1::uuid[])`,
      [pending],
    );
    await db.orders.query(
      `UPDATE orders SET expires_at = now() - interval '1 minute' WHERE id = ANY($1::uuid[])`,
      [expiring],
    );
    await db.orders.query(
      `UPDATE orders SET hold_expires_at = now() - interval '1 minute' WHERE id = ANY($1::uuid[])`,
      [held],
    );
    await db.orders.query('COMMIT');

    const due = [...pending, ...expiring, ...held];
    await eventually(
      async () =>
        (
          await sql(
            'orders',
            `SELECT count(*)::int AS n FROM orders WHERE id = ANY($1::uuid[]) AND status IN ('PAYMENT_FAILED', 'EXPIRED')`,
            [due],
          )
        )[0].n === due.length,
      30_000,
      100,
    );

    // One history entry each for the move the job made.
    const moves = async (ids: string[]) =>
      (await historyOf(ids)).map((h) =>
        h
          .filter((e) => ['PAYMENT_FAILED', 'EXPIRED'].includes(e.to_status))
          .map((e) => `${e.from_status}→${e.to_status}: ${e.reason}`),
      );
    expect(await moves(pending)).toEqual(pending.map(() => ['PENDING_PAYMENT→PAYMENT_FAILED: TIMEOUT']));
    expect(await moves(expiring)).toEqual(expiring.map(() => ['PAID→EXPIRED: credential expired']));
    expect(await moves(held)).toEqual(
      held.map(() => ['DISPENSING→EXPIRED: dispensing hold lapsed without proof']),
    );

    // One event and one refund request each, written once and published once.
    await eventually(async () => (await backlog()) === 0, 30_000, 100);
    await tap.drain();
    for (const [type, ids] of [
      ['orders.order.payment_failed', pending],
      ['orders.order.expired', [...expiring, ...held]],
      ['accounts.refund.requested', due],
    ] as const) {
      expect([type, await outboxCounts(type, ids)]).toEqual([type, ones(ids.length)]);
      expect([type, tap.countsOf(type, ids)]).toEqual([type, ones(ids.length)]);
    }
    expect(new Set(tap.seen.map((m) => m.messageId)).size).toBe(tap.seen.length);

    // What each replica's job reports doing adds up to exactly what was due: nothing done twice.
    const done = { timedOut: 0, expired: 0, holdsLapsed: 0 };
    for (const replica of REPLICAS) {
      for (const line of platform.logs[replica]!) {
        const m = /deadlines: (\d+) payments timed out, (\d+) credentials expired, (\d+) holds lapsed/.exec(
          line,
        );
        if (!m) continue;
        done.timedOut += Number(m[1]);
        done.expired += Number(m[2]);
        done.holdsLapsed += Number(m[3]);
      }
    }
    expect(done).toEqual({ timedOut: half, expired: half, holdsLapsed: half });

    // Accounts comes back to the debits it missed and the refunds: the account is whole again and
    // each expired order refunded once.
    await platform.start('accounts');
    await eventually(
      async () => {
        const seen = await sql(
          'accounts',
          `SELECT type, count(*)::int AS n FROM inbox_message
            WHERE type IN ('accounts.debit.requested', 'accounts.refund.requested') GROUP BY type ORDER BY type`,
        );
        return (
          JSON.stringify(seen) ===
            JSON.stringify([
              { type: 'accounts.debit.requested', n: ORDERS + half },
              { type: 'accounts.refund.requested', n: due.length },
            ]) && (await backlog()) === 0
        );
      },
      45_000,
      200,
    );
    expect(await ledgerOf([...expiring, ...held])).toEqual(
      [...expiring, ...held].map(() => ['debit -16.10', 'refund 16.10']),
    );
    // A timed-out order's refund request either found nothing debited (a zero refund, which makes
    // the late debit refused) or returned the debit that got in first.
    for (const entries of await ledgerOf(pending))
      expect([['refund 0.00'], ['debit -16.10', 'refund 16.10']]).toContainEqual(entries);
    expect(await balance()).toBe(FUND);
    // A debit result arriving after the timeout changes nothing: still one PAYMENT_FAILED, never PAID.
    await eventually(
      async () =>
        (
          await sql(
            'orders',
            `SELECT count(*)::int AS n FROM inbox_message WHERE type IN ('accounts.debit.succeeded', 'accounts.debit.rejected')`,
          )
        )[0].n ===
        ORDERS + half,
      30_000,
      100,
    );
    expect((await historyOf(pending)).map((h) => h.map((e) => e.to_status))).toEqual(
      pending.map(() => ['DRAFT', 'PENDING_PAYMENT', 'PAYMENT_FAILED']),
    );
  });
});
