/**
 * THE closed loop, through the real processes (`npm start`'s built services and gateway, fresh
 * databases and vhost): sign-up and approval → a clinic funded → a pharmacy with an operator and
 * declared prices → a paid prescription → the pharmacy scans it (read-only), claims it (DISPENSING:
 * the payout is fixed, nobody else may claim it or submit proof, the prescriber can no longer
 * cancel it) and uploads its photo proof → an admin looks at the photo and approves → the order is
 * fulfilled → a settlement for the claim's payout is opened, paid, and the pharmacy is e-mailed a
 * remittance → the KPIs count it.
 *
 * Then, on the same platform: two pharmacies claiming the same order at the same instant, 50 times
 * (50 fresh orders, both claims at once through the gateway — exactly one wins every time, the
 * loser cannot submit proof, and the settlement goes to the winner); typed order number + code
 * claims (orders' real keyed digest checked by pharmacy's real consumer) and the wrong-code lock;
 * release and re-claim; signed file URLs that were altered or have expired; a file declared PNG
 * whose bytes are a PDF.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Signs file URLs exactly as pharmacy does, with the secret this suite gives it: the only way to
// hold a genuinely signed URL that has expired (a test-only dependency on the service's code).
import { FileUrlSigner } from '../../services/pharmacy/src/application/files/file-url-signer';
import { eventually } from '../support/infra';
import { type Answer, gatewayApi } from './support/gateway-api';
import { type Platform, startPlatform } from './support/platform';

jest.setTimeout(300_000);

type Json = any;

const ADMIN = { email: 'admin@loop.prescriptchain.test', password: 'a closed loop admin passphrase' };
const PASSWORD = 'astragalus and jujube tea';
const FILES_URL_SECRET = `closed-loop-${randomUUID()}`;
/** A real PNG: one transparent pixel. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
/** A real (minimal) PDF. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj ' +
    '3 0 obj<</Type/Page/MediaBox[0 0 3 3]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
/** The formula: grams per pack of three herbs (no safety rule applies), 7 packs. */
const FORMULA = { 'RAW-HUANGQI': '15', 'RAW-FULING': '12', 'RAW-GANCAO': '6' } as const;
const PACKS = 7;
/** Declared wholesale prices per gram: payout = (15×6 + 12×5 + 6×4) × 7 = 1218 cents. */
const WHOLESALE = { 'RAW-HUANGQI': '0.06', 'RAW-FULING': '0.05', 'RAW-GANCAO': '0.04' } as const;
const PAYOUT = '12.18';
const RACES = 50;

describe('the closed loop through the gateway', () => {
  let platform: Platform;
  const { api, data, errorOf } = gatewayApi(() => platform);
  let mailDir: string;
  let filesDir: string;

  beforeAll(async () => {
    mailDir = mkdtempSync(join(tmpdir(), 'pc-loop-mail-'));
    filesDir = mkdtempSync(join(tmpdir(), 'pc-loop-files-'));
    platform = await startPlatform({
      env: {
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        MAIL_DIR: mailDir,
        FILES_DIR: filesDir,
        FILES_URL_SECRET,
        PAYMENTS_SANDBOX_SETTLE_MS: '50',
        RATE_LIMIT_AUTH_PER_MIN: '10000',
        RATE_LIMIT_SEARCH_PER_MIN: '10000',
        RATE_LIMIT_ORDERS_PER_MIN: '10000',
        RATE_LIMIT_UPLOADS_PER_HOUR: '10000',
        RATE_LIMIT_FILE_PUTS_PER_MIN: '10000',
        RATE_LIMIT_KEY_PREFIX: `pctest:loop:${randomUUID()}:`,
        EMAIL_DISPATCH_POLL_MS: '200',
        // Orders writes and publishes the verification-code digest with it; pharmacy checks typed codes with it.
        VERIFICATION_CODE_HMAC_KEY: randomBytes(32).toString('base64'),
      },
    });
  });

  afterAll(async () => {
    await platform?.shutdown();
    for (const dir of [mailDir, filesDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // ---------------------------------------------------------------- HTTP helpers

  async function login(email: string, password = PASSWORD): Promise<string> {
    return data(await api('POST', '/auth/login', { body: { email, password } })).tokens.accessToken;
  }

  /** Registers through the gateway, has the admin approve, signs in. */
  async function approvedUser(role: 'practitioner' | 'pharmacy_operator', adminToken: string) {
    const email = `${role}.${randomUUID().slice(0, 8)}@loop.prescriptchain.test`;
    const { user } = data(
      await api('POST', '/auth/register', {
        body: { email, password: PASSWORD, role, fullName: `Loop ${role}`, licenseNumber: 'NZ-TCM-042' },
      }),
      201,
    );
    expect(user.status).toBe('pending');
    data(await api('POST', `/admin/users/${user.id}/approve`, { token: adminToken }));
    return { id: user.id as string, email, token: await login(email) };
  }

  /** A pharmacy with coordinates (no geocoder here), and an approved operator linked to it. */
  async function pharmacyWithOperator(adminToken: string, name: string, lat: number, lng: number) {
    const pharmacy = data(
      await api('POST', '/admin/pharmacies', {
        token: adminToken,
        body: {
          name,
          address: { street: '1 Queen Street', city: 'Auckland', country: 'NZ', postalCode: '1010' },
          location: { lat, lng },
          contact: { email: `${name.toLowerCase().replace(/\W+/g, '.')}@loop.prescriptchain.test` },
          serviceHours: Object.fromEntries(
            ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [
              d,
              [{ open: '00:00', close: '24:00' }],
            ]),
          ),
        },
      }),
      201,
    );
    const operator = await approvedUser('pharmacy_operator', adminToken);
    data(
      await api('POST', `/admin/pharmacies/${pharmacy.id}/operators`, {
        token: adminToken,
        body: { userId: operator.id },
      }),
      201,
    );
    // Pharmacy learns the link from identity's event; the operator can act once it has.
    await eventually(
      async () =>
        (
          await api('PUT', `/pharmacies/${pharmacy.id}/inventory`, {
            token: operator.token,
            body: { items: [] },
          })
        ).status === 200,
      15_000,
      100,
    );
    return { pharmacy, operator };
  }

  /** upload-url → PUT the bytes → confirm: a confirmed file of the operator's pharmacy. */
  async function uploadConfirmed(token: string, bytes: Buffer, contentType: string, fileName: string) {
    const target = data(
      await api('POST', '/files/upload-url', {
        token,
        body: { fileName, contentType, size: bytes.length, purpose: 'fulfillment_proof' },
      }),
      201,
    );
    expect(target).toMatchObject({
      method: 'PUT',
      headers: { 'Content-Type': contentType },
      expiresIn: expect.any(Number),
    });
    expect(target.uploadUrl).toMatch(new RegExp(`^${platform.baseUrl}/api/v1/files/upload/`));
    const put = await fetch(target.uploadUrl, { method: 'PUT', headers: target.headers, body: bytes });
    expect(put.status).toBe(200);
    const checksum = createHash('sha256').update(bytes).digest('hex');
    const confirmed = data(
      await api('POST', '/files/confirm', { token, body: { fileId: target.fileId, checksum } }),
    );
    expect(confirmed).toEqual({
      fileId: target.fileId,
      status: 'confirmed',
      size: bytes.length,
      contentType,
      checksum,
    });
    return target.fileId as string;
  }

  // ---------------------------------------------------------------- shared state of the loop

  const s: {
    admin: string;
    practitioner: { id: string; token: string };
    clinicId: string;
    medicineIds: Record<keyof typeof FORMULA, string>;
    a: { pharmacy: Json; operator: { id: string; token: string } };
    b: { pharmacy: Json; operator: { id: string; token: string } };
  } = {} as never;

  async function placeOrder(key = randomUUID()) {
    return api('POST', '/orders', {
      token: s.practitioner.token,
      headers: { 'Idempotency-Key': key },
      body: {
        clinicId: s.clinicId,
        patientInfo: { name: 'Mere Tane', phone: '+64 21 555 0101' },
        items: (Object.keys(FORMULA) as (keyof typeof FORMULA)[]).map((sku) => ({
          medicineId: s.medicineIds[sku],
          quantity: FORMULA[sku],
          dosageInstructions: 'Decoct in 600 ml water, twice a day',
        })),
        packs: PACKS,
      },
    });
  }

  async function declareInventory(pharmacyId: string, token: string) {
    return data(
      await api('PUT', `/pharmacies/${pharmacyId}/inventory`, {
        token,
        body: {
          items: (Object.keys(WHOLESALE) as (keyof typeof WHOLESALE)[]).map((sku) => ({
            medicineId: s.medicineIds[sku],
            wholesalePrice: WHOLESALE[sku],
            available: true,
          })),
        },
      }),
    );
  }

  /** Pharmacy's read model learns a paid order from orders' event: scan until it knows it. */
  async function scanWhenKnown(token: string, qrCodeData: string) {
    return eventually(
      async () => {
        const res = await api('POST', '/pharmacies/scan-credential', { token, body: { qrCodeData } });
        return res.status === 200 ? res.body.data : null;
      },
      15_000,
      50,
    );
  }

  // ---------------------------------------------------------------- the loop

  it('signs up and approves a practitioner, opens and funds their clinic', async () => {
    s.admin = await login(ADMIN.email, ADMIN.password);
    s.practitioner = await approvedUser('practitioner', s.admin);
    const clinic = data(
      await api('POST', '/admin/clinics', {
        token: s.admin,
        body: {
          name: 'Ponsonby TCM Clinic',
          address: { street: '2 Ponsonby Road', city: 'Auckland', country: 'NZ', postalCode: '1011' },
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

    // Accounts opens the clinic's account from identity's event; the adjustment waits for it.
    const key = randomUUID();
    const entry = await eventually(
      async () => {
        const res = await api('POST', `/admin/clinic-accounts/${clinic.id}/adjustments`, {
          token: s.admin,
          headers: { 'Idempotency-Key': key },
          body: { amount: '5000.00', reason: 'Closed-loop prepayment' },
        });
        return res.status === 201 ? res.body.data : null;
      },
      15_000,
      100,
    );
    expect(entry).toMatchObject({
      type: 'adjustment',
      amount: '5000.00',
      balanceAfter: '5000.00',
      currency: 'NZD',
    });
    const account = data(await api('GET', `/clinic-accounts/${clinic.id}`, { token: s.practitioner.token }));
    expect(account).toMatchObject({ balance: '5000.00', available: '5000.00', status: 'active' });
  });

  it('registers a pharmacy with an operator who declares wholesale prices, found by the nearby search', async () => {
    const ids: Record<string, string> = {};
    for (const sku of Object.keys(FORMULA)) {
      const found = data(await api('GET', `/medicines?q=${encodeURIComponent(sku)}&limit=5`));
      ids[sku] = found.find((m: Json) => m.sku === sku)?.id;
      expect([sku, ids[sku]]).toEqual([sku, expect.any(String)]);
    }
    s.medicineIds = ids as never;
    s.a = await pharmacyWithOperator(s.admin, 'Harbour Herbs', -36.8485, 174.7633);
    s.b = await pharmacyWithOperator(s.admin, 'Karangahape Dispensary', -36.8582, 174.7545);
    const inventory = await declareInventory(s.a.pharmacy.id, s.a.operator.token);
    expect(inventory.items).toHaveLength(3);
    expect(inventory.items.map((i: Json) => i.wholesalePrice).sort()).toEqual(['0.04', '0.05', '0.06']);
    await declareInventory(s.b.pharmacy.id, s.b.operator.token);

    const nearby = data(
      await api(
        'GET',
        `/pharmacies/nearby?lat=-36.8485&lng=174.7633&radius=5&medicines=${Object.values(ids).join(',')}`,
      ),
    );
    expect(nearby.pharmacies.map((p: Json) => p.id)).toEqual([s.a.pharmacy.id, s.b.pharmacy.id]);
    expect(nearby.pharmacies[0]).toMatchObject({ distanceKm: 0, canSupplyAll: true, openNow: true });
    expect(nearby.searchRadius).toBe(5);
  });

  let order: Json;
  let proof: Json;
  let fileId: string;

  /** `POST /pharmacies/claims` by the scanned QR. */
  const claimByQr = (who: 'a' | 'b', qrCodeData: string) =>
    api('POST', '/pharmacies/claims', { token: s[who].operator.token, body: { qrCodeData } });

  it('pays for a prescription; the pharmacy scans it (read-only), claims it, and submits its photo proof', async () => {
    order = data(await placeOrder(), 201);
    expect(order).toMatchObject({ status: 'PAID', totalAmount: '21.42', currency: 'NZD' });
    expect(order.credential.qrCodeData).toEqual(expect.any(String));

    const scan = await scanWhenKnown(s.a.operator.token, order.credential.qrCodeData);
    expect(scan).toMatchObject({
      order: {
        id: order.id,
        platformOrderId: order.platformOrderId,
        status: 'PAID',
        patientName: 'Mere Tane',
      },
      estimatedPayout: PAYOUT,
      currency: 'NZD',
      redeemable: true,
      undeclaredMedicineIds: [],
      claimedBy: null,
    });
    // A scan reserved nothing: the other pharmacy's scan says the same.
    expect(await scanWhenKnown(s.b.operator.token, order.credential.qrCodeData)).toMatchObject({
      redeemable: true,
      claimedBy: null,
    });

    const claimed = data(await claimByQr('a', order.credential.qrCodeData), 201);
    expect(claimed).toEqual({
      orderId: order.id,
      platformOrderId: order.platformOrderId,
      pharmacyId: s.a.pharmacy.id,
      status: 'DISPENSING',
      payout: PAYOUT,
      currency: 'NZD',
      holdExpiresAt: expect.any(String),
      claimedAt: expect.any(String),
    });
    expect(Date.parse(claimed.holdExpiresAt) - Date.parse(claimed.claimedAt)).toBe(72 * 3_600_000);
    // The holder claiming again: 200, the same claim. Another pharmacy: 409 4003, and it says so.
    expect(data(await claimByQr('a', order.credential.qrCodeData), 200)).toEqual(claimed);
    expect(errorOf(await claimByQr('b', order.credential.qrCodeData))).toEqual([409, '4003']);
    expect(await scanWhenKnown(s.a.operator.token, order.credential.qrCodeData)).toMatchObject({
      order: { status: 'DISPENSING' },
      claimedBy: 'you',
      redeemable: true,
    });
    expect(await scanWhenKnown(s.b.operator.token, order.credential.qrCodeData)).toMatchObject({
      claimedBy: 'another',
      redeemable: false,
    });
    const held = data(
      await api('GET', `/pharmacies/${s.a.pharmacy.id}/claims`, { token: s.a.operator.token }),
    );
    expect(held).toEqual([
      {
        orderId: order.id,
        platformOrderId: order.platformOrderId,
        status: 'DISPENSING',
        payout: PAYOUT,
        currency: 'NZD',
        holdExpiresAt: claimed.holdExpiresAt,
        claimedAt: claimed.claimedAt,
      },
    ]);
    const dispensing = data(await api('GET', `/orders/${order.id}`, { token: s.practitioner.token }));
    expect(dispensing).toMatchObject({
      status: 'DISPENSING',
      assignedPharmacyId: s.a.pharmacy.id,
      holdExpiresAt: claimed.holdExpiresAt,
    });
    // The prescriber can no longer cancel it, and hears that it is being dispensed.
    const cancel = () =>
      api('POST', `/orders/${order.id}/cancel`, {
        token: s.practitioner.token,
        body: { reason: 'changed my mind' },
      });
    expect(errorOf(await cancel())).toEqual([409, '2002']);
    const told = await eventually(
      async () => {
        const polled = data(await api('GET', '/notifications/poll', { token: s.practitioner.token }));
        return polled.notifications.find((n: Json) => n.type === 'order_dispensing');
      },
      15_000,
      100,
    );
    expect(told.body).toContain(order.platformOrderId);
    expect(told.body).toContain('Harbour Herbs');

    // Another pharmacy cannot submit proof for it.
    const intruder = await api('POST', '/fulfillment-proofs', {
      token: s.b.operator.token,
      body: {
        orderId: order.id,
        fileIds: [await uploadConfirmed(s.b.operator.token, PNG, 'image/png', 'late.png')],
      },
    });
    expect(errorOf(intruder)).toEqual([409, '4003']);

    fileId = await uploadConfirmed(s.a.operator.token, PNG, 'image/png', 'dispensed bag.png');
    proof = data(
      await api('POST', '/fulfillment-proofs', {
        token: s.a.operator.token,
        body: { orderId: order.id, fileIds: [fileId], notes: 'Collected by the patient' },
      }),
      201,
    );
    expect(proof).toMatchObject({
      orderId: order.id,
      pharmacyId: s.a.pharmacy.id,
      reviewStatus: 'pending',
      payout: PAYOUT,
      currency: 'NZD',
    });
    const reviewing = data(await api('GET', `/orders/${order.id}`, { token: s.practitioner.token }));
    expect(reviewing).toMatchObject({ status: 'PENDING_REVIEW', assignedPharmacyId: s.a.pharmacy.id });
    expect(errorOf(await cancel())).toEqual([409, '2002']);
  });

  it('shows the admin the proof with a signed URL that serves the photo, and approval fulfils the order', async () => {
    const pending = data(
      await api('GET', `/admin/fulfillments?status=pending&pharmacyId=${s.a.pharmacy.id}`, {
        token: s.admin,
      }),
    );
    const listed = pending.find((p: Json) => p.id === proof.id);
    expect(listed.files).toEqual([
      expect.objectContaining({
        fileId,
        contentType: 'image/png',
        size: PNG.length,
        downloadUrl: expect.any(String),
      }),
    ]);
    const url = listed.files[0].downloadUrl as string;
    expect(url).toMatch(new RegExp(`^${platform.baseUrl}/api/v1/files/download/`));
    const photo = await fetch(url);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await photo.arrayBuffer()).equals(PNG)).toBe(true);

    const reviewed = data(
      await api('POST', `/admin/fulfillments/${proof.id}/review`, {
        token: s.admin,
        body: { decision: 'approve', comments: 'Clear photo of the labelled bag' },
      }),
    );
    expect(reviewed).toMatchObject({
      id: proof.id,
      reviewStatus: 'approved',
      reviewComments: 'Clear photo of the labelled bag',
    });
    const fulfilled = data(await api('GET', `/orders/${order.id}`, { token: s.practitioner.token }));
    expect(fulfilled.status).toBe('FULFILLED');
    expect(fulfilled.history.map((h: Json) => h.to)).toEqual(
      expect.arrayContaining(['PENDING_PAYMENT', 'PAID', 'DISPENSING', 'PENDING_REVIEW', 'FULFILLED']),
    );
  });

  it('opens a settlement for the payout fixed at the claim; marking it paid e-mails the pharmacy a remittance', async () => {
    const settlement = await eventually(
      async () => {
        const list = data(await api('GET', '/admin/settlements?status=pending_payment', { token: s.admin }));
        return list.find((x: Json) => x.orderId === order.id);
      },
      15_000,
      100,
    );
    expect(settlement).toMatchObject({
      pharmacyId: s.a.pharmacy.id,
      amount: PAYOUT,
      currency: 'NZD',
      status: 'pending_payment',
    });

    const key = randomUUID();
    const markPaid = () =>
      api('POST', `/admin/settlements/${settlement.id}/mark-paid`, {
        token: s.admin,
        headers: { 'Idempotency-Key': key },
        body: { reference: 'ANZ-LOOP-0001' },
      });
    const paid = data(await markPaid());
    expect(paid).toMatchObject({
      id: settlement.id,
      status: 'paid',
      reference: 'ANZ-LOOP-0001',
      paidAt: expect.any(String),
    });
    // The same key again answers the same, and pays nothing twice.
    expect(data(await markPaid())).toEqual(paid);

    const pharmacyEmail = s.a.pharmacy.contact.email as string;
    const delivery = await eventually(
      async () => {
        const log = data(
          await api(
            'GET',
            `/admin/notifications/deliveries?type=settlement_paid&recipient=${encodeURIComponent(pharmacyEmail)}`,
            {
              token: s.admin,
            },
          ),
        );
        return log.find((d: Json) => d.status === 'sent');
      },
      20_000,
      200,
    );
    expect(delivery).toMatchObject({
      channel: 'email',
      recipient: pharmacyEmail,
      template: 'settlement_paid',
      attempts: 1,
    });
    const eml = readFileSync(join(mailDir, `${delivery.id}.eml`), 'latin1');
    expect(readable(eml)).toContain(`${PAYOUT} NZD`);
    expect(readable(eml)).toContain('ANZ-LOOP-0001');

    const mine = data(
      await api('GET', `/pharmacies/${s.a.pharmacy.id}/settlements`, { token: s.a.operator.token }),
    );
    expect(mine.settlements.map((x: Json) => [x.id, x.status])).toEqual([[settlement.id, 'paid']]);
  });

  it('counts the fulfilled order in the KPIs', async () => {
    const kpis = data(await api('GET', '/admin/reports/kpis', { token: s.admin }));
    expect(kpis).toMatchObject({
      ordersTotal: 1,
      ordersPaid: 1,
      ordersFulfilled: 1,
      gtv: '21.42',
      currency: 'NZD',
    });
  });

  // ---------------------------------------------------------------- the race

  it(`lets exactly one of two pharmacies claim an order at the same instant, ${RACES} times; the loser cannot submit proof and the settlement goes to the winner`, async () => {
    const loserFile = {
      a: await uploadConfirmed(s.a.operator.token, PNG, 'image/png', 'race-a.png'),
      b: await uploadConfirmed(s.b.operator.token, PNG, 'image/png', 'race-b.png'),
    };
    const orders: Json[] = [];
    for (let i = 0; i < RACES; i += 5) {
      const batch = await Promise.all([0, 1, 2, 3, 4].map(() => placeOrder()));
      orders.push(...batch.map((r) => data(r, 201)));
    }
    const outcomes: { orderId: string; winner: 'a' | 'b'; proofId: string }[] = [];
    /** One round: both pharmacies claim the same order at the same instant. */
    const round = async (o: Json, i: number) => {
      // Pharmacy's read model knows the paid order once one scan finds it (one read model for both).
      await scanWhenKnown(s.a.operator.token, o.credential.qrCodeData);
      // Alternate who is sent first, so neither side is favoured by the order of the sends.
      const [first, second] = i % 2 ? (['b', 'a'] as const) : (['a', 'b'] as const);
      const [r1, r2] = await Promise.all([
        claimByQr(first, o.credential.qrCodeData),
        claimByQr(second, o.credential.qrCodeData),
      ]);
      const byWho = { [first]: r1, [second]: r2 } as Record<'a' | 'b', Answer>;
      const statuses = [errorOf(byWho.a), errorOf(byWho.b)].map(([status, code]) =>
        status === 201 ? 201 : `${status} ${code}`,
      );
      expect([o.id, statuses.sort()]).toEqual([o.id, [201, '409 4003']]);
      const winner = byWho.a.status === 201 ? 'a' : 'b';
      const loser = winner === 'a' ? 'b' : 'a';
      expect(byWho[winner].body.data).toMatchObject({
        orderId: o.id,
        pharmacyId: s[winner].pharmacy.id,
        status: 'DISPENSING',
        payout: PAYOUT,
      });
      const submit = (who: 'a' | 'b', fileIds: string[]) =>
        api('POST', '/fulfillment-proofs', {
          token: s[who].operator.token,
          body: { orderId: o.id, fileIds },
        });
      expect([o.id, errorOf(await submit(loser, [loserFile[loser]]))]).toEqual([o.id, [409, '4003']]);
      const winnerFile = await uploadConfirmed(s[winner].operator.token, PNG, 'image/png', `race-${i}.png`);
      const won = data(await submit(winner, [winnerFile]), 201);
      outcomes.push({ orderId: o.id, winner, proofId: won.id });
    };
    // Five rounds (five different orders) at a time; within each, the two claims are simultaneous.
    for (let i = 0; i < orders.length; i += 5) {
      await Promise.all(orders.slice(i, i + 5).map((o, j) => round(o, i + j)));
    }
    // Orders agrees on every winner; approving each proof settles with the winner, for the claim's payout.
    const approve = async ({ orderId, winner, proofId }: (typeof outcomes)[number]) => {
      const o = data(await api('GET', `/orders/${orderId}`, { token: s.practitioner.token }));
      expect([orderId, o.status, o.assignedPharmacyId]).toEqual([
        orderId,
        'PENDING_REVIEW',
        s[winner].pharmacy.id,
      ]);
      data(
        await api('POST', `/admin/fulfillments/${proofId}/review`, {
          token: s.admin,
          body: { decision: 'approve' },
        }),
      );
    };
    expect(outcomes).toHaveLength(RACES);
    for (let i = 0; i < outcomes.length; i += 5) await Promise.all(outcomes.slice(i, i + 5).map(approve));
    const settlements = await eventually(
      async () => {
        const list: Json[] = [];
        for (let page = 1; ; page += 1) {
          const res = await api('GET', `/admin/settlements?status=pending_payment&limit=100&page=${page}`, {
            token: s.admin,
          });
          list.push(...data(res));
          if (!res.body.meta.pagination.hasNext) break;
        }
        const ours = list.filter((x) => outcomes.some((o) => o.orderId === x.orderId));
        return ours.length === outcomes.length ? ours : null;
      },
      30_000,
      200,
    );
    for (const { orderId, winner } of outcomes) {
      expect([
        orderId,
        settlements.filter((x: Json) => x.orderId === orderId).map((x: Json) => [x.pharmacyId, x.amount]),
      ]).toEqual([orderId, [[s[winner].pharmacy.id, PAYOUT]]]);
    }
  });

  // ---------------------------------------------------------------- typed codes, release

  it('claims by typed order number + code: orders publishes the keyed digest, pharmacy checks it; wrong codes hit the lock', async () => {
    const typed = data(await placeOrder(), 201);
    const credential = data(
      await api('GET', `/orders/${typed.id}/credential`, { token: s.practitioner.token }),
    );
    await scanWhenKnown(s.b.operator.token, typed.credential.qrCodeData);
    const wrong = credential.verificationCode === '000000' ? '000001' : '000000';
    const byCode = (code: string) =>
      api('POST', '/pharmacies/claims', {
        token: s.b.operator.token,
        body: { platformOrderId: typed.platformOrderId, verificationCode: code },
      });
    expect(errorOf(await byCode(wrong))).toEqual([422, '4002']);
    const claimed = data(await byCode(credential.verificationCode), 201);
    expect(claimed).toMatchObject({ orderId: typed.id, pharmacyId: s.b.pharmacy.id, status: 'DISPENSING' });

    // Five wrong codes for one order lock it, even for the right code (429 with Retry-After).
    const locked = data(await placeOrder(), 201);
    const lockedCredential = data(
      await api('GET', `/orders/${locked.id}/credential`, { token: s.practitioner.token }),
    );
    await scanWhenKnown(s.a.operator.token, locked.credential.qrCodeData);
    const lockedWrong = lockedCredential.verificationCode === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++) {
      const res = await api('POST', '/pharmacies/claims', {
        token: s.a.operator.token,
        body: { platformOrderId: locked.platformOrderId, verificationCode: lockedWrong },
      });
      expect(errorOf(res)).toEqual([422, '4002']);
    }
    const refused = await api('POST', '/pharmacies/claims', {
      token: s.a.operator.token,
      body: { platformOrderId: locked.platformOrderId, verificationCode: lockedCredential.verificationCode },
    });
    expect(errorOf(refused)).toEqual([429, '5002']);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(data(await api('GET', `/orders/${locked.id}`, { token: s.practitioner.token })).status).toBe(
      'PAID',
    );
  });

  it('releases a claim back to PAID (the practitioner hears it), after which the other pharmacy can claim it', async () => {
    const o = data(await placeOrder(), 201);
    await scanWhenKnown(s.a.operator.token, o.credential.qrCodeData);
    data(await claimByQr('a', o.credential.qrCodeData), 201);
    const release = (token: string) =>
      api('POST', `/pharmacies/claims/${o.id}/release`, { token, body: { reason: 'Out of 黄芪 today' } });
    expect(errorOf(await release(s.b.operator.token))).toEqual([409, '4003']);
    expect(data(await release(s.a.operator.token))).toMatchObject({
      orderId: o.id,
      status: 'PAID',
      holdExpiresAt: null,
    });
    const paid = data(await api('GET', `/orders/${o.id}`, { token: s.practitioner.token }));
    expect(paid).toMatchObject({ status: 'PAID', assignedPharmacyId: null });
    expect(paid.history.at(-1)).toMatchObject({
      from: 'DISPENSING',
      to: 'PAID',
      reason: 'Out of 黄芪 today',
    });
    await eventually(
      async () => {
        const polled = data(await api('GET', '/notifications/poll', { token: s.practitioner.token }));
        return polled.notifications.some(
          (n: Json) => n.type === 'order_released' && n.body.includes(o.platformOrderId),
        );
      },
      15_000,
      100,
    );
    expect(data(await claimByQr('b', o.credential.qrCodeData), 201)).toMatchObject({
      pharmacyId: s.b.pharmacy.id,
    });
    // An admin may release it too; after that nothing is held and a second release is 409 2003.
    expect(data(await release(s.admin))).toMatchObject({ status: 'PAID' });
    expect(errorOf(await release(s.admin))).toEqual([409, '2003']);
    // Now PAID and held by nobody: the prescriber may cancel it again (and is refunded).
    const cancelled = data(
      await api('POST', `/orders/${o.id}/cancel`, {
        token: s.practitioner.token,
        body: { reason: 'patient recovered' },
      }),
    );
    expect(cancelled.status).toBe('CANCELLED');
  });

  it('refuses a declared wholesale price above the catalogue price with 422 and details', async () => {
    const res = await api('PUT', `/pharmacies/${s.a.pharmacy.id}/inventory`, {
      token: s.a.operator.token,
      body: {
        items: [{ medicineId: s.medicineIds['RAW-HUANGQI'], wholesalePrice: '1000.00', available: true }],
      },
    });
    expect(errorOf(res)).toEqual([422, 'VALIDATION_FAILED']);
    expect(res.body.error.details).toEqual([
      {
        path: 'items.0.wholesalePrice',
        message: expect.stringMatching(/^1000\.00 is above the catalogue price/),
      },
    ]);
  });

  // ---------------------------------------------------------------- signed URLs and file types

  it('refuses an altered or expired signed URL with 401 1001', async () => {
    const listed = data(
      await api('GET', `/admin/fulfillments?status=approved&limit=100`, { token: s.admin }),
    );
    const url = listed.find((p: Json) => p.id === proof.id).files[0].downloadUrl as string;
    const token = url.slice(url.lastIndexOf('/') + 1);
    const [claims, mac] = token.split('.');
    const flipped = `${claims}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
    const altered = await fetch(`${platform.baseUrl}/api/v1/files/download/${flipped}`);
    expect([altered.status, ((await altered.json()) as Json).error.code]).toEqual([401, '1001']);

    // Signed with pharmacy's real secret, for the real file, but a minute past its expiry.
    const expiredToken = new FileUrlSigner(FILES_URL_SECRET).sign({
      op: 'get',
      fileId,
      exp: Math.floor(Date.now() / 1000) - 60,
    });
    const expired = await fetch(`${platform.baseUrl}/api/v1/files/download/${expiredToken}`);
    expect([expired.status, ((await expired.json()) as Json).error.code]).toEqual([401, '1001']);
    // The very same claims unexpired do serve the file: it is the expiry that was refused.
    const fresh = new FileUrlSigner(FILES_URL_SECRET).sign({
      op: 'get',
      fileId,
      exp: Math.floor(Date.now() / 1000) + 60,
    });
    expect((await fetch(`${platform.baseUrl}/api/v1/files/download/${fresh}`)).status).toBe(200);

    // An upload URL is no download URL, and an altered upload URL uploads nothing.
    const target = data(
      await api('POST', '/files/upload-url', {
        token: s.a.operator.token,
        body: { fileName: 'x.png', contentType: 'image/png', size: PNG.length },
      }),
      201,
    );
    const uploadToken = (target.uploadUrl as string).slice((target.uploadUrl as string).lastIndexOf('/') + 1);
    const asDownload = await fetch(`${platform.baseUrl}/api/v1/files/download/${uploadToken}`);
    expect(asDownload.status).toBe(401);
    const tampered = await fetch(`${target.uploadUrl}x`, {
      method: 'PUT',
      headers: target.headers,
      body: PNG,
    });
    expect([tampered.status, ((await tampered.json()) as Json).error.code]).toEqual([401, '1001']);
  });

  it('refuses bytes of a PDF uploaded as the PNG they were declared to be', async () => {
    const target = data(
      await api('POST', '/files/upload-url', {
        token: s.a.operator.token,
        body: { fileName: 'not-a-photo.png', contentType: 'image/png', size: PDF.length },
      }),
      201,
    );
    const put = await fetch(target.uploadUrl, { method: 'PUT', headers: target.headers, body: PDF });
    const body = (await put.json()) as Json;
    expect([put.status, body.error.code]).toEqual([422, 'VALIDATION_FAILED']);
    // Nothing was stored, so nothing can be confirmed or used in a proof.
    const confirm = await api('POST', '/files/confirm', {
      token: s.a.operator.token,
      body: { fileId: target.fileId },
    });
    expect(errorOf(confirm)).toEqual([422, 'VALIDATION_FAILED']);
  });
});

/** An .eml's text with quoted-printable soft breaks and escapes undone (nodemailer may encode bodies). */
function readable(eml: string): string {
  const qp = eml
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  const base64Parts = [
    ...eml.matchAll(/Content-Transfer-Encoding: base64\r?\n(?:[^\r\n]+\r?\n)*?\r?\n([A-Za-z0-9+/=\r\n]+)/g),
  ].map((m) => Buffer.from(m[1].replace(/\s/g, ''), 'base64').toString('utf8'));
  return [eml, Buffer.from(qp, 'latin1').toString('utf8'), ...base64Parts].join('\n');
}
