import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { OrdersPrismaModule } from '../../src/adapters/outbound/prisma/orders-prisma.service';
import { CreateMedicineHandler } from '../../src/application/catalogue/create-medicine/create-medicine.handler';
import type { MedicineInput } from '../../src/application/catalogue/medicine-definition';
import { RetireMedicineHandler } from '../../src/application/catalogue/retire-medicine/retire-medicine.handler';
import { CatalogueSearchIndexService } from '../../src/application/catalogue/search-index/catalogue-search-index.service';
import { SearchMedicinesHandler } from '../../src/application/catalogue/search-medicines/search-medicines.handler';
import { UpdateMedicineHandler } from '../../src/application/catalogue/update-medicine/update-medicine.handler';
import { CatalogueModule } from '../../src/catalogue.module';
import { SEED_MEDICINES } from '../../src/domain/catalogue/seed-catalogue';
import { type CatalogueKit, startCatalogue } from './catalogue-test-kit';

const ADMIN = { userId: '6f1c1f3e-3d1a-4c55-9a43-1c1b7c9c1a01', role: 'admin' as const };

const XIN_YAO: MedicineInput & { sku: string } = {
  sku: 'RAW-XINYAO',
  name: '新药',
  herbName: '新药',
  pinyin: 'xīn yào',
  englishName: 'Novel Remedy Root',
  latinName: 'Remedium Novum Radix',
  category: 'Tonify Qi',
  unit: 'g',
  form: 'raw',
  price: 12,
  minDailyDose: '3',
  maxDailyDose: '10',
  pregnancy: 'none',
  toxicity: 'none',
  nzRestricted: false,
};

/** A second orders replica on the same database (its own CatalogueModule and in-memory index). */
async function replica(url: string): Promise<INestApplicationContext> {
  @Module({ imports: [OrdersPrismaModule.forRoot(url), CatalogueModule] })
  class ReplicaModule {}
  return NestFactory.createApplicationContext(ReplicaModule, { logger: false, abortOnError: false });
}

describe('catalogue search index over PostgreSQL (two replicas, one database)', () => {
  let kit: CatalogueKit;
  let other: INestApplicationContext;
  let otherIndex: CatalogueSearchIndexService;
  const refreshMs = process.env.CATALOGUE_INDEX_REFRESH_MS;
  const page = { page: 1, limit: 20, includeRetired: false };
  const searchOn = (app: { get: INestApplicationContext['get'] }, q: string) =>
    app.get(SearchMedicinesHandler).execute({ q, ...page });

  beforeAll(async () => {
    // No timer: this suite refreshes the second replica by hand, so what it sees is deterministic.
    process.env.CATALOGUE_INDEX_REFRESH_MS = '0';
    kit = await startCatalogue('catalogue_index');
    other = await replica(kit.db.url);
    otherIndex = other.get(CatalogueSearchIndexService);
    await Promise.all([kit.get(CatalogueSearchIndexService).start(), otherIndex.start()]);
  });
  afterAll(async () => {
    if (refreshMs === undefined) delete process.env.CATALOGUE_INDEX_REFRESH_MS;
    else process.env.CATALOGUE_INDEX_REFRESH_MS = refreshMs;
    await other?.close();
    await kit?.close();
  });

  it('is built from the database and answers from memory', async () => {
    const index = kit.get(CatalogueSearchIndexService);
    expect(index.isReady).toBe(true);
    expect(index.medicines).toBe(SEED_MEDICINES.length);
    expect(
      index.search('angelca sinensis', { includeRetired: false }, { offset: 0, limit: 1 })?.items[0].sku,
    ).toBe('RAW-DANGGUI');
    const first = (await searchOn(kit, 'dnag gui')).items[0];
    expect(first).toMatchObject({ sku: 'RAW-DANGGUI', name: '当归', currency: 'NZD' });
  });

  it('shows a create, an edit and a retirement on the replica that made them at once, on another after its refresh', async () => {
    const created = await kit.get(CreateMedicineHandler).execute(ADMIN, XIN_YAO);
    expect((await searchOn(kit, 'xin yao')).items[0]).toEqual(created);
    expect((await searchOn(other, 'xin yao')).items.map((m) => m.sku)).not.toContain('RAW-XINYAO');
    await otherIndex.refresh();
    expect((await searchOn(other, 'xin yao')).items[0]).toEqual(created);

    const edited = await kit
      .get(UpdateMedicineHandler)
      .execute(ADMIN, created.id, { englishName: 'Dong Novel Herb' });
    expect((await searchOn(kit, 'dong novel')).items[0]).toEqual(edited);
    await otherIndex.refresh();
    expect((await searchOn(other, 'dong novel')).items[0]).toEqual(edited);
    expect((await searchOn(other, 'novel remedy')).items.map((m) => m.sku)).not.toContain('RAW-XINYAO');

    await other.get(RetireMedicineHandler).execute(ADMIN, created.id);
    expect((await searchOn(other, '新药')).total).toBe(0);
    expect((await searchOn(kit, '新药')).total).toBe(1);
    await kit.get(CatalogueSearchIndexService).refresh();
    expect((await searchOn(kit, '新药')).total).toBe(0);
  });

  it('misses no change of a transaction that commits after a refresh has read past it', async () => {
    const c = new Client({ connectionString: kit.db.url });
    await c.connect();
    try {
      await c.query('BEGIN');
      await c.query(`UPDATE medicines SET english_name = 'Slow Writer Root' WHERE sku = 'RAW-HUANGQI'`);
      await otherIndex.refresh(); // reads while the writer is still open: it sees nothing yet
      expect((await searchOn(other, 'slow writer')).total).toBe(0);
      await c.query('COMMIT');
      await otherIndex.refresh();
      expect((await searchOn(other, 'slow writer')).items[0].sku).toBe('RAW-HUANGQI');
    } finally {
      await c.end();
    }
  });
});
