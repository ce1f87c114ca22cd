/**
 * The medicine catalogue and prescription-template routes through the real gateway (in-process)
 * against a fake orders (FakeBackendRpc): what the gateway sends (cents per unit, the caller),
 * how it formats answers ("0.45" + NZD, pagination), and what it refuses before asking anyone.
 */
import { randomUUID } from 'node:crypto';
import {
  type AuthenticatedPrincipal,
  CodedError,
  IDENTITY_RPC,
  type MedicineView,
  ORDERS_CATALOGUE_RPC,
  type TemplateView,
} from '@prescriptchain/contracts';
import request from 'supertest';
import { fakePrincipals, principal } from './support/fake-principals';
import { createTestApp, type TestApp } from './support/test-app';

const NOW = '2026-11-22T01:02:03.456Z';
const PRINCIPALS: Record<string, AuthenticatedPrincipal> = {
  'admin-token': principal('admin'),
  'practitioner-token': principal('practitioner'),
  'operator-token': principal('pharmacy_operator'),
};
const { authenticate, as } = fakePrincipals(PRINCIPALS);

const callerOf = (token: string) => ({ userId: PRINCIPALS[token].userId, role: PRINCIPALS[token].role });

const medicineView = (over: Partial<MedicineView> = {}): MedicineView => ({
  id: randomUUID(),
  sku: 'RAW-DANGGUI',
  name: '当归',
  herbName: '当归',
  pinyinName: 'dāng guī',
  pinyinPlain: 'dang gui',
  englishName: 'Chinese Angelica Root',
  latinName: 'Angelicae Sinensis Radix',
  category: 'Tonify Blood',
  unit: 'g',
  price: 45,
  currency: 'NZD',
  status: 'active',
  form: 'raw',
  granuleRatio: null,
  minDailyDose: '6',
  maxDailyDose: '12',
  decoction: null,
  pregnancy: 'caution',
  toxicity: 'none',
  nzRestricted: false,
  restrictionReason: null,
  createdAt: NOW,
  updatedAt: NOW,
  ...over,
});

const templateView = (over: Partial<TemplateView> = {}): TemplateView => ({
  id: randomUUID(),
  practitionerId: PRINCIPALS['practitioner-token'].userId,
  name: 'Si Wu Tang',
  notes: null,
  items: [
    {
      medicineId: randomUUID(),
      quantity: '12.5',
      dosageInstructions: null,
      medicine: {
        sku: 'RAW-DANGGUI',
        name: '当归',
        pinyinName: 'dāng guī',
        englishName: 'Chinese Angelica Root',
        unit: 'g',
        status: 'active',
      },
    },
  ],
  createdAt: NOW,
  updatedAt: NOW,
  ...over,
});

describe('catalogue and template routes (fake orders)', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());
  const sent = (pattern: string) => t.rpc.calls.filter((c) => c.pattern === pattern).at(-1)?.data;
  const asked = (pattern: string) => t.rpc.calls.filter((c) => c.pattern === pattern).length;

  beforeAll(async () => {
    t = await createTestApp();
    t.rpc.replies.set(IDENTITY_RPC.authenticate, authenticate);
  });
  afterAll(async () => {
    await t?.app.close();
  });

  describe('GET /medicines', () => {
    it('searches without credentials and answers prices as "0.45" with the currency and meta.pagination', async () => {
      const danggui = medicineView();
      t.rpc.replies.set(ORDERS_CATALOGUE_RPC.searchMedicines, {
        items: [danggui],
        total: 41,
        page: 3,
        limit: 20,
      });
      const res = await http().get('/api/v1/medicines?q=dang%20gui&category=Tonify%20Blood&page=3');
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([
        {
          ...danggui,
          price: '0.45',
        },
      ]);
      expect(res.body.meta.pagination).toEqual({
        page: 3,
        limit: 20,
        total: 41,
        totalPages: 3,
        hasNext: false,
        hasPrev: true,
      });
      expect(sent(ORDERS_CATALOGUE_RPC.searchMedicines)).toEqual({
        q: 'dang gui',
        category: 'Tonify Blood',
        page: 3,
        limit: 20,
      });
    });

    it('passes a sort through and refuses a bad one, or a limit over 100, with 422 before asking orders', async () => {
      t.rpc.replies.set(ORDERS_CATALOGUE_RPC.searchMedicines, { items: [], total: 0, page: 1, limit: 5 });
      const sorted = await http().get('/api/v1/medicines?sort=price:desc&limit=5');
      expect([sorted.status, sorted.body.data, sorted.body.meta.pagination.totalPages]).toEqual([200, [], 0]);
      expect(sent(ORDERS_CATALOGUE_RPC.searchMedicines)).toEqual({ sort: 'price:desc', page: 1, limit: 5 });
      const before = asked(ORDERS_CATALOGUE_RPC.searchMedicines);
      const bad = await http().get('/api/v1/medicines?sort=price&limit=101');
      expect([bad.status, bad.body.error.details.map((d: { path: string }) => d.path).sort()]).toEqual([
        422,
        ['limit', 'sort'],
      ]);
      expect(asked(ORDERS_CATALOGUE_RPC.searchMedicines)).toBe(before);
    });

    it('fails as a 500 without internals when orders answers a price that is not whole cents', async () => {
      t.rpc.replies.set(ORDERS_CATALOGUE_RPC.searchMedicines, {
        items: [medicineView({ price: 0.45 })],
        total: 1,
        page: 1,
        limit: 20,
      });
      const res = await http().get('/api/v1/medicines');
      expect([res.status, res.body.error.code]).toEqual([500, 'INTERNAL_ERROR']);
    });
  });

  it('reads one medicine publicly, and passes NOT_FOUND through', async () => {
    const m = medicineView({ status: 'retired' });
    t.rpc.replies.set(ORDERS_CATALOGUE_RPC.getMedicine, (data: { id: string }) => {
      if (data.id !== m.id) throw new CodedError('NOT_FOUND', 'Medicine not found.');
      return m;
    });
    const res = await http().get(`/api/v1/medicines/${m.id}`);
    expect([res.status, res.body.data.status, res.body.data.price]).toEqual([200, 'retired', '0.45']);
    const missing = await http().get(`/api/v1/medicines/${randomUUID()}`);
    expect([missing.status, missing.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  describe('admin changes', () => {
    const body = {
      sku: 'raw-chuanxiong',
      name: '川芎',
      pinyin: 'chuān xiōng',
      englishName: 'Sichuan Lovage Rhizome',
      category: 'Invigorate Blood',
      price: '0.62',
      maxDailyDose: '10',
    };

    it('creates with the price in cents and the admin as caller; answers 201', async () => {
      t.rpc.replies.set(
        ORDERS_CATALOGUE_RPC.createMedicine,
        medicineView({ sku: 'RAW-CHUANXIONG', price: 62 }),
      );
      const res = await http().post('/api/v1/medicines').set(as('admin-token')).send(body);
      expect([res.status, res.body.data.price, res.body.data.sku]).toEqual([201, '0.62', 'RAW-CHUANXIONG']);
      expect(sent(ORDERS_CATALOGUE_RPC.createMedicine)).toEqual({
        ...body,
        sku: 'RAW-CHUANXIONG',
        price: 62,
        unit: 'g',
        form: 'raw',
        pregnancy: 'none',
        toxicity: 'none',
        nzRestricted: false,
        caller: callerOf('admin-token'),
      });
    });

    it('refuses a price as a JSON number, with three decimals, or of zero (422), and passes a taken SKU as 409', async () => {
      const before = asked(ORDERS_CATALOGUE_RPC.createMedicine);
      for (const price of [0.62, '0.625', '0.00']) {
        const res = await http()
          .post('/api/v1/medicines')
          .set(as('admin-token'))
          .send({ ...body, price });
        expect([String(price), res.status, res.body.error.details[0].path]).toEqual([
          String(price),
          422,
          'price',
        ]);
      }
      expect(asked(ORDERS_CATALOGUE_RPC.createMedicine)).toBe(before);
      t.rpc.replies.set(ORDERS_CATALOGUE_RPC.createMedicine, () => {
        throw new CodedError('CONFLICT', 'SKU RAW-CHUANXIONG is already in the catalogue.');
      });
      const taken = await http().post('/api/v1/medicines').set(as('admin-token')).send(body);
      expect([taken.status, taken.body.error.code]).toEqual([409, 'CONFLICT']);
    });

    it('updates only the fields sent, the price in cents', async () => {
      const id = randomUUID();
      t.rpc.replies.set(ORDERS_CATALOGUE_RPC.updateMedicine, medicineView({ id, price: 50 }));
      const res = await http().put(`/api/v1/medicines/${id}`).set(as('admin-token')).send({ price: '0.5' });
      expect([res.status, res.body.data.price]).toEqual([200, '0.50']);
      expect(sent(ORDERS_CATALOGUE_RPC.updateMedicine)).toEqual({
        id,
        price: 50,
        caller: callerOf('admin-token'),
      });
    });

    it('retires a medicine and answers it with status retired', async () => {
      const id = randomUUID();
      t.rpc.replies.set(ORDERS_CATALOGUE_RPC.retireMedicine, medicineView({ id, status: 'retired' }));
      const res = await http().delete(`/api/v1/medicines/${id}`).set(as('admin-token'));
      expect([res.status, res.body.data.status]).toEqual([200, 'retired']);
      expect(sent(ORDERS_CATALOGUE_RPC.retireMedicine)).toEqual({ id, caller: callerOf('admin-token') });
    });
  });

  describe('prescription templates', () => {
    it('lists the caller’s own templates with meta.pagination', async () => {
      const tpl = templateView();
      t.rpc.replies.set(ORDERS_CATALOGUE_RPC.listTemplates, { items: [tpl], total: 1, page: 1, limit: 20 });
      const res = await http().get('/api/v1/prescription-templates').set(as('practitioner-token'));
      expect([res.status, res.body.data, res.body.meta.pagination.total]).toEqual([200, [tpl], 1]);
      expect(sent(ORDERS_CATALOGUE_RPC.listTemplates)).toEqual({
        caller: callerOf('practitioner-token'),
        page: 1,
        limit: 20,
      });
    });

    it('creates (201), reads, updates and deletes (204) with the practitioner as caller', async () => {
      const tpl = templateView();
      const item = { medicineId: tpl.items[0].medicineId, quantity: 12.5 };
      t.rpc.replies.set(ORDERS_CATALOGUE_RPC.createTemplate, tpl);
      const created = await http()
        .post('/api/v1/prescription-templates')
        .set(as('practitioner-token'))
        .send({ name: 'Si Wu Tang', items: [item] });
      expect([created.status, created.body.data]).toEqual([201, tpl]);
      expect(sent(ORDERS_CATALOGUE_RPC.createTemplate)).toEqual({
        name: 'Si Wu Tang',
        items: [{ medicineId: item.medicineId, quantity: '12.5' }],
        caller: callerOf('practitioner-token'),
      });

      t.rpc.replies.set(ORDERS_CATALOGUE_RPC.getTemplate, tpl);
      const read = await http().get(`/api/v1/prescription-templates/${tpl.id}`).set(as('practitioner-token'));
      expect([read.status, read.body.data.id]).toEqual([200, tpl.id]);

      t.rpc.replies.set(ORDERS_CATALOGUE_RPC.updateTemplate, { ...tpl, notes: null });
      const updated = await http()
        .put(`/api/v1/prescription-templates/${tpl.id}`)
        .set(as('practitioner-token'))
        .send({ notes: null });
      expect(updated.status).toBe(200);
      expect(sent(ORDERS_CATALOGUE_RPC.updateTemplate)).toEqual({
        id: tpl.id,
        notes: null,
        caller: callerOf('practitioner-token'),
      });

      t.rpc.replies.set(ORDERS_CATALOGUE_RPC.deleteTemplate, { id: tpl.id, deleted: true });
      const deleted = await http()
        .delete(`/api/v1/prescription-templates/${tpl.id}`)
        .set(as('practitioner-token'));
      expect([deleted.status, deleted.text]).toEqual([204, '']);
    });

    it("passes orders' 404 through for someone else's template", async () => {
      t.rpc.replies.set(ORDERS_CATALOGUE_RPC.deleteTemplate, () => {
        throw new CodedError('NOT_FOUND', 'Template not found.');
      });
      const res = await http()
        .delete(`/api/v1/prescription-templates/${randomUUID()}`)
        .set(as('practitioner-token'));
      expect([res.status, res.body.error.code]).toEqual([404, 'NOT_FOUND']);
    });

    it('refuses an empty formula with 422, and other roles with 403, before asking orders', async () => {
      const before = asked(ORDERS_CATALOGUE_RPC.createTemplate);
      const empty = await http()
        .post('/api/v1/prescription-templates')
        .set(as('practitioner-token'))
        .send({ name: 'x', items: [] });
      expect([empty.status, empty.body.error.details[0].path]).toEqual([422, 'items']);
      const admin = await http()
        .post('/api/v1/prescription-templates')
        .set(as('admin-token'))
        .send({ name: 'x', items: [] });
      expect([admin.status, admin.body.error.code]).toEqual([403, '1003']);
      expect(asked(ORDERS_CATALOGUE_RPC.createTemplate)).toBe(before);
    });
  });
});
