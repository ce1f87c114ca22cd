/**
 * The pharmacy, scanning, file and fulfillment routes through the real gateway (in-process) against
 * a fake pharmacy (FakeBackendRpc): what the gateway sends (cents, the caller, the bytes), how it
 * formats answers ("12.34" + NZD, absolute signed URLs, raw file bytes), what it refuses before
 * asking anyone (validation, pharmacy scope, bad file tokens, bodies over 10 MB) and how it passes
 * pharmacy's refusals on (404, 409 2003, 422 4002, 429 5002 with Retry-After). Rate limits use the
 * real Redis.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  type AuthenticatedPrincipal,
  type ClaimResultView,
  CodedError,
  IDENTITY_RPC,
  MAX_UPLOAD_BYTES,
  PHARMACY_RPC,
  type PharmacyView,
  type ProofView,
  type ScanResultView,
} from '@prescriptchain/contracts';
import request from 'supertest';
import { fakePrincipals, principal } from './support/fake-principals';
import { createTestApp, type TestApp } from './support/test-app';

const NOW = '2026-11-22T01:02:03.456Z';
const PHARMACY = '7d2e0b5a-5f7c-4e69-9c3a-4b8d9e0f1a23';
const OTHER_PHARMACY = '8e3f1c6b-6a8d-4f7a-8d4b-5c9e0f1a2b34';
const ORDER = '9f4a2d7c-7b9e-4a8b-9e5c-6d0f1a2b3c45';
const FILE = 'b16c4f9e-9d1a-4cad-8a7e-8f2b3c4d5e67';
const PROOF = 'c27d5a0f-0e2b-4dbe-9b8f-9a3c4d5e6f78';
const MEDICINE_A = 'd38e6b1a-1f3c-4ecf-8c9a-0b4d5e6f7a89';
const MEDICINE_B = 'e49f7c2b-2a4d-4fda-9dab-1c5e6f7a8b9a';
/** A token as pharmacy's signer makes them: `<claims>.<mac>`, base64url. */
const TOKEN = `${Buffer.from('{"op":"put","fid":"x","exp":1}').toString('base64url')}.${'m'.repeat(43)}`;
/** The smallest real PNG: one transparent pixel. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

const PRINCIPALS: Record<string, AuthenticatedPrincipal> = {
  'admin-token': principal('admin'),
  'operator-token': principal('pharmacy_operator', { pharmacyId: PHARMACY }),
  'pos-key': principal('pharmacy_operator', { pharmacyId: PHARMACY, via: 'api_key' }),
  'practitioner-token': principal('practitioner'),
};
const { authenticate, as } = fakePrincipals(PRINCIPALS);

const callerOf = (token: string) => ({
  userId: PRINCIPALS[token].userId,
  role: PRINCIPALS[token].role,
  pharmacyId: PRINCIPALS[token].pharmacyId,
});

const pharmacyView = (over: Partial<PharmacyView> = {}): PharmacyView => ({
  id: PHARMACY,
  name: 'Harbour Herbs',
  address: { street: '1 Queen Street', city: 'Auckland', country: 'NZ', postalCode: '1010' },
  location: { lat: -36.8485, lng: 174.7633 },
  contact: { email: 'shop@harbour.test', phone: null },
  licenseInfo: null,
  serviceHours: { mon: [{ open: '09:00', close: '17:00' }] },
  locale: 'en',
  status: 'active',
  createdAt: NOW,
  updatedAt: NOW,
  ...over,
});

const proofView = (over: Partial<ProofView> = {}): ProofView => ({
  id: PROOF,
  orderId: ORDER,
  pharmacyId: PHARMACY,
  reviewStatus: 'pending',
  payoutCents: 4_207,
  currency: 'NZD',
  notes: null,
  files: [{ fileId: FILE, fileName: 'bag.png', contentType: 'image/png', size: PNG.length }],
  submittedBy: PRINCIPALS['operator-token'].userId,
  submittedAt: NOW,
  reviewerId: null,
  reviewComments: null,
  reviewedAt: null,
  ...over,
});

const scanView = (over: Partial<ScanResultView> = {}): ScanResultView => ({
  order: {
    id: ORDER,
    platformOrderId: 'PC-7KQ2-9XW4-M',
    status: 'PAID',
    items: [
      {
        medicineId: MEDICINE_A,
        name: '黄芪',
        pinyin: 'huáng qí',
        englishName: 'Astragalus root',
        unit: 'g',
        quantity: '12.5',
        packs: 7,
      },
    ],
    patientName: 'Mere Tane',
    expiresAt: NOW,
  },
  estimatedPayoutCents: 1_051,
  currency: 'NZD',
  redeemable: true,
  undeclaredMedicineIds: [],
  claimedBy: null,
  ...over,
});

const claimView = (over: Partial<ClaimResultView> = {}): ClaimResultView => ({
  orderId: ORDER,
  platformOrderId: 'PC-7KQ2-9XW4-M',
  pharmacyId: PHARMACY,
  status: 'DISPENSING',
  payoutCents: 1_051,
  currency: 'NZD',
  holdExpiresAt: '2026-11-25T01:02:03.456Z',
  claimedAt: NOW,
  alreadyHeld: false,
  ...over,
});

describe('pharmacy routes (fake pharmacy)', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());
  const sent = (pattern: string) => t.rpc.calls.filter((c) => c.pattern === pattern).at(-1)?.data;
  const asked = (pattern: string) => t.rpc.calls.filter((c) => c.pattern === pattern).length;
  const errorOf = (res: request.Response) => [res.status, res.body?.error?.code];

  beforeAll(async () => {
    t = await createTestApp();
    t.rpc.replies.set(IDENTITY_RPC.authenticate, authenticate);
  });
  afterAll(async () => {
    await t?.app.close();
  });

  describe('the pharmacy directory (admins)', () => {
    it('creates a pharmacy with the admin as caller and answers 201 with it', async () => {
      t.rpc.replies.set(PHARMACY_RPC.createPharmacy, pharmacyView());
      const body = {
        name: 'Harbour Herbs',
        address: { street: '1 Queen Street', city: 'Auckland', country: 'NZ', postalCode: '1010' },
        location: { lat: -36.8485, lng: 174.7633 },
        contact: { email: 'shop@harbour.test' },
        serviceHours: { mon: [{ open: '09:00', close: '17:00' }] },
      };
      const res = await http().post('/api/v1/admin/pharmacies').set(as('admin-token')).send(body);
      expect(res.status).toBe(201);
      expect(res.body.data).toEqual(pharmacyView());
      expect(sent(PHARMACY_RPC.createPharmacy)).toEqual({ caller: callerOf('admin-token'), ...body });
    });

    it('refuses coordinates that are not JSON numbers in range, with their paths, before asking pharmacy', async () => {
      const before = asked(PHARMACY_RPC.createPharmacy);
      const res = await http()
        .post('/api/v1/admin/pharmacies')
        .set(as('admin-token'))
        .send({
          name: 'X',
          address: { street: 'a', city: 'b', country: 'NZ', postalCode: '1' },
          location: { lat: '-36.8', lng: 190 },
          contact: { email: 'not-an-email' },
        });
      expect(errorOf(res)).toEqual([422, 'VALIDATION_FAILED']);
      expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
        'contact.email',
        'location.lat',
        'location.lng',
      ]);
      expect(asked(PHARMACY_RPC.createPharmacy)).toBe(before);
    });

    it('lists pharmacies with meta.pagination and the filters passed on', async () => {
      t.rpc.replies.set(PHARMACY_RPC.listPharmacies, {
        items: [pharmacyView()],
        total: 21,
        page: 2,
        limit: 10,
      });
      const res = await http()
        .get('/api/v1/admin/pharmacies?status=active&search=harbour&page=2&limit=10')
        .set(as('admin-token'));
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([pharmacyView()]);
      expect(res.body.meta.pagination).toEqual({
        page: 2,
        limit: 10,
        total: 21,
        totalPages: 3,
        hasNext: true,
        hasPrev: true,
      });
      expect(sent(PHARMACY_RPC.listPharmacies)).toEqual({
        caller: callerOf('admin-token'),
        status: 'active',
        search: 'harbour',
        page: 2,
        limit: 10,
      });
    });

    it('suspends a pharmacy through PUT with status, and refuses an empty change', async () => {
      t.rpc.replies.set(PHARMACY_RPC.updatePharmacy, pharmacyView({ status: 'suspended' }));
      const res = await http()
        .put(`/api/v1/admin/pharmacies/${PHARMACY}`)
        .set(as('admin-token'))
        .send({ status: 'suspended' });
      expect([res.status, res.body.data.status]).toEqual([200, 'suspended']);
      expect(sent(PHARMACY_RPC.updatePharmacy)).toEqual({
        caller: callerOf('admin-token'),
        pharmacyId: PHARMACY,
        status: 'suspended',
      });
      const empty = await http().put(`/api/v1/admin/pharmacies/${PHARMACY}`).set(as('admin-token')).send({});
      expect(errorOf(empty)).toEqual([422, 'VALIDATION_FAILED']);
    });

    it("passes pharmacy's 404 for an unknown pharmacy on", async () => {
      t.rpc.replies.set(PHARMACY_RPC.getPharmacy, () => {
        throw new CodedError('NOT_FOUND', 'Pharmacy not found.');
      });
      const res = await http().get(`/api/v1/admin/pharmacies/${OTHER_PHARMACY}`).set(as('admin-token'));
      expect(errorOf(res)).toEqual([404, 'NOT_FOUND']);
      expect(sent(PHARMACY_RPC.getPharmacy)).toEqual({
        caller: callerOf('admin-token'),
        pharmacyId: OTHER_PHARMACY,
      });
    });
  });

  describe('POST /admin/pharmacies/:id/operators', () => {
    const link = (id: string) =>
      http()
        .post(`/api/v1/admin/pharmacies/${id}/operators`)
        .set(as('admin-token'))
        .send({ userId: PRINCIPALS['operator-token'].userId });

    it('answers 404 for a pharmacy pharmacy does not know, without asking identity to link', async () => {
      t.rpc.replies.set(PHARMACY_RPC.getPharmacy, () => {
        throw new CodedError('NOT_FOUND', 'Pharmacy not found.');
      });
      const before = asked(IDENTITY_RPC.linkPharmacyOperator);
      const res = await link(OTHER_PHARMACY);
      expect(errorOf(res)).toEqual([404, 'NOT_FOUND']);
      expect(asked(IDENTITY_RPC.linkPharmacyOperator)).toBe(before);
    });

    it('links the operator once pharmacy confirms the pharmacy exists', async () => {
      t.rpc.replies.set(PHARMACY_RPC.getPharmacy, pharmacyView());
      t.rpc.replies.set(IDENTITY_RPC.linkPharmacyOperator, {
        userId: PRINCIPALS['operator-token'].userId,
        pharmacyId: PHARMACY,
        linkedAt: NOW,
      });
      const res = await link(PHARMACY);
      expect(res.status).toBe(201);
      expect(sent(PHARMACY_RPC.getPharmacy)).toMatchObject({
        pharmacyId: PHARMACY,
        caller: { role: 'admin' },
      });
    });
  });

  describe('PUT /pharmacies/:id/inventory', () => {
    const items = [
      { medicineId: MEDICINE_A, wholesalePrice: '0.12', available: true },
      { medicineId: MEDICINE_B, wholesalePrice: '1.5', available: false },
    ];

    it('sends prices as integer cents and answers them as two-place strings (token or API key)', async () => {
      t.rpc.replies.set(PHARMACY_RPC.replaceInventory, {
        pharmacyId: PHARMACY,
        items: [
          { medicineId: MEDICINE_A, wholesalePriceCents: 12, available: true, updatedAt: NOW },
          { medicineId: MEDICINE_B, wholesalePriceCents: 150, available: false, updatedAt: NOW },
        ],
      });
      for (const who of ['operator-token', 'pos-key']) {
        const res = await http().put(`/api/v1/pharmacies/${PHARMACY}/inventory`).set(as(who)).send({ items });
        expect(res.status).toBe(200);
        expect(res.body.data).toEqual({
          pharmacyId: PHARMACY,
          items: [
            { medicineId: MEDICINE_A, wholesalePrice: '0.12', available: true, updatedAt: NOW },
            { medicineId: MEDICINE_B, wholesalePrice: '1.50', available: false, updatedAt: NOW },
          ],
          currency: 'NZD',
        });
        expect(sent(PHARMACY_RPC.replaceInventory)).toEqual({
          caller: callerOf(who),
          pharmacyId: PHARMACY,
          items: [
            { medicineId: MEDICINE_A, wholesalePriceCents: 12, available: true },
            { medicineId: MEDICINE_B, wholesalePriceCents: 150, available: false },
          ],
        });
      }
    });

    it("answers another pharmacy's inventory 404, as for one that does not exist, without asking pharmacy", async () => {
      const before = asked(PHARMACY_RPC.replaceInventory);
      const res = await http()
        .put(`/api/v1/pharmacies/${OTHER_PHARMACY}/inventory`)
        .set(as('operator-token'))
        .send({ items });
      expect(errorOf(res)).toEqual([404, 'NOT_FOUND']);
      expect(asked(PHARMACY_RPC.replaceInventory)).toBe(before);
    });

    it('refuses a price given as a JSON number or with three decimals, and a medicine listed twice', async () => {
      const res = await http()
        .put(`/api/v1/pharmacies/${PHARMACY}/inventory`)
        .set(as('operator-token'))
        .send({
          items: [
            { medicineId: MEDICINE_A, wholesalePrice: 0.12, available: true },
            { medicineId: MEDICINE_B, wholesalePrice: '0.125', available: true },
          ],
        });
      expect(errorOf(res)).toEqual([422, 'VALIDATION_FAILED']);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual([
        'items.0.wholesalePrice',
        'items.1.wholesalePrice',
      ]);
      const twice = await http()
        .put(`/api/v1/pharmacies/${PHARMACY}/inventory`)
        .set(as('operator-token'))
        .send({ items: [items[0], items[0]] });
      expect(errorOf(twice)).toEqual([422, 'VALIDATION_FAILED']);
    });
  });

  describe('GET /pharmacies/nearby', () => {
    const nearby = {
      pharmacies: [
        {
          id: PHARMACY,
          name: 'Harbour Herbs',
          address: pharmacyView().address,
          location: pharmacyView().location,
          distanceKm: 1.27,
          canSupplyAll: true,
          openNow: false,
        },
      ],
      searchCenter: { lat: -36.85, lng: 174.76 },
      searchRadius: 5,
    };

    it('is public and maps radius → radiusKm and medicines → medicineIds', async () => {
      t.rpc.replies.set(PHARMACY_RPC.nearby, nearby);
      const res = await http().get(
        `/api/v1/pharmacies/nearby?lat=-36.85&lng=174.76&radius=5&limit=3&medicines=${MEDICINE_A},${MEDICINE_B}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual(nearby);
      expect(sent(PHARMACY_RPC.nearby)).toEqual({
        lat: -36.85,
        lng: 174.76,
        radiusKm: 5,
        limit: 3,
        medicineIds: [MEDICINE_A, MEDICINE_B],
      });
    });

    it('defaults radius to 10 km and limit to 20', async () => {
      await http().get('/api/v1/pharmacies/nearby?lat=-36.85&lng=174.76');
      expect(sent(PHARMACY_RPC.nearby)).toEqual({ lat: -36.85, lng: 174.76, radiusKm: 10, limit: 20 });
    });

    it('refuses a missing or empty coordinate, a radius over 100 km, a limit over 50 and a malformed medicine id', async () => {
      const before = asked(PHARMACY_RPC.nearby);
      for (const query of [
        'lng=174.76',
        'lat=&lng=174.76',
        'lat=91&lng=174.76',
        'lat=-36.85&lng=174.76&radius=101',
        'lat=-36.85&lng=174.76&limit=51',
        'lat=-36.85&lng=174.76&medicines=abc',
      ]) {
        const res = await http().get(`/api/v1/pharmacies/nearby?${query}`);
        expect([query, ...errorOf(res)]).toEqual([query, 422, 'VALIDATION_FAILED']);
      }
      expect(asked(PHARMACY_RPC.nearby)).toBe(before);
    });
  });

  describe('POST /pharmacies/scan-credential', () => {
    it('sends the scanned QR data and answers the estimated payout as money', async () => {
      t.rpc.replies.set(PHARMACY_RPC.scanCredential, scanView());
      const res = await http()
        .post('/api/v1/pharmacies/scan-credential')
        .set(as('pos-key'))
        .send({ qrCodeData: 'eyJhbGciOiJFZERTQSJ9.x.y' });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({
        order: scanView().order,
        estimatedPayout: '10.51',
        currency: 'NZD',
        redeemable: true,
        undeclaredMedicineIds: [],
        claimedBy: null,
      });
      expect(sent(PHARMACY_RPC.scanCredential)).toEqual({
        caller: callerOf('pos-key'),
        qrCodeData: 'eyJhbGciOiJFZERTQSJ9.x.y',
      });
    });

    it('sends a typed platformOrderId with its verification code', async () => {
      t.rpc.replies.set(PHARMACY_RPC.scanCredential, scanView({ redeemable: false }));
      const res = await http()
        .post('/api/v1/pharmacies/scan-credential')
        .set(as('operator-token'))
        .send({ platformOrderId: 'PC-7KQ2-9XW4-M', verificationCode: '123456' });
      expect([res.status, res.body.data.redeemable]).toEqual([200, false]);
      expect(sent(PHARMACY_RPC.scanCredential)).toEqual({
        caller: callerOf('operator-token'),
        platformOrderId: 'PC-7KQ2-9XW4-M',
        verificationCode: '123456',
      });
    });

    it('refuses neither, both, or half of the typed pair', async () => {
      const before = asked(PHARMACY_RPC.scanCredential);
      for (const body of [
        {},
        { qrCodeData: 'x', platformOrderId: 'PC-1', verificationCode: '123456' },
        { platformOrderId: 'PC-1' },
        { verificationCode: '12345' },
      ]) {
        const res = await http()
          .post('/api/v1/pharmacies/scan-credential')
          .set(as('operator-token'))
          .send(body);
        expect([body, ...errorOf(res)]).toEqual([body, 422, 'VALIDATION_FAILED']);
      }
      expect(asked(PHARMACY_RPC.scanCredential)).toBe(before);
    });

    it('passes a forged credential on as 422 4002', async () => {
      t.rpc.replies.set(PHARMACY_RPC.scanCredential, () => {
        throw new CodedError('INVALID_CREDENTIAL');
      });
      const res = await http()
        .post('/api/v1/pharmacies/scan-credential')
        .set(as('operator-token'))
        .send({ qrCodeData: 'forged' });
      expect(errorOf(res)).toEqual([422, '4002']);
    });

    it("answers pharmacy's lock after repeated wrong codes as 429 5002 with its Retry-After", async () => {
      t.rpc.replies.set(PHARMACY_RPC.scanCredential, () => {
        throw new CodedError('RATE_LIMIT_EXCEEDED', 'Too many wrong codes for this prescription.', {
          retryAfterSeconds: 817,
        });
      });
      const res = await http()
        .post('/api/v1/pharmacies/scan-credential')
        .set(as('operator-token'))
        .send({ platformOrderId: 'PC-7KQ2-9XW4-M', verificationCode: '000000' });
      expect(errorOf(res)).toEqual([429, '5002']);
      expect(res.headers['retry-after']).toBe('817');
      expect(res.body.error.details).toEqual({ retryAfterSeconds: 817 });
    });
  });

  describe('claims', () => {
    const claimBody = {
      orderId: ORDER,
      platformOrderId: 'PC-7KQ2-9XW4-M',
      pharmacyId: PHARMACY,
      status: 'DISPENSING',
      payout: '10.51',
      currency: 'NZD',
      holdExpiresAt: '2026-11-25T01:02:03.456Z',
      claimedAt: NOW,
    };

    it('claims by QR and answers 201 with the payout as money', async () => {
      t.rpc.replies.set(PHARMACY_RPC.claimOrder, claimView());
      const res = await http()
        .post('/api/v1/pharmacies/claims')
        .set(as('pos-key'))
        .send({ qrCodeData: 'q.r.s' });
      expect(res.status).toBe(201);
      expect(res.body.data).toEqual(claimBody);
      expect(sent(PHARMACY_RPC.claimOrder)).toEqual({ caller: callerOf('pos-key'), qrCodeData: 'q.r.s' });
    });

    it('claims by typed number + code, and answers 200 with the same claim when already held', async () => {
      t.rpc.replies.set(PHARMACY_RPC.claimOrder, claimView({ alreadyHeld: true }));
      const res = await http()
        .post('/api/v1/pharmacies/claims')
        .set(as('operator-token'))
        .send({ platformOrderId: 'PC-7KQ2-9XW4-M', verificationCode: '123456' });
      expect([res.status, res.body.data]).toEqual([200, claimBody]);
      expect(sent(PHARMACY_RPC.claimOrder)).toEqual({
        caller: callerOf('operator-token'),
        platformOrderId: 'PC-7KQ2-9XW4-M',
        verificationCode: '123456',
      });
    });

    it("passes pharmacy's refusals on: 409 4003, 409 2003, 409 4001, 422 4002", async () => {
      for (const [key, status, code] of [
        ['ORDER_ALREADY_CLAIMED', 409, '4003'],
        ['INVALID_ORDER_STATUS', 409, '2003'],
        ['PHARMACY_NOT_AVAILABLE', 409, '4001'],
        ['INVALID_CREDENTIAL', 422, '4002'],
      ] as const) {
        t.rpc.replies.set(PHARMACY_RPC.claimOrder, () => {
          throw new CodedError(key);
        });
        const res = await http()
          .post('/api/v1/pharmacies/claims')
          .set(as('operator-token'))
          .send({ qrCodeData: 'x' });
        expect(errorOf(res)).toEqual([status, code]);
      }
    });

    it('refuses a claim without a credential before asking pharmacy, and a practitioner', async () => {
      const before = asked(PHARMACY_RPC.claimOrder);
      const res = await http().post('/api/v1/pharmacies/claims').set(as('operator-token')).send({});
      expect(errorOf(res)).toEqual([422, 'VALIDATION_FAILED']);
      const practitioner = await http()
        .post('/api/v1/pharmacies/claims')
        .set(as('practitioner-token'))
        .send({ qrCodeData: 'x' });
      expect(errorOf(practitioner)).toEqual([403, '1003']);
      expect(asked(PHARMACY_RPC.claimOrder)).toBe(before);
    });

    it('releases with a reason (operator or admin) and answers the order back to PAID', async () => {
      t.rpc.replies.set(PHARMACY_RPC.releaseClaim, claimView({ status: 'PAID', holdExpiresAt: null }));
      for (const token of ['operator-token', 'admin-token']) {
        const res = await http()
          .post(`/api/v1/pharmacies/claims/${ORDER}/release`)
          .set(as(token))
          .send({ reason: 'Out of 黄芪' });
        expect([res.status, res.body.data.status, res.body.data.holdExpiresAt]).toEqual([200, 'PAID', null]);
        expect(sent(PHARMACY_RPC.releaseClaim)).toEqual({
          caller: callerOf(token),
          orderId: ORDER,
          reason: 'Out of 黄芪',
        });
      }
      const noReason = await http()
        .post(`/api/v1/pharmacies/claims/${ORDER}/release`)
        .set(as('admin-token'))
        .send({});
      expect(errorOf(noReason)).toEqual([422, 'VALIDATION_FAILED']);
    });

    it("lists a pharmacy's claims for its own operators only (another pharmacy is 404)", async () => {
      t.rpc.replies.set(PHARMACY_RPC.listClaims, {
        items: [
          {
            orderId: ORDER,
            platformOrderId: 'PC-7KQ2-9XW4-M',
            status: 'DISPENSING',
            payoutCents: 1_051,
            currency: 'NZD',
            holdExpiresAt: '2026-11-25T01:02:03.456Z',
            claimedAt: NOW,
          },
        ],
        total: 1,
        page: 1,
        limit: 20,
      });
      const res = await http()
        .get(`/api/v1/pharmacies/${PHARMACY}/claims?status=DISPENSING`)
        .set(as('operator-token'));
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([
        {
          orderId: ORDER,
          platformOrderId: 'PC-7KQ2-9XW4-M',
          status: 'DISPENSING',
          payout: '10.51',
          currency: 'NZD',
          holdExpiresAt: '2026-11-25T01:02:03.456Z',
          claimedAt: NOW,
        },
      ]);
      expect(res.body.meta.pagination).toMatchObject({ page: 1, limit: 20, total: 1 });
      expect(sent(PHARMACY_RPC.listClaims)).toEqual({
        caller: callerOf('operator-token'),
        pharmacyId: PHARMACY,
        status: 'DISPENSING',
        page: 1,
        limit: 20,
      });
      const other = await http().get(`/api/v1/pharmacies/${OTHER_PHARMACY}/claims`).set(as('operator-token'));
      expect(errorOf(other)).toEqual([404, 'NOT_FOUND']);
      const bad = await http()
        .get(`/api/v1/pharmacies/${PHARMACY}/claims?status=PAID`)
        .set(as('operator-token'));
      expect(errorOf(bad)).toEqual([422, 'VALIDATION_FAILED']);
    });
  });

  describe('files', () => {
    const uploadTarget = (url: string) => ({
      fileId: FILE,
      uploadUrl: url,
      method: 'PUT',
      headers: { 'Content-Type': 'image/png' },
      expiresIn: 900,
    });
    const askUpload = (headers: Record<string, string> = {}) =>
      http().post('/api/v1/files/upload-url').set(as('operator-token')).set(headers).send({
        fileName: 'bag.png',
        contentType: 'image/png',
        size: PNG.length,
        purpose: 'fulfillment_proof',
      });

    it("makes the local store's upload URL absolute on the host the request came to", async () => {
      t.rpc.replies.set(PHARMACY_RPC.createUploadUrl, uploadTarget(`/api/v1/files/upload/${TOKEN}`));
      const res = await askUpload({ Host: 'gateway.example.nz:8443', 'X-Forwarded-Host': 'evil.example' });
      expect(res.status).toBe(201);
      // X-Forwarded-Host counts only behind a proxy TRUST_PROXY trusts (off here).
      expect(res.body.data).toEqual(
        uploadTarget(`http://gateway.example.nz:8443/api/v1/files/upload/${TOKEN}`),
      );
      expect(sent(PHARMACY_RPC.createUploadUrl)).toEqual({
        caller: callerOf('operator-token'),
        fileName: 'bag.png',
        contentType: 'image/png',
        size: PNG.length,
        purpose: 'fulfillment_proof',
      });
    });

    it("passes a storage provider's absolute URL through, and refuses a file over 10 MB or of another type", async () => {
      const supabase = 'https://proj.supabase.co/storage/v1/object/upload/sign/proofs/x?token=abc';
      t.rpc.replies.set(PHARMACY_RPC.createUploadUrl, uploadTarget(supabase));
      expect((await askUpload()).body.data.uploadUrl).toBe(supabase);
      for (const body of [
        { fileName: 'big.png', contentType: 'image/png', size: MAX_UPLOAD_BYTES + 1 },
        { fileName: 'x.gif', contentType: 'image/gif', size: 10 },
      ]) {
        const res = await http().post('/api/v1/files/upload-url').set(as('operator-token')).send(body);
        expect(errorOf(res)).toEqual([422, 'VALIDATION_FAILED']);
      }
    });

    /** Pharmacy's answer to the gateway's check of an upload URL: this many bytes may come. */
    const allowUpload = (maxBytes = MAX_UPLOAD_BYTES) =>
      t.rpc.replies.set(PHARMACY_RPC.checkUpload, { fileId: FILE, maxBytes, contentType: 'image/png' });

    it('forwards the uploaded bytes exactly, base64 over RPC', async () => {
      allowUpload();
      t.rpc.replies.set(PHARMACY_RPC.putFile, { fileId: FILE, size: PNG.length });
      const res = await http()
        .put(`/api/v1/files/upload/${TOKEN}`)
        .set('Content-Type', 'image/png')
        .send(PNG);
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ fileId: FILE, size: PNG.length });
      const { token, base64 } = sent(PHARMACY_RPC.putFile) as { token: string; base64: string };
      expect(token).toBe(TOKEN);
      expect(Buffer.from(base64, 'base64').equals(PNG)).toBe(true);
    });

    it('answers a body over 10 MB with 413 without asking pharmacy', async () => {
      allowUpload();
      const before = asked(PHARMACY_RPC.putFile);
      const res = await http()
        .put(`/api/v1/files/upload/${TOKEN}`)
        .set('Content-Type', 'image/png')
        .send(Buffer.alloc(MAX_UPLOAD_BYTES + 1, 1));
      expect(errorOf(res)).toEqual([413, 'PAYLOAD_TOO_LARGE']);
      expect(asked(PHARMACY_RPC.putFile)).toBe(before);
    });

    it('answers a body larger than the size declared for its URL with 413, never passing it on', async () => {
      allowUpload(PNG.length - 1);
      const before = asked(PHARMACY_RPC.putFile);
      const res = await http()
        .put(`/api/v1/files/upload/${TOKEN}`)
        .set('Content-Type', 'image/png')
        .send(PNG);
      expect(errorOf(res)).toEqual([413, 'PAYLOAD_TOO_LARGE']);
      expect(asked(PHARMACY_RPC.putFile)).toBe(before);
    });

    it('takes exactly 10 MB (the limit is inclusive)', async () => {
      allowUpload();
      t.rpc.replies.set(PHARMACY_RPC.putFile, (data: { base64: string }) => ({
        fileId: FILE,
        size: Buffer.from(data.base64, 'base64').length,
      }));
      const res = await http()
        .put(`/api/v1/files/upload/${TOKEN}`)
        .set('Content-Type', 'application/pdf')
        .send(Buffer.alloc(MAX_UPLOAD_BYTES, 1));
      expect([res.status, res.body.data?.size]).toEqual([200, MAX_UPLOAD_BYTES]);
    });

    it('refuses an upload without an accepted Content-Type (400) or without bytes (422), before asking pharmacy', async () => {
      allowUpload();
      const before = asked(PHARMACY_RPC.putFile);
      const json = await http().put(`/api/v1/files/upload/${TOKEN}`).send({ some: 'json' });
      expect(errorOf(json)).toEqual([400, 'MALFORMED_REQUEST']);
      const gif = await http()
        .put(`/api/v1/files/upload/${TOKEN}`)
        .set('Content-Type', 'image/gif')
        .send(PNG);
      expect(errorOf(gif)).toEqual([400, 'MALFORMED_REQUEST']);
      const empty = await http().put(`/api/v1/files/upload/${TOKEN}`).set('Content-Type', 'image/png');
      expect(errorOf(empty)).toEqual([422, 'VALIDATION_FAILED']);
      expect(asked(PHARMACY_RPC.putFile)).toBe(before);
    });

    it('answers a token that cannot be a signed one 401 1001 without asking pharmacy, and passes its 1001 on', async () => {
      const before = asked(PHARMACY_RPC.putFile);
      for (const token of ['short', 'a'.repeat(2049), 'has%20space.x0123456789']) {
        const res = await http()
          .put(`/api/v1/files/upload/${token}`)
          .set('Content-Type', 'image/png')
          .send(PNG);
        expect([token.slice(0, 20), ...errorOf(res)]).toEqual([token.slice(0, 20), 401, '1001']);
      }
      expect(asked(PHARMACY_RPC.putFile)).toBe(before);
      t.rpc.replies.set(PHARMACY_RPC.checkUpload, () => {
        throw new CodedError('INVALID_CREDENTIALS', 'The file link is invalid or has expired.');
      });
      const altered = await http()
        .put(`/api/v1/files/upload/${TOKEN}x`)
        .set('Content-Type', 'image/png')
        .send(PNG);
      expect(errorOf(altered)).toEqual([401, '1001']);
      expect(altered.headers.connection).toBe('close');
      expect(asked(PHARMACY_RPC.putFile)).toBe(before);
    });

    it('serves a download as the stored bytes with their content type, not enveloped and never cached', async () => {
      t.rpc.replies.set(PHARMACY_RPC.getFile, {
        fileId: FILE,
        fileName: '藥袋 bag.png',
        contentType: 'image/png',
        size: PNG.length,
        base64: PNG.toString('base64'),
      });
      const res = await http()
        .get(`/api/v1/files/download/${TOKEN}`)
        .buffer(true)
        .parse((r, done) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['content-length']).toBe(String(PNG.length));
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect(res.headers['content-disposition']).toBe(
        `inline; filename="__ bag.png"; filename*=UTF-8''${encodeURIComponent('藥袋 bag.png')}`,
      );
      expect((res.body as Buffer).equals(PNG)).toBe(true);
      expect(sent(PHARMACY_RPC.getFile)).toEqual({ token: TOKEN });
    });

    it('answers an expired download link with the 1001 envelope', async () => {
      t.rpc.replies.set(PHARMACY_RPC.getFile, () => {
        throw new CodedError('INVALID_CREDENTIALS', 'The file link is invalid or has expired.');
      });
      const res = await http().get(`/api/v1/files/download/${TOKEN}`);
      expect(errorOf(res)).toEqual([401, '1001']);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
    });

    it('confirms a file for its uploader with the checksum passed on', async () => {
      const checksum = createHash('sha256').update(PNG).digest('hex');
      const confirmed = {
        fileId: FILE,
        status: 'confirmed',
        size: PNG.length,
        contentType: 'image/png',
        checksum,
      };
      t.rpc.replies.set(PHARMACY_RPC.confirmFile, confirmed);
      const res = await http()
        .post('/api/v1/files/confirm')
        .set(as('pos-key'))
        .send({ fileId: FILE, checksum });
      expect([res.status, res.body.data]).toEqual([200, confirmed]);
      expect(sent(PHARMACY_RPC.confirmFile)).toEqual({ caller: callerOf('pos-key'), fileId: FILE, checksum });
    });
  });

  describe('fulfillment proofs', () => {
    it('answers a submitted proof 201 with its payout as money', async () => {
      t.rpc.replies.set(PHARMACY_RPC.submitProof, proofView());
      const res = await http()
        .post('/api/v1/fulfillment-proofs')
        .set(as('operator-token'))
        .send({ orderId: ORDER, fileIds: [FILE], notes: 'Collected by the patient' });
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({
        id: PROOF,
        orderId: ORDER,
        pharmacyId: PHARMACY,
        reviewStatus: 'pending',
        payout: '42.07',
        currency: 'NZD',
      });
      expect(res.body.data).not.toHaveProperty('payoutCents');
      expect(sent(PHARMACY_RPC.submitProof)).toEqual({
        caller: callerOf('operator-token'),
        orderId: ORDER,
        fileIds: [FILE],
        notes: 'Collected by the patient',
      });
    });

    it("answers a second pharmacy's claim 409 2003 and an unconfirmed claim 502 5001 with the proof id", async () => {
      t.rpc.replies.set(PHARMACY_RPC.submitProof, () => {
        throw new CodedError('INVALID_ORDER_STATUS', 'The order was claimed by another pharmacy.');
      });
      const lost = await http()
        .post('/api/v1/fulfillment-proofs')
        .set(as('operator-token'))
        .send({ orderId: ORDER, fileIds: [FILE] });
      expect(errorOf(lost)).toEqual([409, '2003']);
      t.rpc.replies.set(PHARMACY_RPC.submitProof, () => {
        throw new CodedError('EXTERNAL_SERVICE_ERROR', 'Orders did not confirm the claim yet.', {
          proofId: PROOF,
        });
      });
      const pending = await http()
        .post('/api/v1/fulfillment-proofs')
        .set(as('operator-token'))
        .send({ orderId: ORDER, fileIds: [FILE] });
      expect([...errorOf(pending), pending.body.error.details]).toEqual([502, '5001', { proofId: PROOF }]);
    });

    it('refuses a proof without files or with a file twice', async () => {
      for (const fileIds of [[], [FILE, FILE]]) {
        const res = await http()
          .post('/api/v1/fulfillment-proofs')
          .set(as('operator-token'))
          .send({ orderId: ORDER, fileIds });
        expect(errorOf(res)).toEqual([422, 'VALIDATION_FAILED']);
      }
    });

    it('lists proofs for admins with absolute, signed download URLs', async () => {
      const signed = `/api/v1/files/download/${TOKEN}`;
      t.rpc.replies.set(PHARMACY_RPC.listProofs, {
        items: [
          proofView({
            files: [
              {
                fileId: FILE,
                fileName: 'bag.png',
                contentType: 'image/png',
                size: PNG.length,
                downloadUrl: signed,
                expiresIn: 900,
              },
            ],
          }),
        ],
        total: 1,
        page: 1,
        limit: 20,
      });
      const res = await http()
        .get('/api/v1/admin/fulfillments?status=pending')
        .set(as('admin-token'))
        .set('Host', 'api.prescriptchain.test');
      expect(res.status).toBe(200);
      expect(res.body.data[0].files).toEqual([
        {
          fileId: FILE,
          fileName: 'bag.png',
          contentType: 'image/png',
          size: PNG.length,
          downloadUrl: `http://api.prescriptchain.test${signed}`,
          expiresIn: 900,
        },
      ]);
      expect(res.body.meta.pagination).toMatchObject({ page: 1, limit: 20, total: 1 });
      expect(sent(PHARMACY_RPC.listProofs)).toEqual({
        caller: callerOf('admin-token'),
        status: 'pending',
        page: 1,
        limit: 20,
      });
    });

    it('reviews a proof as the calling admin', async () => {
      const admin = PRINCIPALS['admin-token'].userId;
      t.rpc.replies.set(
        PHARMACY_RPC.reviewProof,
        proofView({
          reviewStatus: 'approved',
          reviewerId: admin,
          reviewComments: 'Clear photo',
          reviewedAt: NOW,
        }),
      );
      const res = await http()
        .post(`/api/v1/admin/fulfillments/${PROOF}/review`)
        .set(as('admin-token'))
        .send({ decision: 'approve', comments: 'Clear photo' });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ reviewStatus: 'approved', reviewerId: admin, payout: '42.07' });
      expect(sent(PHARMACY_RPC.reviewProof)).toEqual({
        caller: callerOf('admin-token'),
        proofId: PROOF,
        decision: 'approve',
        comments: 'Clear photo',
        reviewerId: admin,
      });
      const bad = await http()
        .post(`/api/v1/admin/fulfillments/${PROOF}/review`)
        .set(as('admin-token'))
        .send({ decision: 'maybe' });
      expect(errorOf(bad)).toEqual([422, 'VALIDATION_FAILED']);
    });

    it('fails as a 500 without internals when pharmacy answers a payout off contract', async () => {
      t.rpc.replies.set(PHARMACY_RPC.submitProof, proofView({ payoutCents: 42.07 }));
      const res = await http()
        .post('/api/v1/fulfillment-proofs')
        .set(as('operator-token'))
        .send({ orderId: ORDER, fileIds: [FILE] });
      expect(errorOf(res)).toEqual([500, 'INTERNAL_ERROR']);
      expect(JSON.stringify(res.body)).not.toContain('42.07');
    });
  });
});

describe('the uploads rate limit (real Redis)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      config: { rateLimits: { uploads: 2 }, rateLimitKeyPrefix: `test:pharmacy-routes:${randomUUID()}:` },
    });
    t.rpc.replies.set(IDENTITY_RPC.authenticate, authenticate);
    t.rpc.replies.set(PHARMACY_RPC.createUploadUrl, {
      fileId: FILE,
      uploadUrl: `/api/v1/files/upload/${TOKEN}`,
      method: 'PUT',
      headers: { 'Content-Type': 'image/png' },
      expiresIn: 900,
    });
  });
  afterAll(async () => {
    await t?.app.close();
  });

  it('counts upload URLs per user per hour and answers the next one 429 with Retry-After', async () => {
    const ask = () =>
      request(t.app.getHttpServer())
        .post('/api/v1/files/upload-url')
        .set(as('operator-token'))
        .send({ fileName: 'a.png', contentType: 'image/png', size: 10 });
    expect((await ask()).status).toBe(201);
    expect((await ask()).status).toBe(201);
    const refused = await ask();
    expect([refused.status, refused.body.error.code]).toEqual([429, '5002']);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3000);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(3600);
    // Another user has their own allowance.
    const other = await request(t.app.getHttpServer())
      .post('/api/v1/files/upload-url')
      .set(as('pos-key'))
      .send({ fileName: 'a.png', contentType: 'image/png', size: 10 });
    expect(other.status).toBe(201);
  });
});
