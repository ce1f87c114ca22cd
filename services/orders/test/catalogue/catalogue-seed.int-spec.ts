import { MedicineRepository } from '../../src/application/ports/medicine-repository';
import { SeedCatalogueHandler } from '../../src/application/catalogue/seed-catalogue/seed-catalogue.handler';
import { PrismaMedicineRepository } from '../../src/adapters/outbound/prisma/prisma-medicine.repository';
import { OrdersPrismaService } from '../../src/adapters/outbound/prisma/orders-prisma.service';
import { SEED_MEDICINES } from '../../src/domain/catalogue/seed-catalogue';
import { type CatalogueKit, startCatalogue } from './catalogue-test-kit';

/** Row versions: a row whose xmin is unchanged was not written. */
const versions = async (kit: CatalogueKit) =>
  new Map(
    (
      await kit.prisma.$queryRaw<{ sku: string; v: string }[]>`SELECT sku, xmin::text AS v FROM medicines`
    ).map((r) => [r.sku, r.v]),
  );

describe('catalogue seed at start-up', () => {
  let kit: CatalogueKit;
  let sut: SeedCatalogueHandler;
  beforeAll(async () => {
    kit = await startCatalogue('catalogue_seed');
    sut = kit.get(SeedCatalogueHandler);
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('loads every medicine of data/medicines.json with its search columns and price in NZD', async () => {
    expect(await kit.prisma.medicine.count()).toBe(SEED_MEDICINES.length);
    const dangGui = await kit.prisma.medicine.findUniqueOrThrow({ where: { sku: 'RAW-DANGGUI' } });
    const seeded = SEED_MEDICINES.find((m) => m.sku === 'RAW-DANGGUI')!;
    expect(dangGui).toMatchObject({
      name: '当归',
      pinyinKey: 'danggui',
      pinyinInitials: 'dg',
      status: 'active',
    });
    expect(dangGui.pricePerUnit.toFixed(2)).toBe((seeded.priceCentsPerGram / 100).toFixed(2));
    expect(dangGui.maxDailyDose.toString()).toBe(String(seeded.maxDailyDoseGrams));
  });

  it('does nothing on the next boot when the data is unchanged: one read, no row written', async () => {
    const before = await versions(kit);
    const started = performance.now();
    const result = await sut.execute();
    const elapsed = performance.now() - started;
    expect(result.status).toBe('unchanged');
    expect(await versions(kit)).toEqual(before);
    expect(elapsed).toBeLessThan(500);
  });

  it('applies changed data by SKU: updates what changed, adds what is new, never un-retires or overrides an admin', async () => {
    const repo = kit.get(MedicineRepository);
    const retired = await kit.prisma.medicine.findUniqueOrThrow({ where: { sku: 'RAW-GANCAO' } });
    await repo.update(retired.id, { status: 'retired' });
    const edited = await kit.prisma.medicine.findUniqueOrThrow({ where: { sku: 'RAW-RENSHEN' } });
    await repo.update(edited.id, { priceCents: 999 });
    const before = await versions(kit);

    const changed = SEED_MEDICINES.map((m) =>
      ['RAW-DANGGUI', 'RAW-GANCAO', 'RAW-RENSHEN'].includes(m.sku)
        ? { ...m, priceCentsPerGram: m.priceCentsPerGram + 1 }
        : m,
    );
    const extra = {
      ...SEED_MEDICINES.find((m) => m.sku === 'RAW-DANGGUI')!,
      sku: 'RAW-DANGGUIWEI',
      name: '当归尾',
    };
    const result = await sut.execute([...changed, extra]);

    expect(result).toMatchObject({ status: 'applied', inserted: 1, updated: 2 });
    const after = await versions(kit);
    const rewritten = [...after]
      .filter(([sku, v]) => before.get(sku) !== v)
      .map(([sku]) => sku)
      .sort();
    expect(rewritten).toEqual(['RAW-DANGGUI', 'RAW-DANGGUIWEI', 'RAW-GANCAO']);
    const row = (sku: string) => kit.prisma.medicine.findUniqueOrThrow({ where: { sku } });
    expect((await row('RAW-GANCAO')).status).toBe('retired');
    expect((await row('RAW-RENSHEN')).pricePerUnit.toFixed(2)).toBe('9.99');
    expect((await sut.execute([...changed, extra])).status).toBe('unchanged');
  });

  it('seeds once when two instances boot at the same time', async () => {
    const clients = [0, 1].map(() => new OrdersPrismaService(kit.db.url));
    try {
      await kit.prisma.catalogueSeed.deleteMany();
      const seed = SEED_MEDICINES.map((m) => ({ ...m, englishName: `${m.englishName} ` }));
      const results = await Promise.all(
        clients.map((c) => new SeedCatalogueHandler(new PrismaMedicineRepository(c)).execute(seed)),
      );
      // The loser either waited on the lock and found the work done, or started after it was done.
      expect(results.filter((r) => r.status === 'applied')).toHaveLength(1);
      expect(
        await kit.prisma.medicine.count({ where: { sku: { in: SEED_MEDICINES.map((m) => m.sku) } } }),
      ).toBe(SEED_MEDICINES.length);
    } finally {
      await Promise.all(clients.map((c) => c.$disconnect()));
    }
  });
});
