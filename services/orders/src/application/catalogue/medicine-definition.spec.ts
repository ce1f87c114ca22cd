import { applyPatch, definitionProblems, newMedicineDefinition, pinyinColumns } from './medicine-definition';

const GRANULE = newMedicineDefinition({
  name: '当归配方颗粒',
  pinyin: 'dāng guī',
  englishName: 'Chinese Angelica Root Concentrated Granules',
  latinName: 'Angelicae Sinensis Radix',
  category: 'Tonify Blood',
  unit: 'g',
  form: 'granule',
  granuleRatio: '5',
  price: 45,
  minDailyDose: '1.2',
  maxDailyDose: '2.4',
  pregnancy: 'none',
  toxicity: 'none',
  nzRestricted: false,
});

describe('medicine definitions', () => {
  it('derives the search columns from any pinyin spelling', () => {
    expect(pinyinColumns('  Nǚ  Zhēn zǐ ')).toEqual({
      pinyin: 'nǚ zhēn zǐ',
      pinyinPlain: 'nv zhen zi',
      pinyinKey: 'nuzhenzi',
      pinyinInitials: 'nzz',
    });
  });

  it('takes the herb from a granule name when none is given', () => {
    expect(GRANULE.herbName).toBe('当归');
    expect(definitionProblems(GRANULE)).toEqual([]);
  });

  it('requires a ratio for granules only, a known category, min ≤ max and a reason for a restriction', () => {
    const problems = definitionProblems({
      ...GRANULE,
      granuleRatio: null,
      category: 'Tonify Everything',
      minDailyDose: '3',
      nzRestricted: true,
      restrictionReason: null,
    });
    expect(problems.map((p) => p.path).sort()).toEqual([
      'category',
      'granuleRatio',
      'minDailyDose',
      'restrictionReason',
    ]);
    expect(definitionProblems({ ...GRANULE, form: 'raw' }).map((p) => p.path)).toEqual(['granuleRatio']);
  });

  it('drops the ratio of a granule turned raw and the reason of a lifted restriction', () => {
    expect(applyPatch(GRANULE, { form: 'raw' }).changes).toEqual({ form: 'raw', granuleRatio: null });
    const restricted = { ...GRANULE, nzRestricted: true, restrictionReason: 'because' };
    expect(applyPatch(restricted, { nzRestricted: false }).changes).toEqual({
      nzRestricted: false,
      restrictionReason: null,
    });
  });

  it('writes only what an edit changes, keeping the herb through a rename', () => {
    const { changes, next } = applyPatch(GRANULE, { name: '当归片配方颗粒', price: 50 });
    expect(changes).toEqual({ name: '当归片配方颗粒', priceCents: 50 });
    expect(next.herbName).toBe('当归');
    expect(applyPatch(GRANULE, { pinyin: 'dang gui' }).changes).toMatchObject({
      pinyinKey: 'danggui',
      pinyinInitials: 'dg',
    });
  });
});
