import { MATCH_TIERS, damerauLevenshtein, rankMedicines, scoreMatch, typoAllowance } from './medicine-search';
import { pinyinInitials, pinyinKey, stripTones } from './pinyin';
import { SEED_MEDICINES } from './seed-catalogue';

const top = (query: string, n = 1) => rankMedicines(query, SEED_MEDICINES, n).map((m) => m.sku);
const danggui = SEED_MEDICINES.find((m) => m.sku === 'RAW-DANGGUI')!;

describe('pinyin folding', () => {
  it('strips tone marks and writes ü as v', () => {
    expect(stripTones('dāng guī')).toBe('dang gui');
    expect(stripTones('nǚ zhēn zǐ')).toBe('nv zhen zi');
  });

  it('folds tones, tone numbers, spaces, case and ü/v/u to one key', () => {
    for (const spelling of ['dāng guī', 'dang gui', 'danggui', 'DangGui', 'dang1 gui1', "dang'gui"]) {
      expect(pinyinKey(spelling)).toBe('danggui');
    }
    expect(new Set(['nǚ zhēn zǐ', 'nv zhen zi', 'nu zhen zi', 'nüzhenzi'].map(pinyinKey)).size).toBe(1);
  });

  it('takes the first letter of each syllable as the initials', () => {
    expect(pinyinInitials('dāng guī')).toBe('dg');
    expect(pinyinInitials('shú dì huáng')).toBe('sdh');
  });
});

describe(damerauLevenshtein.name, () => {
  it('counts a swap of neighbours as one edit, and insert/delete/substitute as one each', () => {
    expect(damerauLevenshtein('dnaggui', 'danggui')).toBe(1);
    expect(damerauLevenshtein('angelca', 'angelica')).toBe(1);
    expect(damerauLevenshtein('danggvi', 'danggui')).toBe(1);
    expect(damerauLevenshtein('ca', 'abc')).toBe(3);
    expect(damerauLevenshtein('', 'abc')).toBe(3);
    expect(damerauLevenshtein('same', 'same')).toBe(0);
  });

  it('tolerates one typo in a short word and two in a long one, none in two letters', () => {
    expect([2, 3, 6, 7, 12].map(typoAllowance)).toEqual([0, 1, 1, 2, 2]);
  });
});

describe(scoreMatch.name, () => {
  it('orders exact > prefix > substring > initials > typo', () => {
    expect(scoreMatch('当归', danggui)).toBe(MATCH_TIERS.EXACT);
    const prefix = scoreMatch('dang', danggui);
    const substring = scoreMatch('gui', danggui);
    const initials = scoreMatch('dg', danggui);
    const typo = scoreMatch('dnag gui', danggui);
    expect(prefix).toBeGreaterThan(substring);
    expect(substring).toBeGreaterThan(initials);
    expect(initials).toBeGreaterThan(typo);
    expect(typo).toBeGreaterThan(0);
  });

  it('does not match unrelated text or an empty query', () => {
    expect(scoreMatch('ginseng', danggui)).toBe(0);
    expect(scoreMatch('  ', danggui)).toBe(0);
    expect(scoreMatch('人参', danggui)).toBe(0);
  });
});

describe(rankMedicines.name, () => {
  it.each([
    ['当', 'Chinese prefix'],
    ['当归', 'exact Chinese'],
    ['dang gui', 'plain pinyin'],
    ['dāngguī', 'pinyin with tones, no space'],
    ['danggui', 'compact pinyin'],
    ['dg', 'pinyin initials'],
    ['angelica', 'English word'],
    ['Angelicae', 'Latin prefix'],
    ['Angelicae Sinensis Radix', 'exact Latin'],
    ['Chinese Angelica Root', 'exact English'],
    ['RAW-DANGGUI', 'exact SKU'],
    ['raw-danggui', 'SKU in lower case'],
    ['dnag gui', 'a swapped-letter typo'],
    ['angelca', 'a typo in the English name'],
  ])('finds 当归 first for %s (%s)', (query) => {
    expect(top(query)).toEqual(['RAW-DANGGUI']);
  });

  it('lists the granules of a herb right after the raw herb', () => {
    expect(top('dang gui', 2)).toEqual(['RAW-DANGGUI', 'GRN-DANGGUI']);
    expect(top('当', 2)).toEqual(['RAW-DANGGUI', 'GRN-DANGGUI']);
    expect(top('GRN-DANGGUI')).toEqual(['GRN-DANGGUI']);
  });

  it('forgives a typo in a later syllable (bansia → 法半夏 and 姜半夏)', () => {
    expect(rankMedicines('bansia', SEED_MEDICINES, 5).map((m) => m.name)).toEqual(
      expect.arrayContaining(['法半夏', '姜半夏']),
    );
  });

  it('matches ü spelt v or u (女贞子)', () => {
    for (const q of ['nv zhen zi', 'nu zhen zi', 'nǚzhēnzǐ']) expect(top(q)).toEqual(['RAW-NVZHENZI']);
  });

  it('puts the exact herb before longer names that merely start the same way (人参 vs 人参配方颗粒)', () => {
    expect(top('ren shen', 2)).toEqual(['RAW-RENSHEN', 'GRN-RENSHEN']);
    expect(top('熟地黄')).toEqual(['RAW-SHUDIHUANG']);
    expect(top('shu di')).toEqual(['RAW-SHUDIHUANG']);
  });

  it('offers every herb sharing the initials (sdh → 生地黄 and 熟地黄), raw before granules', () => {
    expect(top('sdh', 4)).toEqual([
      'RAW-SHENGDIHUANG',
      'RAW-SHUDIHUANG',
      'GRN-SHENGDIHUANG',
      'GRN-SHUDIHUANG',
    ]);
  });

  it('finds a herb by part of its English name (peony → 白芍 and 赤芍)', () => {
    const names = rankMedicines('peony', SEED_MEDICINES, 50).map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['白芍', '赤芍', '牡丹皮']));
  });

  it('returns nothing for gibberish and honours the limit', () => {
    expect(rankMedicines('qqqqzzzz', SEED_MEDICINES)).toEqual([]);
    const a = rankMedicines('d', SEED_MEDICINES, 3);
    expect(a).toHaveLength(3);
    for (const m of a) expect(m.pinyinPlain.startsWith('d')).toBe(true);
  });
});
