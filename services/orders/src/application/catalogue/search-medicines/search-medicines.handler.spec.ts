import { FakeMedicineRepository } from '../../../../test/catalogue/fake-medicine.repository';
import { SearchMedicinesHandler } from './search-medicines.handler';

const ADMIN = { userId: '6f1c1f3e-3d1a-4c55-9a43-1c1b7c9c1a01', role: 'admin' as const };
const PRACTITIONER = { userId: '6f1c1f3e-3d1a-4c55-9a43-1c1b7c9c1a02', role: 'practitioner' as const };

describe(SearchMedicinesHandler.name, () => {
  let repo: FakeMedicineRepository;
  let sut: SearchMedicinesHandler;
  beforeEach(() => {
    repo = FakeMedicineRepository.withSeed();
    sut = new SearchMedicinesHandler(repo);
  });

  it('ranks the candidates with scoreMatch, best first, and counts only real matches in total', async () => {
    const page = await sut.execute({ q: 'dang gui', page: 1, limit: 20, includeRetired: false });
    expect(page.items.slice(0, 2).map((m) => m.sku)).toEqual(['RAW-DANGGUI', 'GRN-DANGGUI']);
    // Every seeded medicine was a candidate; far fewer match.
    expect(page.total).toBeLessThan(10);
    expect(page.total).toBeGreaterThanOrEqual(2);
  });

  it('cuts pages from the ranking without repeating or skipping a match', async () => {
    const all = await sut.execute({ q: 'ginseng', page: 1, limit: 100, includeRetired: false });
    expect(all.total).toBeGreaterThan(4);
    const pages = [];
    for (let page = 1; (page - 1) * 3 < all.total; page++) {
      const p = await sut.execute({ q: 'ginseng', page, limit: 3, includeRetired: false });
      expect(p.total).toBe(all.total);
      pages.push(...p.items.map((m) => m.id));
    }
    expect(pages).toEqual(all.items.map((m) => m.id));
  });

  it('hides retired medicines unless an admin asks for them', async () => {
    await repo.update(repo.bySku('RAW-DANGGUI').id, { status: 'retired' });
    const hidden = await sut.execute({ q: '当归', page: 1, limit: 20, includeRetired: false });
    expect(hidden.items.map((m) => m.sku)).toEqual(['GRN-DANGGUI']);
    const shown = await sut.execute({ q: '当归', page: 1, limit: 20, includeRetired: true, caller: ADMIN });
    expect(shown.items.map((m) => [m.sku, m.status])).toEqual([
      ['RAW-DANGGUI', 'retired'],
      ['GRN-DANGGUI', 'active'],
    ]);
  });

  it('refuses retired medicines to anyone but an admin', async () => {
    for (const caller of [undefined, PRACTITIONER]) {
      await expect(sut.execute({ page: 1, limit: 20, includeRetired: true, caller })).rejects.toMatchObject({
        code: '1003',
      });
    }
  });

  it('without q lists a sorted page with the total of all visible medicines', async () => {
    const page = await sut.execute({ page: 2, limit: 5, sort: 'price:desc', includeRetired: false });
    expect(page.total).toBe(repo.rows.size);
    const prices = page.items.map((m) => m.price);
    expect(prices).toEqual([...prices].sort((a, b) => b - a));
    const first = await sut.execute({ page: 1, limit: 5, sort: 'price:desc', includeRetired: false });
    expect(Math.min(...first.items.map((m) => m.price))).toBeGreaterThanOrEqual(Math.max(...prices));
  });

  it('returns money as integer cents with its currency', async () => {
    const [m] = (await sut.execute({ q: 'RAW-DANGGUI', page: 1, limit: 1, includeRetired: false })).items;
    expect(m).toMatchObject({
      price: repo.bySku('RAW-DANGGUI').priceCentsPerGram,
      currency: 'NZD',
      pinyinName: 'dāng guī',
    });
    expect(Number.isInteger(m.price)).toBe(true);
  });
});
