/**
 * Fail closed against hostile clients, through the real processes (issue 9): a password change
 * ends every earlier session at once; wrong passwords from one address never lock the owner out at
 * another; a forged upload URL is refused before its body is read and many of them cost the gateway
 * no memory; no page of any list is a 5xx; and after a cancelled order neither the ledger nor any
 * outbox holds the typed reason or the patient's name in plaintext.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { Client } from 'pg';
import { ROUTE_LIST } from '../../gateway/src/routes/route-table';
import { eventually } from '../support/infra';
import { gatewayApi } from './support/gateway-api';
import { type Platform, startPlatform } from './support/platform';

jest.setTimeout(240_000);

type Json = any;

const ADMIN = { email: 'admin@hostile.prescriptchain.test', password: 'a hostile clients admin passphrase' };
const PASSWORD = 'cinnamon twig and peony';
const PATIENT = 'Aroha Te Whiu';
const CANCEL_REASON = 'Patient Aroha Te Whiu moved to Dunedin, see her GP notes';

describe('hostile clients through the gateway', () => {
  let platform: Platform;
  const { api, data, errorOf } = gatewayApi(() => platform);
  const s: {
    admin: string;
    practitioner: { id: string; email: string; token: string };
    operator: { id: string; token: string };
    clinicId: string;
    pharmacyId: string;
  } = {} as never;

  beforeAll(async () => {
    platform = await startPlatform({
      env: {
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        // One proxy in front: X-Forwarded-For names the client, as behind a load balancer.
        TRUST_PROXY: '1',
        RATE_LIMIT_AUTH_PER_MIN: '10000',
        // Three wrong passwords lock an address out of an account (the default is ten).
        LOGIN_LOCK_AFTER_FAILURES: '3',
        RATE_LIMIT_FILE_PUTS_PER_MIN: '5',
        RATE_LIMIT_KEY_PREFIX: `pctest:hostile:${randomUUID()}:`,
        PAYMENTS_SANDBOX_SETTLE_MS: 'off',
      },
    });
    s.admin = await login(ADMIN.email, ADMIN.password);
    s.practitioner = await approvedUser('practitioner');
    s.operator = await approvedUser('pharmacy_operator');
    const clinic = data(
      await api('POST', '/admin/clinics', {
        token: s.admin,
        body: {
          name: 'Hostile Clients Clinic',
          address: { street: '9 Cuba Street', city: 'Wellington', country: 'NZ', postalCode: '6011' },
        },
      }),
      201,
    );
    s.clinicId = clinic.id;
    data(
      await api('POST', `/admin/clinics/${clinic.id}/members`, {
        token: s.admin,
        body: { userId: s.practitioner.id },
      }),
      201,
    );
    const pharmacy = data(
      await api('POST', '/admin/pharmacies', {
        token: s.admin,
        body: {
          name: 'Cuba Street Herbs',
          address: { street: '10 Cuba Street', city: 'Wellington', country: 'NZ', postalCode: '6011' },
          location: { lat: -41.2924, lng: 174.7787 },
          contact: { email: 'cuba.herbs@hostile.prescriptchain.test' },
        },
      }),
      201,
    );
    s.pharmacyId = pharmacy.id;
    data(
      await api('POST', `/admin/pharmacies/${pharmacy.id}/operators`, {
        token: s.admin,
        body: { userId: s.operator.id },
      }),
      201,
    );
  });

  afterAll(async () => {
    await platform?.shutdown();
  });

  // ---------------------------------------------------------------- helpers

  async function login(email: string, password = PASSWORD, from = '198.51.100.1'): Promise<string> {
    const res = await api('POST', '/auth/login', {
      body: { email, password },
      headers: { 'x-forwarded-for': from },
    });
    return data(res).tokens.accessToken;
  }

  async function approvedUser(role: 'practitioner' | 'pharmacy_operator') {
    const email = `${role}.${randomUUID().slice(0, 8)}@hostile.prescriptchain.test`;
    const { user } = data(
      await api('POST', '/auth/register', {
        body: { email, password: PASSWORD, role, fullName: `Hostile ${role}` },
      }),
      201,
    );
    data(await api('POST', `/admin/users/${user.id}/approve`, { token: s.admin }));
    return { id: user.id as string, email, token: await login(email) };
  }

  async function sql<T = Json>(service: keyof Platform['databases'], text: string, values: unknown[] = []) {
    const c = new Client({ connectionString: platform.databases[service].url });
    await c.connect();
    try {
      return (await c.query(text, values)).rows as T[];
    } finally {
      await c.end();
    }
  }

  // ---------------------------------------------------------------- identity

  it('ends every earlier session at once when the password changes: old access and refresh tokens refused', async () => {
    const user = await approvedUser('practitioner');
    const first = data(await api('POST', '/auth/login', { body: { email: user.email, password: PASSWORD } }));
    const second = data(
      await api('POST', '/auth/login', { body: { email: user.email, password: PASSWORD } }),
    );
    expect((await api('GET', '/auth/me', { token: first.tokens.accessToken })).status).toBe(200);

    const wrong = await api('POST', '/auth/password', {
      token: first.tokens.accessToken,
      body: { currentPassword: 'not my password at all', newPassword: 'a brand new passphrase 2027' },
    });
    expect(errorOf(wrong)).toEqual([401, '1001']);
    const changed = await api('POST', '/auth/password', {
      token: first.tokens.accessToken,
      body: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase 2027' },
    });
    expect(changed.status).toBe(204);

    for (const session of [first, second]) {
      expect(errorOf(await api('GET', '/auth/me', { token: session.tokens.accessToken }))).toEqual([
        401,
        '1002',
      ]);
      expect(
        errorOf(await api('POST', '/auth/refresh', { body: { refreshToken: session.tokens.refreshToken } })),
      ).toEqual([401, '1002']);
    }
    expect(
      errorOf(await api('POST', '/auth/login', { body: { email: user.email, password: PASSWORD } })),
    ).toEqual([401, '1001']);
    const fresh = await login(user.email, 'a brand new passphrase 2027');
    expect(data(await api('GET', '/auth/me', { token: fresh })).id).toBe(user.id);
    // Whoever caches principals hears of it.
    const [event] = await sql(
      'identity',
      "SELECT envelope->'payload' AS payload FROM outbox_message WHERE type = 'identity.user.tokens_revoked'",
    );
    expect(event.payload).toMatchObject({ userId: user.id, reason: 'password_changed' });
  });

  it('lets the owner sign in from another address after fourteen wrong passwords from one forwarded address', async () => {
    const owner = await approvedUser('practitioner');
    const answers: number[] = [];
    for (let i = 0; i < 14; i++) {
      const res = await api('POST', '/auth/login', {
        body: { email: owner.email, password: `guess number ${i}` },
        headers: { 'x-forwarded-for': '203.0.113.77' },
      });
      answers.push(res.status);
    }
    expect(answers).toEqual([401, 401, 401, ...Array(11).fill(429)]);
    // The attacker's address is held off, even with the right password...
    const held = await api('POST', '/auth/login', {
      body: { email: owner.email, password: PASSWORD },
      headers: { 'x-forwarded-for': '203.0.113.77' },
    });
    expect(errorOf(held)).toEqual([429, '5002']);
    // ...the owner, elsewhere, is not.
    const ok = await api('POST', '/auth/login', {
      body: { email: owner.email, password: PASSWORD },
      headers: { 'x-forwarded-for': '192.0.2.44' },
    });
    expect(ok.status).toBe(200);
    const audited = await sql<{ ip: string }>(
      'identity',
      "SELECT ip FROM audit_log WHERE action = 'login.failed' AND subject_id = $1",
      [owner.id],
    );
    expect(new Set(audited.map((a) => a.ip))).toEqual(new Set(['203.0.113.77']));
  });

  // ---------------------------------------------------------------- uploads

  const FORGED = `${Buffer.from(JSON.stringify({ op: 'put', fid: randomUUID(), exp: 4102444800 })).toString('base64url')}.${'A'.repeat(43)}`;
  const TEN_MB = 10 * 1024 * 1024;

  /**
   * PUTs `total` bytes (Content-Length announced up front) to the upload URL, `chunk` bytes every
   * `everyMs`; resolves with the answer's status and when it came, and how much had been sent.
   */
  function slowUpload(
    token: string,
    opts: { total: number; chunk: number; everyMs: number; from: string; body?: Buffer },
  ): Promise<{ status: number; ms: number; sent: number }> {
    const url = new URL(`${platform.baseUrl}/api/v1/files/upload/${token}`);
    const started = Date.now();
    return new Promise((resolve, reject) => {
      let sent = 0;
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'PUT',
          headers: {
            'content-type': 'image/png',
            'content-length': String(opts.total),
            'x-forwarded-for': opts.from,
          },
        },
        (res) => {
          const ms = Date.now() - started;
          clearInterval(timer);
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, ms, sent }));
          req.destroy();
        },
      );
      req.on('error', (e) => {
        clearInterval(timer);
        // The gateway may close the connection right after its answer: that is the point.
        if (sent > 0) return;
        reject(e);
      });
      const body = opts.body ?? Buffer.alloc(opts.chunk, 0x42);
      const step = () => {
        if (sent >= opts.total || req.destroyed) return false;
        const n = Math.min(opts.chunk, opts.total - sent);
        req.write(body.subarray(0, n));
        sent += n;
        return true;
      };
      step();
      // Callbacks above use it only once the request is under way, after this line ran.
      const timer = setInterval(() => step() || clearInterval(timer), opts.everyMs);
    });
  }

  it('refuses an upload with a forged token before reading its body, however slowly it is sent', async () => {
    // 1 MB at 16 KB every 100 ms would take 6.4 s to arrive: the answer must not wait for it.
    const r = await slowUpload(FORGED, {
      total: 1024 * 1024,
      chunk: 16 * 1024,
      everyMs: 100,
      from: '198.51.100.60',
    });
    expect(r.status).toBe(401);
    expect(r.ms).toBeLessThan(2_000);
    expect(r.sent).toBeLessThan(1024 * 1024);
  });

  it('keeps the gateway within a memory bound under 50 concurrent 10 MB forged uploads', async () => {
    const pid = platform.pid('gateway')!;
    const rss = () =>
      Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
    const before = rss();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rss())), 10);
    const body = Buffer.alloc(TEN_MB, 0x42);
    try {
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          slowUpload(FORGED, { total: TEN_MB, chunk: TEN_MB, everyMs: 1000, from: `10.9.${i}.1`, body }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(50).fill(401));
    } finally {
      clearInterval(sampler);
    }
    // Reading every body first would hold 500 MB; refusing before reading holds next to nothing.
    process.stdout.write(
      `gateway RSS ${(before / 2 ** 20).toFixed(0)} MB → peak ${(peak / 2 ** 20).toFixed(0)} MB\n`,
    );
    expect(peak - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('limits PUTs to upload URLs per client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await slowUpload(FORGED, { total: 10, chunk: 10, everyMs: 1000, from: '198.51.100.61' });
      statuses.push(r.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const other = await slowUpload(FORGED, { total: 10, chunk: 10, everyMs: 1000, from: '198.51.100.62' });
    expect(other.status).toBe(401);
  });

  // ---------------------------------------------------------------- lists

  const HUGE_PAGES = [String(2 ** 31), '9007199254740993', '100000000000000000000'];
  const LIST_ROUTES = ROUTE_LIST.filter(
    (r) => r.method === 'get' && r.query && 'page' in (r.query as { shape: object }).shape,
  );

  it('lists: finds every list route in the table', () => {
    expect(LIST_ROUTES.length).toBeGreaterThanOrEqual(11);
  });

  it.each(LIST_ROUTES.map((r) => [r.path, r] as const))(
    'GET %s with page = 2^31, 2^53+1, 10^20 (and odd limits and sorts) is never a 5xx; past the end is an empty list',
    async (_path, route) => {
      const roles = route.access === 'public' ? [] : route.access;
      const token = roles.includes('admin')
        ? s.admin
        : roles.includes('practitioner')
          ? s.practitioner.token
          : roles.includes('pharmacy_operator')
            ? s.operator.token
            : undefined;
      const path = route.path
        .replace('/api/v1', '')
        .replace(':clinicId', s.clinicId)
        .replace(':id', route.path.includes('/pharmacies/') ? s.pharmacyId : randomUUID());
      for (const page of HUGE_PAGES) {
        const res = await api('GET', `${path}?page=${page}&limit=100`, { token });
        expect([page, res.status]).toEqual([page, 200]);
        // The page's rows: the data itself, or the one list in it (a pharmacy's settlements with totals).
        const data = res.body.data;
        const items = Array.isArray(data) ? data : Object.values(data).find(Array.isArray);
        expect([page, items]).toEqual([page, []]);
        expect(res.body.meta.pagination).toMatchObject({ hasNext: false });
      }
      for (const query of [
        'page=0',
        'page=-1',
        'page=1.5',
        'page=abc',
        'limit=100000000000000000000',
        'limit=0',
        'sort=name:sideways',
        'sort=%27%3B%20DROP%20TABLE',
        'sort=',
      ]) {
        const res = await api('GET', `${path}?${query}`, { token });
        expect([query, res.status < 500]).toEqual([query, true]);
      }
    },
  );

  // ---------------------------------------------------------------- PHI

  it('keeps neither the typed cancel reason nor the patient name in plaintext in the ledger or any outbox', async () => {
    await eventually(
      async () =>
        (
          await api('POST', `/admin/clinic-accounts/${s.clinicId}/adjustments`, {
            token: s.admin,
            headers: { 'Idempotency-Key': randomUUID() },
            body: { amount: '500.00', reason: 'prepayment' },
          })
        ).status === 201,
      15_000,
      100,
    );
    const medicines = data(await api('GET', '/medicines?q=RAW-HUANGQI&limit=5'));
    const huangqi = medicines.find((m: Json) => m.sku === 'RAW-HUANGQI');
    const order = data(
      await api('POST', '/orders', {
        token: s.practitioner.token,
        headers: { 'Idempotency-Key': randomUUID() },
        body: {
          clinicId: s.clinicId,
          patientInfo: { name: PATIENT, phone: '+64 21 555 0199' },
          items: [{ medicineId: huangqi.id, quantity: '15' }],
        },
      }),
      201,
    );
    expect(order.status).toBe('PAID');
    const cancelled = data(
      await api('POST', `/orders/${order.id}/cancel`, {
        token: s.practitioner.token,
        body: { reason: CANCEL_REASON },
      }),
    );
    expect(cancelled.status).toBe('CANCELLED');
    const refunds = await eventually(async () => {
      const rows = await sql<{ type: string; reason: string | null }>(
        'accounts',
        "SELECT type, reason FROM ledger_entry WHERE order_id = $1 AND type = 'refund'",
        [order.id],
      );
      return rows.length ? rows : null;
    }, 15_000);
    expect(refunds).toEqual([{ type: 'refund', reason: 'ORDER_CANCELLED' }]);

    const ledger = JSON.stringify(await sql('accounts', 'SELECT * FROM ledger_entry'));
    const outboxes = JSON.stringify(
      await Promise.all(
        (['orders', 'accounts', 'pharmacy', 'identity', 'notifications'] as const).map((svc) =>
          sql(svc, 'SELECT envelope FROM outbox_message'),
        ),
      ),
    );
    for (const text of [ledger, outboxes]) {
      expect(text).not.toContain('Aroha');
      expect(text).not.toContain('Dunedin');
      expect(text).not.toContain('GP notes');
    }
    // The owner still reads the reason on the order itself, and the pharmacy would see the name.
    const history = data(await api('GET', `/orders/${order.id}`, { token: s.practitioner.token })).history;
    expect(history.at(-1)).toMatchObject({ to: 'CANCELLED', reason: CANCEL_REASON });
  });
});
