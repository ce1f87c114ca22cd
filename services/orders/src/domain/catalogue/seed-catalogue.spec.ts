import { readFileSync } from 'fs';
import { join } from 'path';
import { MEDICINE_CATEGORIES, herbNameOf } from './medicine';
import { stripTones } from './pinyin';
import { SEED_MEDICINES, medicineProblems, parseMedicineCatalogue } from './seed-catalogue';

const DATA_DIR = join(__dirname, '../../../data');
const bySku = new Map(SEED_MEDICINES.map((m) => [m.sku, m]));
const sku = (s: string) => {
  const m = bySku.get(s);
  if (!m) throw new Error(`no ${s} in the catalogue`);
  return m;
};
const raw = SEED_MEDICINES.filter((m) => m.form === 'raw');
const granules = SEED_MEDICINES.filter((m) => m.form === 'granule');

describe('the seed medicine catalogue (data/medicines.json)', () => {
  it('holds at least 300 medicines: about 230+ raw herbs and at least 70 granules', () => {
    expect(SEED_MEDICINES.length).toBeGreaterThanOrEqual(300);
    expect(raw.length).toBeGreaterThanOrEqual(230);
    expect(granules.length).toBeGreaterThanOrEqual(70);
  });

  it('has a unique SKU per medicine and a unique Chinese name per product', () => {
    expect(new Set(SEED_MEDICINES.map((m) => m.sku)).size).toBe(SEED_MEDICINES.length);
    expect(new Set(SEED_MEDICINES.map((m) => m.name)).size).toBe(SEED_MEDICINES.length);
  });

  it('has every field present and correctly typed on every entry', () => {
    const problems = SEED_MEDICINES.flatMap((m) => medicineProblems(m).map((p) => `${m.sku}: ${p}`));
    expect(problems).toEqual([]);
    const fields = Object.keys(sku('RAW-DANGGUI')).sort();
    for (const m of SEED_MEDICINES) expect(Object.keys(m).sort()).toEqual(fields);
  });

  it('prices in whole NZD cents per gram, granules dearer per gram than their raw herb', () => {
    for (const m of SEED_MEDICINES) expect(Number.isInteger(m.priceCentsPerGram)).toBe(true);
    for (const g of granules) {
      const r = sku(g.sku.replace('GRN-', 'RAW-'));
      expect(g.priceCentsPerGram).toBeGreaterThan(r.priceCentsPerGram);
    }
  });

  it('gives every granule a ratio, its raw herb, and the raw maximum dose divided by the ratio', () => {
    for (const g of granules) {
      const r = sku(g.sku.replace('GRN-', 'RAW-'));
      expect(g.granuleRatio).toBeGreaterThan(0);
      expect(g.herbName).toBe(r.herbName);
      expect(g.name).toBe(`${r.name}配方颗粒`);
      expect(herbNameOf({ name: g.name })).toBe(r.herbName);
      expect(g.maxDailyDoseGrams).toBeCloseTo(r.maxDailyDoseGrams / g.granuleRatio!, 2);
      expect(g.pregnancy).toBe(r.pregnancy);
      expect(g.nzRestricted).toBe(r.nzRestricted);
    }
    for (const r of raw) expect(r.granuleRatio).toBeNull();
  });

  it('writes one pinyin syllable per Chinese character, tone-marked and plain forms agreeing', () => {
    for (const m of SEED_MEDICINES) {
      expect([m.sku, m.pinyin.split(' ').length]).toEqual([m.sku, [...m.name].length]);
      expect([m.sku, stripTones(m.pinyin)]).toEqual([m.sku, m.pinyinPlain]);
    }
    for (const m of raw) expect(m.sku).toBe(`RAW-${m.pinyinPlain.replace(/ /g, '').toUpperCase()}`);
  });

  it('uses only the fixed list of classical categories, and every category is populated', () => {
    const categories = new Set(SEED_MEDICINES.map((m) => m.category));
    expect([...categories].sort()).toEqual(MEDICINE_CATEGORIES.map((c) => c.en).sort());
  });

  it('records 当归 as the pharmacopoeia does: Angelicae Sinensis Radix, 6–12 g a day', () => {
    expect(sku('RAW-DANGGUI')).toMatchObject({
      name: '当归',
      pinyin: 'dāng guī',
      pinyinPlain: 'dang gui',
      latinName: 'Angelicae Sinensis Radix',
      category: 'Tonify Blood',
      unit: 'g',
      form: 'raw',
      minDailyDoseGrams: 6,
      maxDailyDoseGrams: 12,
      nzRestricted: false,
    });
    expect(sku('GRN-DANGGUI')).toMatchObject({ form: 'granule', granuleRatio: 5, maxDailyDoseGrams: 2.4 });
  });

  it('flags ephedra, aristolochia, aconite and the other CATALOGUE.md herbs as not suppliable in NZ', () => {
    expect(sku('RAW-MAHUANG').nzRestricted).toBe(true);
    expect(sku('GRN-MAHUANG').nzRestricted).toBe(true);
    const restrictedHerbs = [
      ...new Set(SEED_MEDICINES.filter((m) => m.nzRestricted).map((m) => m.herbName)),
    ].sort();
    expect(restrictedHerbs).toEqual(
      [
        '麻黄',
        '麻黄根',
        '细辛',
        '关木通',
        '广防己',
        '青木香',
        '马兜铃',
        '川乌',
        '制川乌',
        '草乌',
        '制草乌',
        '附子',
        '马钱子',
        '朱砂',
        '雄黄',
        '蟾酥',
        '罂粟壳',
        '火麻仁',
        '藜芦',
        '巴豆霜',
      ].sort(),
    );
    for (const m of SEED_MEDICINES.filter((x) => x.nzRestricted))
      expect(m.restrictionReason!.length).toBeGreaterThan(40);
  });

  it('marks herbs the pharmacopoeia calls 大毒 as severe and contraindicates the harsh ones in pregnancy', () => {
    for (const s of ['RAW-CHUANWU', 'RAW-CAOWU', 'RAW-MAQIANZI', 'RAW-BADOUSHUANG']) {
      expect(sku(s).toxicity).toBe('severe');
      expect(sku(s).nzRestricted).toBe(true);
    }
    for (const s of ['RAW-SANLENG', 'RAW-EZHU', 'RAW-SHUIZHI', 'RAW-GANSUI', 'RAW-QUANXIE']) {
      expect(sku(s).pregnancy).toBe('contraindicated');
    }
    expect(sku('RAW-TAOREN').pregnancy).toBe('caution');
    expect(sku('RAW-DANGGUI').pregnancy).toBe('none');
  });

  it('is exactly what the generator script produces (the JSON is not edited by hand)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { build } = require(join(DATA_DIR, 'generate-medicines.js')) as { build: () => unknown[] };
    expect(readFileSync(join(DATA_DIR, 'medicines.json'), 'utf8')).toBe(
      JSON.stringify(build(), null, 2) + '\n',
    );
  });
});

describe(parseMedicineCatalogue.name, () => {
  it('rejects a catalogue with a duplicate SKU, a float price or a granule without a ratio', () => {
    const good = sku('GRN-DANGGUI');
    const broken = [
      good,
      { ...good },
      { ...good, sku: 'GRN-X', priceCentsPerGram: 12.5, granuleRatio: null },
    ];
    expect(() => parseMedicineCatalogue(broken)).toThrow(
      /GRN-DANGGUI: duplicate sku[\s\S]*GRN-X: a granule needs a positive granuleRatio[\s\S]*GRN-X: priceCentsPerGram/,
    );
  });

  it('rejects a restricted medicine without a reason and an unknown category', () => {
    const good = sku('RAW-DANGGUI');
    expect(medicineProblems({ ...good, nzRestricted: true })).toEqual([
      'restrictionReason is required exactly when nzRestricted',
    ]);
    expect(medicineProblems({ ...good, category: 'Tonics' })).toEqual([
      'category must be one of MEDICINE_CATEGORIES',
    ]);
  });
});
