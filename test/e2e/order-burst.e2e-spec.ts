/**
 * A burst through the real processes (`npm start`'s built services and gateway, fresh databases and
 * vhost): 200 simultaneous `POST /orders` on one clinic account funded for exactly 50 of them. The
 * contract (ROUTES.createOrder) allows only 201 PAID, 402 refused (with `details.orderId`) or 202
 * still pending — never a 5xx, however long the orders queue gets — and the money stays right:
 * exactly 50 orders PAID, 50 debits, balance 0. Every 202 names an order that settles on its own
 * (PAID or PAYMENT_FAILED) without the client doing anything more than reading it.
 *
 * It also counts, from the gateway's own /metrics, the RPCs to orders the burst cost per POST.
 */
import { randomUUID } from 'node:crypto';
import { eventually } from '../support/infra';
import { type Answer, gatewayApi } from './support/gateway-api';
import { type Platform, startPlatform } from './support/platform';

jest.setTimeout(240_000);

type Json = any;

const ADMIN = { email: 'admin@burst.e2e.prescriptchain.test', password: 'an e2e burst admin passphrase' };
const PASSWORD = 'licorice and ginger';
const ORDERS = 200;
const FUNDED_FOR = 50;

/** `"12.34"` → 1234, without floating point. */
const cents = (amount: string) => {
  const [whole, fraction = ''] = amount.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
};
const amountOf = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;

describe('a burst of orders on one clinic account', () => {
  let platform: Platform;
  const { api, data, approvedUser, clinicWithAccount } = gatewayApi(() => platform);
  let admin: string;
  let practitioner: string;
  let clinicId: string;
  let body: Json;
  let orderCents: number;

  beforeAll(async () => {
    platform = await startPlatform({
      env: {
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        RATE_LIMIT_AUTH_PER_MIN: '1000',
        RATE_LIMIT_ORDERS_PER_MIN: '1000',
        RATE_LIMIT_SEARCH_PER_MIN: '1000',
        RATE_LIMIT_KEY_PREFIX: `pctest:burst:${randomUUID()}:`,
        // The deployed default (the e2e launcher's is 3 s): every one of the 200 requests also asks
        // identity who its caller is, and that RPC is not what this suite is about.
        RPC_DEADLINE_MS: '5000',
      },
    });

    admin = data(await api('POST', '/auth/login', { body: ADMIN })).tokens.accessToken;
    const prescriber = await approvedUser(admin, {
      role: 'practitioner',
      password: PASSWORD,
      fullName: 'Dr Burst',
      licenseNumber: 'NZ-2001',
      emailPrefix: 'burst',
    });
    practitioner = prescriber.token;
    clinicId = await clinicWithAccount(admin, { name: 'Burst TCM Clinic', memberId: prescriber.id });

    const [danggui] = data(await api('GET', `/medicines?q=RAW-DANGGUI`));
    body = {
      clinicId,
      patientInfo: { name: 'Hine Burst', phone: '+64 21 555 0199' },
      items: [{ medicineId: danggui.id, quantity: '10' }],
      packs: 1,
    };
    // What one order costs, as orders prices it: the account is funded for exactly FUNDED_FOR of them.
    orderCents = cents(data(await api('POST', '/orders/check', { token: practitioner, body })).totalAmount);
    expect(orderCents).toBeGreaterThan(0);
    data(
      await api('POST', `/admin/clinic-accounts/${clinicId}/adjustments`, {
        token: admin,
        key: randomUUID(),
        body: { amount: amountOf(orderCents * FUNDED_FOR), reason: 'burst funding' },
      }),
      201,
    );
  });

  afterAll(async () => {
    await platform?.shutdown();
  });

  /** The gateway's count of RPCs so far by `pattern outcome` (its rpc_client_duration_seconds histogram). */
  async function rpcCounts(): Promise<Record<string, number>> {
    const text = await (await platform.get('/metrics')).text();
    const counts: Record<string, number> = {};
    for (const m of text.matchAll(/^rpc_client_duration_seconds_count\{([^}]*)\} (\d+)/gm)) {
      const pattern = /pattern="([^"]+)"/.exec(m[1])?.[1];
      const outcome = /outcome="([^"]+)"/.exec(m[1])?.[1];
      if (pattern) counts[`${pattern} ${outcome}`] = (counts[`${pattern} ${outcome}`] ?? 0) + Number(m[2]);
    }
    return counts;
  }

  it('answers 200 simultaneous orders funded for 50 with only 201, 402 or 202, and exactly 50 are paid', async () => {
    const before = await rpcCounts();
    const answers: Answer[] = await Promise.all(
      Array.from({ length: ORDERS }, () =>
        api('POST', '/orders', { token: practitioner, key: randomUUID(), body }),
      ),
    );
    const after = await rpcCounts();

    const byStatus: Record<number, number> = {};
    for (const a of answers) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
    // Reported, not asserted: how the answers fell and what the gateway asked orders for them.
    const perPost: Record<string, number> = {};
    for (const [k, n] of Object.entries(after))
      if (n - (before[k] ?? 0) > 0) perPost[k] = (n - (before[k] ?? 0)) / ORDERS;
    process.stdout.write(
      `burst answers ${JSON.stringify(byStatus)}; RPCs per POST ${JSON.stringify(perPost)}\n`,
    );
    // Every answer is one the contract allows for a payment step; no 5xx, whatever the queue.
    expect(Object.keys(byStatus).filter((s) => !['201', '202', '402'].includes(s))).toEqual([]);
    // One create per POST, every one taken by orders (none expired in its queue); the order is read
    // only for a payment's credential, so at most once per paid order — never to wait or to refuse.
    const asked = (pattern: string) =>
      Object.keys(after)
        .filter((k) => k.startsWith(`${pattern} `))
        .reduce((n, k) => n + after[k] - (before[k] ?? 0), 0);
    expect([asked('orders.orders.create'), perPost['orders.orders.create ok'] * ORDERS]).toEqual([
      ORDERS,
      ORDERS,
    ]);
    expect(asked('orders.orders.get')).toBeLessThanOrEqual(FUNDED_FOR);

    const idOf = (a: Answer): string => (a.status === 402 ? a.body.error.details.orderId : a.body.data.id);
    for (const a of answers) {
      if (a.status === 201) {
        expect(a.body.data).toMatchObject({ status: 'PAID', credential: { qrCodeData: expect.any(String) } });
      } else if (a.status === 202) {
        expect(a.body).toMatchObject({
          success: true,
          data: { status: 'PENDING_PAYMENT', credential: null },
        });
      } else {
        expect(a.body.error).toMatchObject({
          code: '3002',
          details: { orderId: expect.any(String), status: 'PAYMENT_FAILED', reason: 'INSUFFICIENT_FUNDS' },
        });
      }
    }
    // 200 answers name 200 different orders, each one the client can follow.
    const ids = answers.map(idOf);
    expect(new Set(ids).size).toBe(ORDERS);

    // Every order settles on its own: each 202's order too reaches PAID or PAYMENT_FAILED.
    const mine = async (): Promise<Map<string, Json>> => {
      const all = new Map<string, Json>();
      for (let page = 1; page <= Math.ceil(ORDERS / 100); page++) {
        for (const o of data(await api('GET', `/orders?limit=100&page=${page}`, { token: practitioner })))
          all.set(o.id, o);
      }
      return all;
    };
    const settled = await eventually(
      async () => {
        const all = await mine();
        const done = ids.every((id) => ['PAID', 'PAYMENT_FAILED'].includes(all.get(id)?.status));
        return done && all.size === ORDERS ? all : undefined;
      },
      60_000,
      250,
    );
    const paid = ids.filter((id) => settled.get(id).status === 'PAID');
    expect(paid).toHaveLength(FUNDED_FOR);
    // What a client was told agrees with what happened: a 201 is paid, a 402 is refused.
    for (const a of answers) {
      if (a.status === 201) expect(settled.get(idOf(a)).status).toBe('PAID');
      if (a.status === 402)
        expect(settled.get(idOf(a))).toMatchObject({
          status: 'PAYMENT_FAILED',
          paymentFailureReason: 'INSUFFICIENT_FUNDS',
        });
    }

    // The money: 50 debits of the order's price, and nothing left.
    const account = data(await api('GET', `/clinic-accounts/${clinicId}`, { token: practitioner }));
    expect(account.balance).toBe('0.00');
    const ledger: Json[] = [];
    for (let page = 1; page <= 2; page++)
      ledger.push(
        ...data(
          await api('GET', `/clinic-accounts/${clinicId}/ledger?limit=100&page=${page}`, { token: admin }),
        ),
      );
    const debits = ledger.filter((e) => e.type === 'debit');
    expect(debits).toHaveLength(FUNDED_FOR);
    expect(new Set(debits.map((d) => d.orderId))).toEqual(new Set(paid));
    for (const d of debits) expect(cents(d.amount.replace('-', ''))).toBe(orderCents);
  });
});
