import { type INestMicroservice, Module } from '@nestjs/common';
import {
  MedicinePageSchema,
  MedicineSchema,
  ORDERS_CATALOGUE_RPC,
  TemplateSchema,
} from '@prescriptchain/contracts';
import { AmqpRpcClient, createServiceMicroservice } from '@prescriptchain/messaging';
import {
  createTestDatabase,
  createTestVhost,
  type TestDatabase,
  type TestVhost,
} from '../../../../test/support/infra';
import { migrate } from '../../../../tools/migrate';
import { OrdersPrismaModule } from '../../src/adapters/outbound/prisma/orders-prisma.service';
import { CatalogueModule } from '../../src/catalogue.module';
import { MIGRATIONS } from './catalogue-test-kit';

const ADMIN = { userId: '6f1c1f3e-3d1a-4c55-9a43-1c1b7c9c1a01', role: 'admin' };
const DR_LI = { userId: '6f1c1f3e-3d1a-4c55-9a43-1c1b7c9c1a02', role: 'practitioner' };

/** CatalogueModule answering over RabbitMQ the way the gateway calls it. */
describe('catalogue and templates over RPC', () => {
  let db: TestDatabase;
  let vhost: TestVhost;
  let app: INestMicroservice;
  let rpc: AmqpRpcClient;

  const call = <T>(pattern: string, data: unknown) => rpc.call<T>(pattern, data, { deadlineMs: 5_000 });
  const failure = (pattern: string, data: unknown) =>
    call(pattern, data).then(
      () => ({ code: 'ok', details: undefined as unknown }),
      (e: { code: string; details: unknown }) => ({ code: e.code, details: e.details }),
    );

  beforeAll(async () => {
    db = await createTestDatabase('catalogue_rpc');
    vhost = await createTestVhost('catalogue_rpc');
    await migrate(db.url, MIGRATIONS);
    @Module({ imports: [OrdersPrismaModule.forRoot(db.url), CatalogueModule] })
    class TestModule {}
    app = await createServiceMicroservice(TestModule, {
      service: 'orders',
      url: vhost.url,
      nest: { logger: false },
      shutdownHooks: false,
    });
    await app.listen();
    rpc = new AmqpRpcClient({ url: vhost.url, name: 'catalogue-rpc-test' });
    await rpc.connect();
  });

  afterAll(async () => {
    await rpc?.close();
    await app?.close();
    await db?.drop();
    await vhost?.drop();
  });

  it('searches the seeded catalogue, replying in the contract’s shape', async () => {
    const page = MedicinePageSchema.parse(
      await call(ORDERS_CATALOGUE_RPC.searchMedicines, { q: 'dang gui', page: '1', limit: '5' }),
    );
    expect(page.items[0]).toMatchObject({ sku: 'RAW-DANGGUI', currency: 'NZD' });
    expect(page).toMatchObject({ page: 1, limit: 5 });
  });

  it('maps contract violations to VALIDATION_FAILED with paths, and missing rows to NOT_FOUND', async () => {
    expect(await failure(ORDERS_CATALOGUE_RPC.searchMedicines, { limit: 500, sort: 'colour:asc' })).toEqual({
      code: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ path: 'limit' }), expect.objectContaining({ path: 'sort' })],
    });
    expect((await failure(ORDERS_CATALOGUE_RPC.getMedicine, { id: 'nope' })).code).toBe('NOT_FOUND');
    expect(
      (await failure(ORDERS_CATALOGUE_RPC.searchMedicines, { includeRetired: true, caller: DR_LI })).code,
    ).toBe('1003');
  });

  it('lets an admin create, update and retire a medicine; others get 1003', async () => {
    const input = {
      caller: ADMIN,
      sku: 'raw-baizhuchao',
      name: '炒白术',
      herbName: '白术',
      pinyin: 'chǎo bái zhú',
      englishName: 'Dry-fried White Atractylodes Rhizome',
      latinName: 'Atractylodis Macrocephalae Rhizoma',
      category: 'Tonify Qi',
      price: 9,
      maxDailyDose: 12,
      minDailyDose: '6',
    };
    expect((await failure(ORDERS_CATALOGUE_RPC.createMedicine, { ...input, caller: DR_LI })).code).toBe(
      '1003',
    );
    const created = MedicineSchema.parse(await call(ORDERS_CATALOGUE_RPC.createMedicine, input));
    expect(created).toMatchObject({
      sku: 'RAW-BAIZHUCHAO',
      maxDailyDose: '12',
      minDailyDose: '6',
      form: 'raw',
      price: 9,
    });
    expect((await failure(ORDERS_CATALOGUE_RPC.createMedicine, input)).code).toBe('CONFLICT');
    const updated = MedicineSchema.parse(
      await call(ORDERS_CATALOGUE_RPC.updateMedicine, { caller: ADMIN, id: created.id, price: 11 }),
    );
    expect(updated.price).toBe(11);
    const retired = MedicineSchema.parse(
      await call(ORDERS_CATALOGUE_RPC.retireMedicine, { caller: ADMIN, id: created.id }),
    );
    expect(retired.status).toBe('retired');
  });

  it('keeps a practitioner’s templates to themselves', async () => {
    const [dangGui] = MedicinePageSchema.parse(
      await call(ORDERS_CATALOGUE_RPC.searchMedicines, { q: 'RAW-DANGGUI' }),
    ).items;
    const created = TemplateSchema.parse(
      await call(ORDERS_CATALOGUE_RPC.createTemplate, {
        caller: DR_LI,
        name: 'Dang Gui',
        items: [{ medicineId: dangGui.id, quantity: 9.5 }],
      }),
    );
    expect(created.items[0]).toMatchObject({ quantity: '9.5', dosageInstructions: null });
    const other = { userId: '6f1c1f3e-3d1a-4c55-9a43-1c1b7c9c1a03', role: 'practitioner' };
    expect((await failure(ORDERS_CATALOGUE_RPC.getTemplate, { caller: other, id: created.id })).code).toBe(
      'NOT_FOUND',
    );
    expect(
      await failure(ORDERS_CATALOGUE_RPC.createTemplate, {
        caller: DR_LI,
        name: 'x',
        items: [{ medicineId: dangGui.id, quantity: '0' }],
      }),
    ).toEqual({
      code: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ path: 'items.0.quantity' })],
    });
    expect(await call(ORDERS_CATALOGUE_RPC.deleteTemplate, { caller: DR_LI, id: created.id })).toEqual({
      id: created.id,
      deleted: true,
    });
  });
});
