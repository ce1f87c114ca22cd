import { randomUUID } from 'node:crypto';
import { FakeMedicineRepository } from '../../../../test/catalogue/fake-medicine.repository';
import {
  compareTies,
  prepareMedicine,
  prepareQuery,
  scoreDirect,
  scoreTypos,
} from '../../../domain/catalogue/medicine-search';
import { pinyinColumns } from '../medicine-definition';
import type { CatalogueMedicineRecord } from '../medicine-record';
import { CatalogueSearchIndex } from './catalogue-search-index';

const ALL = { offset: 0, limit: 100_000 };
const ACTIVE = { includeRetired: false };

/** What the index must return: scoreMatch's ranking over every visible medicine, typos only when nothing matches directly. */
const prepared = new WeakMap<CatalogueMedicineRecord, ReturnType<typeof prepareMedicine>>();
const prep = (m: CatalogueMedicineRecord) => {
  let p = prepared.get(m);
  if (!p) prepared.set(m, (p = prepareMedicine(m)));
  return p;
};

/** What the index must return: scoreMatch's ranking over every visible medicine, typos only when nothing matches directly. */
function bruteForce(
  records: readonly CatalogueMedicineRecord[],
  query: string,
  filter: { includeRetired: boolean; category?: string } = ACTIVE,
) {
  const q = prepareQuery(query);
  if (!q.raw) return [];
  const visible = records.filter(
    (m) =>
      (filter.includeRetired || m.status === 'active') &&
      (!filter.category || m.category === filter.category),
  );
  const score = (f: (q: ReturnType<typeof prepareQuery>, m: ReturnType<typeof prepareMedicine>) => number) =>
    visible.map((m) => ({ m, s: f(q, prep(m)) })).filter((r) => r.s > 0);
  let found = score(scoreDirect);
  if (!found.length) found = score(scoreTypos);
  return found.sort((a, b) => b.s - a.s || compareTies(a.m, b.m)).map((r) => r.m.sku);
}

/** Swaps two neighbouring letters: `dang gui` → `dnag gui`. */
const swap = (s: string, i: number) => s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);

/** The seed plus processed variants of each herb (many ties on score, form and name length). */
function catalogue(): CatalogueMedicineRecord[] {
  const repo = FakeMedicineRepository.withSeed();
  const seed = [...repo.rows.values()];
  const variants = seed.flatMap((m, i) =>
    [
      ['酒', 'jiǔ', 'wine-processed'],
      ['炒', 'chǎo', 'stir-fried'],
    ].map(([zh, py, en], k) => ({
      ...m,
      id: randomUUID(),
      sku: `${m.sku}-V${k}`,
      name: `${zh}${m.name}片`,
      ...pinyinColumns(`${py} ${m.pinyin} piàn`),
      englishName: `${m.englishName} (${en}, slices)`,
      status: (i + k) % 17 === 0 ? ('retired' as const) : ('active' as const),
    })),
  );
  return [...seed, ...variants];
}

describe(CatalogueSearchIndex.name, () => {
  const records = catalogue();
  let index: CatalogueSearchIndex;
  const search = (q: string, filter: { includeRetired: boolean; category?: string } = ACTIVE, page = ALL) =>
    index.search(q, filter, page);
  const skus = (q: string, filter?: { includeRetired: boolean; category?: string }) =>
    search(q, filter).items.map((m) => m.sku);

  beforeEach(async () => {
    index = new CatalogueSearchIndex();
    await index.load(records);
    await index.seal();
  });

  it.each([
    ['当归', 'Chinese name'],
    ['当', 'one Chinese character'],
    ['dāng guī', 'pinyin with tones'],
    ['dang gui', 'pinyin without tones'],
    ['danggui', 'pinyin without spaces'],
    ['dg', 'initials'],
    ['angelica', 'English word'],
    ['Angelicae', 'Latin word'],
    ['RAW-DANGGUI', 'SKU'],
    ['dnag gui', 'pinyin typo'],
    ['angelca', 'English typo'],
    ['angelca sinensis', 'Latin typo of two words'],
    ['angelcia sinesis', 'two typos'],
  ])('ranks 当归 first for %s (%s)', (q) => {
    expect(search(q).items[0]).toMatchObject({ sku: 'RAW-DANGGUI', name: '当归' });
  });

  it('finds 当归 for a misspelt Latin name, which a plain scoreMatch of the whole text missed', () => {
    const found = skus('angelca sinensis');
    expect(found[0]).toBe('RAW-DANGGUI');
    expect(found).toContain('GRN-DANGGUI');
    expect(found.every((sku) => sku.includes('DANGGUI'))).toBe(true);
  });

  it('gives exactly the brute-force ranking (every medicine scored) for every kind of query', () => {
    const seed = records.filter((m) => !m.sku.includes('-V'));
    const queries = new Set<string>([
      'd',
      'x',
      'ab',
      'root',
      'radix',
      '%',
      '_a_',
      'qqqqzzzz',
      'Sinensis Radix',
      'wine processed',
    ]);
    seed.forEach((m, i) => {
      if (i % 76) return; // 6 herbs, ~12 queries each: the brute force is slow (~0.3 s a query)
      const plain = m.pinyinPlain;
      queries.add(m.name).add(m.name[0]).add(m.pinyin).add(plain).add(plain.replace(/ /g, ''));
      queries.add(
        plain
          .split(' ')
          .map((s) => s[0])
          .join(''),
      );
      queries.add(m.sku).add(m.sku.slice(0, 5).toLowerCase());
      const word = m.englishName
        .toLowerCase()
        .split(/[^a-z]+/)
        .find((w) => w.length >= 4);
      if (word)
        queries
          .add(word)
          .add(swap(word, 1))
          .add(word.slice(0, -1) + 'x');
      if (m.latinName) {
        queries.add(m.latinName.split(' ')[0]);
        const latin = m.latinName.toLowerCase();
        queries.add(swap(latin, 2)).add(latin.replace(/[aeiou]/, ''));
      }
      if (plain.length >= 5) queries.add(swap(plain, 1)).add(swap(plain.replace(/ /g, ''), 2));
    });
    const wrong: string[] = [];
    for (const q of queries) {
      const expected = bruteForce(records, q);
      const got = search(q);
      const found = got.items.map((m) => m.sku);
      const at = found.findIndex((sku, i) => sku !== expected[i]);
      if (got.total !== expected.length || at >= 0)
        wrong.push(`${q}: ${got.total}/${expected.length}, #${at} ${found[at]} vs ${expected[at]}`);
    }
    expect(queries.size).toBeGreaterThan(60);
    expect(wrong).toEqual([]);
  });

  it('ranks exact before prefix, raw herbs before granules, and pages without repeats', () => {
    expect(skus('ren shen').slice(0, 2)).toEqual(['RAW-RENSHEN', 'GRN-RENSHEN']);
    expect(skus('sdh').slice(0, 2)).toEqual(['RAW-SHENGDIHUANG', 'RAW-SHUDIHUANG']);
    const all = search('ginseng');
    const paged = [0, 1, 2, 3].flatMap((p) => search('ginseng', ACTIVE, { offset: p * 5, limit: 5 }).items);
    expect(all.total).toBeGreaterThan(15);
    expect(paged.map((m) => m.id)).toEqual(all.items.slice(0, 20).map((m) => m.id));
  });

  it('honours the retired and category filters, in direct and typo matches alike', () => {
    const retired = records.find((m) => m.status === 'retired')!;
    expect(skus(retired.sku)).not.toContain(retired.sku);
    expect(skus(retired.sku, { includeRetired: true })).toContain(retired.sku);
    for (const q of ['dang gui', 'dnag gui']) {
      const tonics = search(q, { includeRetired: false, category: 'Tonify Qi' }).items;
      expect(tonics.every((m) => m.category === 'Tonify Qi')).toBe(true);
      expect(bruteForce(records, q, { includeRetired: false, category: 'Tonify Qi' })).toEqual(
        tonics.map((m) => m.sku),
      );
    }
  });

  it('serves an edit, a new medicine and a retirement as soon as they are upserted', () => {
    const danggui = records.find((m) => m.sku === 'RAW-DANGGUI')!;
    expect(index.upsert([{ ...danggui, englishName: 'Dong Quai', updatedAt: new Date() }])).toBe(1);
    expect(skus('dong quai')[0]).toBe('RAW-DANGGUI');
    expect(skus('chinese angelica root')).not.toContain('RAW-DANGGUI');

    const fresh = {
      ...danggui,
      id: '00000000-0000-4000-8000-000000000001',
      sku: 'RAW-XINYAO',
      name: '新药',
      herbName: '新药',
      ...pinyinColumns('xīn yào'),
      englishName: 'Novel Remedy',
      latinName: 'Remedium Novum',
    };
    index.upsert([fresh]);
    for (const q of ['新药', 'xin yao', 'novel', 'remedum novum', 'RAW-XINYAO'])
      expect(skus(q)[0]).toBe('RAW-XINYAO');
    expect(skus('xy')).toContain('RAW-XINYAO');

    index.upsert([{ ...fresh, status: 'retired' }]);
    expect(skus('新药')).toEqual([]);
    expect(skus('新药', { includeRetired: true })).toEqual(['RAW-XINYAO']);
    // Unchanged rows (a delta read re-reading them) are left alone.
    expect(index.upsert([{ ...fresh, status: 'retired' }])).toBe(0);
    expect(index.size).toBe(records.length + 1);
  });
});
