import { MedicineRepository } from '../../src/application/ports/medicine-repository';
import { SearchMedicinesHandler } from '../../src/application/catalogue/search-medicines/search-medicines.handler';
import { scoreMatch } from '../../src/domain/catalogue/medicine-search';
import { SEED_MEDICINES } from '../../src/domain/catalogue/seed-catalogue';
import { type CatalogueKit, startCatalogue } from './catalogue-test-kit';

const ADMIN = { userId: '6f1c1f3e-3d1a-4c55-9a43-1c1b7c9c1a01', role: 'admin' as const };

/** One typo per word, by position: a swap of two neighbours, a dropped letter, or a wrong letter. */
function typo(word: string, i: number): string {
  const p = 1 + (i % Math.max(1, word.length - 2));
  if (i % 3 === 0) return word.slice(0, p) + word[p + 1] + word[p] + word.slice(p + 2);
  if (i % 3 === 1) return word.slice(0, p) + word.slice(p + 1);
  return word.slice(0, p) + (word[p] === 'x' ? 'q' : 'x') + word.slice(p + 1);
}

describe('medicine search through PostgreSQL (pg_trgm candidates, scoreMatch ranking)', () => {
  let kit: CatalogueKit;
  let sut: SearchMedicinesHandler;
  const search = (
    q: string | undefined,
    extra: Partial<Parameters<SearchMedicinesHandler['execute']>[0]> = {},
  ) => sut.execute({ q, page: 1, limit: 20, includeRetired: false, ...extra });

  beforeAll(async () => {
    kit = await startCatalogue('catalogue_search');
    sut = kit.get(SearchMedicinesHandler);
  });
  afterAll(async () => {
    await kit?.close();
  });

  it.each(['当', 'dang gui', 'dāngguī', 'danggui', 'dg', 'angelica', 'Angelicae', 'RAW-DANGGUI', 'dnag gui'])(
    'ranks 当归 first for %s',
    async (q) => {
      const page = await search(q);
      expect(page.items[0]).toMatchObject({ sku: 'RAW-DANGGUI', name: '当归', pinyinName: 'dāng guī' });
    },
  );

  it('finds Chinese inside a name, SKU prefixes and Latin words', async () => {
    expect((await search('归')).items.map((m) => m.sku)).toEqual(
      expect.arrayContaining(['RAW-DANGGUI', 'GRN-DANGGUI']),
    );
    expect((await search('grn-dang')).items[0].sku).toBe('GRN-DANGGUI');
    expect((await search('Sinensis Radix')).items[0].sku).toBe('RAW-DANGGUI');
  });

  it('finds every raw herb by its pinyin with one typo (the trigram candidates miss none)', async () => {
    const raw = SEED_MEDICINES.filter((m) => m.form === 'raw' && m.pinyinPlain.replace(/ /g, '').length >= 4);
    const misses: string[] = [];
    for (const [i, m] of raw.entries()) {
      if (i % 6) continue; // a sixth of the catalogue (~55 herbs) keeps the suite quick
      const q = typo(m.pinyinPlain.replace(/ /g, ''), i);
      if (!scoreMatch(q, m)) continue; // not within scoreMatch's edit distance: not a typo it tolerates
      const page = await search(q, { limit: 100 });
      if (!page.items.some((found) => found.sku === m.sku)) misses.push(`${q} → ${m.name}`);
    }
    expect(misses).toEqual([]);
  });

  it('pages through the ranking with a stable total and no repeats', async () => {
    const all = await search('ginseng', { limit: 100 });
    expect(all.total).toBeGreaterThan(3);
    expect(all.items).toHaveLength(all.total);
    const seen: string[] = [];
    for (let page = 1; page <= Math.ceil(all.total / 3); page++) {
      const p = await search('ginseng', { page, limit: 3 });
      expect(p).toMatchObject({ total: all.total, page, limit: 3 });
      seen.push(...p.items.map((m) => m.sku));
    }
    expect(seen).toEqual(all.items.map((m) => m.sku));
    expect((await search('ginseng', { page: 99, limit: 3 })).items).toEqual([]);
  });

  it('without q lists every active medicine, sorted as asked, with stable pages', async () => {
    const total = SEED_MEDICINES.length;
    const byPrice = await search(undefined, { sort: 'price:desc', limit: 100 });
    expect(byPrice.total).toBe(total);
    const prices = byPrice.items.map((m) => m.price);
    expect(prices).toEqual([...prices].sort((a, b) => b - a));
    const pages = [];
    for (let page = 1; page <= Math.ceil(total / 100); page++)
      pages.push(
        ...(await search(undefined, { sort: 'category:asc', page, limit: 100 })).items.map((m) => m.sku),
      );
    expect(new Set(pages).size).toBe(total);
    const byPinyin = (await search(undefined, { limit: 5 })).items.map((m) => m.pinyinPlain);
    expect(byPinyin).toEqual([...byPinyin].sort());
  });

  it('filters by category, with and without q', async () => {
    const tonics = await search(undefined, { category: 'Tonify Blood', limit: 100 });
    expect(tonics.total).toBe(SEED_MEDICINES.filter((m) => m.category === 'Tonify Blood').length);
    expect(tonics.items.every((m) => m.category === 'Tonify Blood')).toBe(true);
    expect((await search('dang gui', { category: 'Tonify Qi' })).items.map((m) => m.sku)).not.toContain(
      'RAW-DANGGUI',
    );
  });

  it('hides a retired medicine from search unless an admin includes retired ones', async () => {
    const repo = kit.get(MedicineRepository);
    const [huangQi] = (await search('RAW-HUANGQI')).items;
    await repo.update(huangQi.id, { status: 'retired' });
    try {
      expect((await search('huang qi')).items.map((m) => m.sku)).not.toContain('RAW-HUANGQI');
      expect((await search(undefined, { limit: 1 })).total).toBe(SEED_MEDICINES.length - 1);
      const admin = await search('huang qi', { includeRetired: true, caller: ADMIN });
      expect(admin.items.find((m) => m.sku === 'RAW-HUANGQI')?.status).toBe('retired');
    } finally {
      await repo.update(huangQi.id, { status: 'active' });
    }
  });

  it('treats LIKE wildcards in a query as plain text', async () => {
    expect((await search('%')).total).toBe(0);
    expect((await search('_a_')).items.length).toBeLessThan(20);
  });
});
