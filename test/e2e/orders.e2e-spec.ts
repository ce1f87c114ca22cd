import { randomUUID } from 'node:crypto';
import { eventually } from '../support/infra';
import { gatewayApi } from './support/gateway-api';
import { Platform, startPlatform } from './support/platform';

jest.setTimeout(180_000);

/**
 * Prescribing through the real processes (`npm start`'s built services and gateway): a clinic with
 * money, the catalogue, an order paid from the clinic account within the gateway's wait with its
 * credential and files, a refusal for want of funds, Idempotency-Key replays without a second
 * debit, the safety check, a draft submitted, and a cancellation refunded to the ledger.
 */
const ADMIN = { email: 'admin@orders.e2e.prescriptchain.test', password: 'an e2e admin passphrase 42' };
const PASSWORD = 'ginseng and jujube';

type Json = any;

describe('orders through the gateway', () => {
  let platform: Platform;
  const { api, data, expectError, approvedUser, clinicWithAccount } = gatewayApi(() => platform);
  let admin: string;
  let practitioner: string;
  let clinicId: string;
  const sku: Record<string, string> = {};

  beforeAll(async () => {
    platform = await startPlatform({
      env: {
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        RATE_LIMIT_AUTH_PER_MIN: '200',
        RATE_LIMIT_ORDERS_PER_MIN: '200',
        RATE_LIMIT_SEARCH_PER_MIN: '500',
        RATE_LIMIT_KEY_PREFIX: `pctest:e2e:${randomUUID()}:`,
        // Generous, so a slow machine still sees the saga end inside the wait (201/402, not 202).
        ORDER_WAIT_MS: '15000',
      },
    });

    admin = data(await api('POST', '/auth/login', { body: ADMIN })).tokens.accessToken;
    const prescriber = await approvedUser(admin, {
      role: 'practitioner',
      password: PASSWORD,
      fullName: 'Dr Wen Li',
      licenseNumber: 'NZ-1234',
      emailPrefix: 'prescriber',
    });
    practitioner = prescriber.token;
    // accounts opens the clinic's account when it hears identity.clinic.created.
    clinicId = await clinicWithAccount(admin, { name: 'Harbour TCM Clinic', memberId: prescriber.id, fund: '500.00' });
  });

  afterAll(async () => {
    await platform?.shutdown();
  });

  const balance = async () =>
    data(await api('GET', `/clinic-accounts/${clinicId}`, { token: practitioner })).balance;

  /** 当归 + 白芍 for 7 packs; the prices come from the catalogue search. */
  const formula = (over: Json = {}) => ({
    clinicId,
    patientInfo: { name: 'Mere Tane', phone: '+64 21 555 0101', dateOfBirth: '1984-03-02' },
    items: [
      { medicineId: sku['RAW-DANGGUI'], quantity: '10', dosageInstructions: 'twice a day after meals' },
      { medicineId: sku['RAW-BAISHAO'], quantity: 9 },
    ],
    packs: 7,
    notes: 'Avoid cold drinks',
    ...over,
  });

  it('finds herbs in the catalogue by Chinese, pinyin and SKU, with prices as decimal strings', async () => {
    const search = async (q: string) =>
      data(await api('GET', `/medicines?q=${encodeURIComponent(q)}`)) as { sku: string; id: string }[];
    const [danggui] = await search('当归');
    expect(danggui).toMatchObject({
      sku: 'RAW-DANGGUI',
      name: '当归',
      price: '0.14',
      currency: 'NZD',
      unit: 'g',
    });
    expect((await search('dang gui')).map((m) => m.sku)).toContain('RAW-DANGGUI');
    for (const code of ['RAW-BAISHAO', 'RAW-GANCAO', 'RAW-GANSUI']) sku[code] = (await search(code))[0].id;
    sku['RAW-DANGGUI'] = danggui.id;
    expect(Object.keys(sku)).toHaveLength(4);
  });

  let paid: Json;
  const key = randomUUID();

  it('pays an order from the clinic account within the wait: 201 PAID with its credential', async () => {
    const res = await api('POST', '/orders', { token: practitioner, key, body: formula() });
    paid = data(res, 201);
    // (10 g × 0.14 + 9 g × 0.10) × 7 packs
    expect(paid).toMatchObject({
      status: 'PAID',
      totalAmount: '16.10',
      currency: 'NZD',
      clinicId,
      platformOrderId: expect.stringMatching(/^PC-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$/),
      credential: {
        qrCodeData: expect.any(String),
        qrPngUrl: `/api/v1/orders/${paid?.id}/credential.png`,
        pdfUrl: `/api/v1/orders/${paid?.id}/credential.pdf`,
      },
    });
    expect(paid.items.map((i: Json) => [i.quantity, i.unitPrice, i.totalPrice])).toEqual([
      ['10', '0.14', '9.80'],
      ['9', '0.10', '6.30'],
    ]);
    expect(await balance()).toBe('483.90');
  });

  it('hands the prescriber the credential, the QR as a PNG and the printable prescription as a PDF', async () => {
    const credential = data(await api('GET', `/orders/${paid.id}/credential`, { token: practitioner }));
    expect(credential).toMatchObject({
      orderId: paid.id,
      platformOrderId: paid.platformOrderId,
      qrCodeData: paid.credential.qrCodeData,
      verificationCode: expect.stringMatching(/^\d{6}$/),
    });
    const png = await api('GET', `/orders/${paid.id}/credential.png`, { token: practitioner });
    expect([png.status, png.headers.get('content-type')]).toEqual([200, 'image/png']);
    expect(png.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const pdf = await api('GET', `/orders/${paid.id}/credential.pdf`, { token: practitioner });
    expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Not the prescriber's: the admin may read the order but not take its credential.
    expectError(await api('GET', `/orders/${paid.id}/credential.png`, { token: admin }), 403, '1003');
  });

  it('answers the same Idempotency-Key and body with the same order and no second debit; another body is 409', async () => {
    const again = data(await api('POST', '/orders', { token: practitioner, key, body: formula() }), 201);
    expect([again.id, again.status]).toEqual([paid.id, 'PAID']);
    expect(await balance()).toBe('483.90');
    expectError(
      await api('POST', '/orders', { token: practitioner, key, body: formula({ packs: 8 }) }),
      409,
      'IDEMPOTENCY_KEY_REUSED',
    );
    expect(await balance()).toBe('483.90');
  });

  it('refuses an order the clinic cannot afford with 402 3002, keeping it as PAYMENT_FAILED', async () => {
    // (12 g × 0.14 + 15 g × 0.10) × 365 packs = 1160.70 > 483.90
    const body = formula({
      packs: 365,
      items: [
        { medicineId: sku['RAW-DANGGUI'], quantity: 12 },
        { medicineId: sku['RAW-BAISHAO'], quantity: 15 },
      ],
    });
    const res = await api('POST', '/orders', { token: practitioner, key: randomUUID(), body });
    expectError(res, 402, '3002');
    const orderId = res.body.error.details.orderId;
    expect(data(await api('GET', `/orders/${orderId}`, { token: practitioner }))).toMatchObject({
      status: 'PAYMENT_FAILED',
      totalAmount: '1160.70',
      paymentFailureReason: 'INSUFFICIENT_FUNDS',
    });
    expect(await balance()).toBe('483.90');
    // Retrying without new funds is refused the same way.
    expectError(await api('POST', `/orders/${orderId}/retry-payment`, { token: practitioner }), 402, '3002');
  });

  it('refuses a classically incompatible formula (十八反) with 422 PRESCRIPTION_SAFETY before any money moves', async () => {
    const res = await api('POST', '/orders', {
      token: practitioner,
      key: randomUUID(),
      body: formula({
        items: [
          { medicineId: sku['RAW-GANCAO'], quantity: 6 },
          { medicineId: sku['RAW-GANSUI'], quantity: 1 },
        ],
      }),
    });
    expectError(res, 422, 'PRESCRIPTION_SAFETY');
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          // 甘草 反 甘遂: one of the eighteen incompatibilities, named in the refusal.
          rule: 'EIGHTEEN_INCOMPATIBLE',
          medicineIds: expect.arrayContaining([sku['RAW-GANCAO'], sku['RAW-GANSUI']]),
          message: expect.any(String),
        }),
      ]),
    );
    expect(await balance()).toBe('483.90');
  });

  it('checks a formula as it is written: its price, its safety findings and the clinic available, with no order and no debit', async () => {
    const ordersBefore = data(await api('GET', '/orders?limit=100', { token: practitioner })).length;
    const checked = data(
      await api('POST', '/orders/check', {
        token: practitioner,
        body: formula({
          items: [
            { medicineId: sku['RAW-DANGGUI'], quantity: '10' },
            { medicineId: sku['RAW-GANCAO'], quantity: 6 },
            { medicineId: sku['RAW-GANSUI'], quantity: 1 },
          ],
        }),
      }),
    );
    expect(checked).toMatchObject({
      packs: 7,
      currency: 'NZD',
      available: '483.90',
      items: [
        { medicineId: sku['RAW-DANGGUI'], quantity: '10', unitPrice: '0.14', totalPrice: '9.80' },
        { medicineId: sku['RAW-GANCAO'] },
        { medicineId: sku['RAW-GANSUI'] },
      ],
    });
    const lineSum = checked.items.reduce(
      (cents: number, i: Json) => cents + Math.round(Number(i.totalPrice) * 100),
      0,
    );
    expect(Math.round(Number(checked.totalAmount) * 100)).toBe(lineSum);
    expect(checked.safety).toEqual([
      expect.objectContaining({
        rule: 'EIGHTEEN_INCOMPATIBLE',
        medicineIds: [sku['RAW-GANCAO'], sku['RAW-GANSUI']],
        overridable: true,
      }),
    ]);
    expect(data(await api('GET', '/orders?limit=100', { token: practitioner })).length).toBe(ordersBefore);
    expect(await balance()).toBe('483.90');
    // Another clinic's formula is not the caller's to check; an admin is not a prescriber.
    expectError(
      await api('POST', '/orders/check', { token: practitioner, body: formula({ clinicId: randomUUID() }) }),
      403,
      '1003',
    );
    expectError(await api('POST', '/orders/check', { token: admin, body: formula() }), 403, '1003');
  });

  it('keeps a draft without a debit, then submits it and answers 201 PAID', async () => {
    const body = formula({ draft: true, packs: 1, items: [{ medicineId: sku['RAW-DANGGUI'], quantity: 6 }] });
    const draft = data(await api('POST', '/orders', { token: practitioner, key: randomUUID(), body }), 201);
    expect([draft.status, draft.credential, draft.totalAmount]).toEqual(['DRAFT', null, '0.84']);
    expect(await balance()).toBe('483.90');
    const submitted = data(await api('POST', `/orders/${draft.id}/submit`, { token: practitioner }), 201);
    expect([submitted.id, submitted.status]).toEqual([draft.id, 'PAID']);
    expect(await balance()).toBe('483.06');
    const mine = await api('GET', '/orders?status=PAID', { token: practitioner });
    expect(
      data(mine)
        .map((o: Json) => o.id)
        .sort(),
    ).toEqual([paid.id, draft.id].sort());
    expect(mine.body.meta.pagination.total).toBe(2);
  });

  it('cancels a paid order and refunds it in full to the clinic ledger', async () => {
    const cancelled = data(
      await api('POST', `/orders/${paid.id}/cancel`, {
        token: practitioner,
        body: { reason: 'patient changed plans' },
      }),
    );
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.history.at(-1)).toMatchObject({
      from: 'PAID',
      to: 'CANCELLED',
      reason: 'patient changed plans',
    });
    const refund = await eventually(
      async () =>
        (
          data(await api('GET', `/clinic-accounts/${clinicId}/ledger`, { token: practitioner })) as Json[]
        ).find((e) => e.type === 'refund' && e.orderId === paid.id),
      30_000,
      100,
    );
    expect(refund).toMatchObject({ amount: '16.10', currency: 'NZD' });
    expect(await balance()).toBe('499.16');
    expectError(await api('GET', `/orders/${paid.id}/credential`, { token: practitioner }), 409, '2003');
  });

  it("reports the period's KPIs to an admin from orders' own data", async () => {
    const kpis = data(await api('GET', '/admin/reports/kpis', { token: admin }));
    expect(kpis).toMatchObject({
      ordersTotal: 3, // the paid-then-cancelled one, the refused one, the submitted draft
      ordersPaid: 2,
      ordersFulfilled: 0,
      gtv: '16.94',
      grossMargin: '0.00',
      fulfillmentRate: 0,
      avgFulfillmentHours: null,
      activePractitioners: 1,
      activePharmacies: 0,
      currency: 'NZD',
    });
    expectError(await api('GET', '/admin/reports/kpis', { token: practitioner }), 403, '1003');
  });
});
