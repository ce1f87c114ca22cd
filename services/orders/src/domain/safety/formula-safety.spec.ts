import { CodedError } from '@prescriptchain/contracts';
import { SEED_MEDICINES } from '../catalogue/seed-catalogue';
import {
  type FormulaItem,
  type SafetyMedicine,
  type SafetyViolation,
  checkFormula,
  enforceFormulaSafety,
} from './formula-safety';
import { HERB_GROUPS, INCOMPATIBILITY_RULES } from './incompatibility-rules';

// Substances in the classical rules that the catalogue does not (and must not) stock; a clinic's own
// catalogue could still name them, so the rules are exercised with these stand-ins.
const notStocked = (id: string, name: string, englishName: string): SafetyMedicine => ({
  id,
  name,
  englishName,
  form: 'raw',
  granuleRatio: null,
  maxDailyDoseGrams: 1,
  pregnancy: 'contraindicated',
  nzRestricted: false,
});
const FIXTURES: SafetyMedicine[] = [
  notStocked('X-SHUIYIN', '水银', 'Mercury'),
  notStocked('X-PISHUANG', '砒霜', 'Arsenic trioxide'),
  notStocked('X-LANGDU', '狼毒', 'Langdu Root'),
  notStocked('X-MITUOSENG', '密陀僧', 'Litharge'),
  notStocked('X-XIJIAO', '犀角', 'Rhinoceros Horn'),
];

const catalogue = new Map<string, SafetyMedicine>([
  ...SEED_MEDICINES.map((m) => [m.sku, { ...m, id: m.sku }] as const),
  ...FIXTURES.map((m) => [m.id, m] as const),
]);
const lookup = (id: string) => catalogue.get(id);

/** A formula at a modest dose (a third of each product's maximum), one pack a day. */
const items = (...ids: string[]): FormulaItem[] =>
  ids.map((medicineId) => ({ medicineId, quantityGrams: catalogue.get(medicineId)!.maxDailyDoseGrams / 3 }));
const check = (formulaItems: FormulaItem[], extra: { pregnant?: boolean; daysPerPack?: number } = {}) =>
  checkFormula(
    { items: formulaItems, packs: 7, pregnant: extra.pregnant ?? false, daysPerPack: extra.daysPerPack },
    lookup,
  );
const rules = (violations: SafetyViolation[]) => violations.map((v) => v.rule);

describe(checkFormula.name, () => {
  describe('safe classical formulas', () => {
    it.each([
      ['四君子汤', ['RAW-RENSHEN', 'RAW-BAIZHU', 'RAW-FULING', 'RAW-ZHIGANCAO']],
      [
        '小柴胡汤',
        [
          'RAW-CHAIHU',
          'RAW-HUANGQIN',
          'RAW-RENSHEN',
          'RAW-FABANXIA',
          'RAW-ZHIGANCAO',
          'RAW-SHENGJIANG',
          'RAW-DAZAO',
        ],
      ],
      ['桂枝汤 as granules', ['GRN-GUIZHI', 'GRN-BAISHAO', 'GRN-ZHIGANCAO', 'GRN-DAZAO']],
      ['四物汤 mixing raw and granules', ['RAW-DANGGUI', 'GRN-CHUANXIONG', 'RAW-BAISHAO', 'GRN-SHUDIHUANG']],
    ])('finds nothing wrong with %s', (_name, ids) => {
      expect(check(items(...ids))).toEqual([]);
    });
  });

  describe('十八反 and 十九畏', () => {
    // One real pair per rule; several use granules or processed forms to prove group matching.
    const PAIRS: Record<string, [string, string]> = {
      甘草反甘遂: ['RAW-GANCAO', 'RAW-GANSUI'],
      甘草反大戟: ['RAW-ZHIGANCAO', 'RAW-JINGDAJI'],
      甘草反海藻: ['GRN-GANCAO', 'GRN-HAIZAO'],
      甘草反芫花: ['RAW-GANCAO', 'RAW-YUANHUA'],
      乌头反贝母: ['RAW-FUZI', 'RAW-CHUANBEIMU'],
      乌头反瓜蒌: ['RAW-ZHICHUANWU', 'RAW-TIANHUAFEN'],
      乌头反半夏: ['GRN-FUZI', 'RAW-JIANGBANXIA'],
      乌头反白蔹: ['RAW-ZHICAOWU', 'RAW-BAILIAN'],
      乌头反白及: ['RAW-CAOWU', 'RAW-BAIJI'],
      藜芦反人参: ['RAW-LILU', 'GRN-DANGSHEN'],
      藜芦反沙参: ['RAW-LILU', 'RAW-NANSHASHEN'],
      藜芦反丹参: ['RAW-LILU', 'GRN-DANSHEN'],
      藜芦反玄参: ['RAW-LILU', 'RAW-XUANSHEN'],
      藜芦反苦参: ['RAW-LILU', 'RAW-KUSHEN'],
      藜芦反细辛: ['RAW-LILU', 'RAW-XIXIN'],
      藜芦反芍药: ['RAW-LILU', 'RAW-CHISHAO'],
      硫黄畏朴硝: ['RAW-LIUHUANG', 'RAW-MANGXIAO'],
      水银畏砒霜: ['X-SHUIYIN', 'X-PISHUANG'],
      狼毒畏密陀僧: ['X-LANGDU', 'X-MITUOSENG'],
      巴豆畏牵牛: ['RAW-BADOUSHUANG', 'RAW-QIANNIUZI'],
      丁香畏郁金: ['RAW-DINGXIANG', 'GRN-YUJIN'],
      川乌草乌畏犀角: ['RAW-ZHICHUANWU', 'X-XIJIAO'],
      牙硝畏三棱: ['RAW-XUANMINGFEN', 'RAW-SANLENG'],
      官桂畏赤石脂: ['GRN-ROUGUI', 'RAW-CHISHIZHI'],
      人参畏五灵脂: ['GRN-RENSHEN', 'RAW-WULINGZHI'],
    };

    it('has a real pair below for every one of the 16 十八反 and 9 十九畏 rules', () => {
      expect(Object.keys(PAIRS).sort()).toEqual(INCOMPATIBILITY_RULES.map((r) => r.label).sort());
      expect(INCOMPATIBILITY_RULES.filter((r) => r.kind === 'EIGHTEEN_INCOMPATIBLE')).toHaveLength(16);
      expect(INCOMPATIBILITY_RULES.filter((r) => r.kind === 'NINETEEN_ANTAGONISM')).toHaveLength(9);
    });

    it.each(Object.entries(PAIRS))('fires %s for %j', (label, [a, b]) => {
      const rule = INCOMPATIBILITY_RULES.find((r) => r.label === label)!;
      const found = check(items('RAW-FULING', a, 'RAW-DAZAO', b)).filter((v) => v.rule === rule.kind);
      const mine = found.filter((v) => v.message.includes(label));
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ medicineIds: [a, b], overridable: true });
      // Named in Chinese and English.
      for (const id of [a, b]) {
        expect(mine[0].message).toContain(catalogue.get(id)!.name);
        expect(mine[0].message).toContain(catalogue.get(id)!.englishName);
      }
    });

    it('reports one violation naming every member when several of a group are written', () => {
      const found = check(items('RAW-GANCAO', 'GRN-ZHIGANCAO', 'RAW-HAIZAO')).filter(
        (v) => v.rule === 'EIGHTEEN_INCOMPATIBLE',
      );
      expect(found).toHaveLength(1);
      expect(found[0].medicineIds).toEqual(['RAW-GANCAO', 'GRN-ZHIGANCAO', 'RAW-HAIZAO']);
      expect(found[0].message).toMatch(
        /甘草 \(Liquorice Root\) and 炙甘草配方颗粒 .* is incompatible with 海藻/,
      );
    });

    it('only lists group members that exist in the catalogue or are known not to be stocked', () => {
      const herbNames = new Set(SEED_MEDICINES.map((m) => m.herbName));
      const missing = [...new Set(Object.values(HERB_GROUPS).flatMap((g) => g.members))].filter(
        (n) => !herbNames.has(n),
      );
      expect(missing.sort()).toEqual(
        [
          '醋甘遂',
          '醋京大戟',
          '红大戟',
          '大戟',
          '醋芫花',
          '生附子',
          '盐附子',
          '黑顺片',
          '白附片',
          '淡附片',
          '炮附片',
          '平贝母',
          '伊贝母',
          '湖北贝母',
          '炒瓜蒌子',
          '半夏',
          '生半夏',
          '清半夏',
          '朴硝',
          '牙硝',
          '水银',
          '砒霜',
          '砒石',
          '信石',
          '狼毒',
          '密陀僧',
          '巴豆',
          '黑丑',
          '白丑',
          '母丁香',
          '犀角',
          '官桂',
        ].sort(),
      );
    });
  });

  describe('pregnancy', () => {
    const taoHongSiWu = [
      'RAW-TAOREN',
      'RAW-HONGHUA',
      'RAW-DANGGUI',
      'RAW-CHUANXIONG',
      'RAW-BAISHAO',
      'RAW-SHUDIHUANG',
    ];

    it('says nothing about pregnancy cautions when the patient is not pregnant', () => {
      expect(check(items(...taoHongSiWu), { pregnant: false })).toEqual([]);
    });

    it('flags each caution and contraindication when the patient is pregnant', () => {
      const found = check(items(...taoHongSiWu, 'RAW-EZHU'), { pregnant: true });
      expect(found.map((v) => [v.rule, v.medicineIds])).toEqual([
        ['PREGNANCY', ['RAW-TAOREN']],
        ['PREGNANCY', ['RAW-HONGHUA']],
        ['PREGNANCY', ['RAW-EZHU']],
      ]);
      expect(found[0].message).toBe(
        '桃仁 (Peach Seed) is to be used with caution in pregnancy (孕妇慎用) and the patient is pregnant.',
      );
      expect(found[2].message).toContain('contraindicated in pregnancy (孕妇禁用)');
      expect(found.every((v) => v.overridable)).toBe(true);
    });
  });

  describe('maximum daily dose', () => {
    it('allows a raw herb at its maximum and flags it above (当归 max 12 g/day)', () => {
      expect(check([{ medicineId: 'RAW-DANGGUI', quantityGrams: 12 }])).toEqual([]);
      const [v] = check([{ medicineId: 'RAW-DANGGUI', quantityGrams: 15 }]);
      expect(v).toEqual({
        rule: 'MAX_DAILY_DOSE',
        medicineIds: ['RAW-DANGGUI'],
        message: '当归 (Chinese Angelica Root): 15 g a day is above the maximum daily dose of 12 g.',
        overridable: true,
      });
    });

    it('compares granule grams with the granule maximum (当归 granules max 2.4 g/day at 5:1)', () => {
      expect(check([{ medicineId: 'GRN-DANGGUI', quantityGrams: 2.4 }])).toEqual([]);
      const [v] = check([{ medicineId: 'GRN-DANGGUI', quantityGrams: 3 }]);
      expect(v.message).toBe(
        '当归配方颗粒 (Chinese Angelica Root, concentrated granules): 3 g of granules a day is above the maximum ' +
          'daily dose of 2.4 g of granules (15 g of raw herb at 5:1).',
      );
    });

    it('adds up raw and granule lines of the same herb', () => {
      const formula = [
        { medicineId: 'RAW-DANGGUI', quantityGrams: 8 },
        { medicineId: 'GRN-DANGGUI', quantityGrams: 1 },
      ];
      const [v] = check(formula);
      expect(v.rule).toBe('MAX_DAILY_DOSE');
      expect(v.medicineIds).toEqual(['RAW-DANGGUI', 'GRN-DANGGUI']);
      expect(v.message).toContain('together 13 g of raw herb');
      expect(check([formula[0], { medicineId: 'GRN-DANGGUI', quantityGrams: 0.8 }])).toEqual([]);
    });

    it('adds up the same medicine written on two lines', () => {
      const line = { medicineId: 'RAW-HUANGLIAN', quantityGrams: 3 };
      expect(rules(check([line, line]))).toEqual(['MAX_DAILY_DOSE']);
    });

    it('divides a pack over its days: 20 g of 当归 in a pack lasting two days is 10 g a day', () => {
      expect(check([{ medicineId: 'RAW-DANGGUI', quantityGrams: 20 }], { daysPerPack: 2 })).toEqual([]);
      const [v] = check([{ medicineId: 'RAW-DANGGUI', quantityGrams: 30 }], { daysPerPack: 2 });
      expect(v.message).toContain('15 g a day');
      expect(v.message).toContain('One pack lasts 2 days.');
    });

    it('does not multiply the daily dose by the number of packs', () => {
      const formula = { items: [{ medicineId: 'RAW-DANGGUI', quantityGrams: 12 }], pregnant: false };
      expect(checkFormula({ ...formula, packs: 30 }, lookup)).toEqual([]);
    });
  });

  describe('NZ-restricted herbs', () => {
    it.each(['RAW-MAHUANG', 'GRN-MAHUANG', 'RAW-FUZI', 'RAW-GUANMUTONG', 'RAW-ZHUSHA'])(
      'refuses %s and marks it not overridable',
      (id) => {
        const found = check(items('RAW-GUIZHI', id)).filter((v) => v.rule === 'NZ_RESTRICTED');
        expect(found).toEqual([expect.objectContaining({ medicineIds: [id], overridable: false })]);
        expect(found[0].message).toContain(catalogue.get(id)!.name);
        expect(found[0].message).toContain('may not be supplied in New Zealand');
      },
    );

    it('lists the restriction first, with the other findings after it (麻黄汤 for a pregnant patient)', () => {
      const found = check(items('RAW-MAHUANG', 'RAW-GUIZHI', 'RAW-KUXINGREN', 'RAW-ZHIGANCAO'), {
        pregnant: true,
      });
      expect(rules(found)).toEqual(['NZ_RESTRICTED', 'PREGNANCY']);
    });
  });

  describe('input it cannot judge', () => {
    it('refuses an unknown medicine with VALIDATION_FAILED naming it', () => {
      const attempt = () => check([{ medicineId: 'RAW-NOPE', quantityGrams: 3 }]);
      expect(attempt).toThrow(CodedError);
      expect(attempt).toThrow(/RAW-NOPE/);
    });

    it.each([
      [{ items: [], packs: 1, pregnant: false }],
      [{ items: [{ medicineId: 'RAW-DANGGUI', quantityGrams: 0 }], packs: 1, pregnant: false }],
      [{ items: [{ medicineId: 'RAW-DANGGUI', quantityGrams: 6 }], packs: 0, pregnant: false }],
      [
        {
          items: [{ medicineId: 'RAW-DANGGUI', quantityGrams: 6 }],
          packs: 1,
          daysPerPack: 0,
          pregnant: false,
        },
      ],
    ])('refuses a malformed formula %j with VALIDATION_FAILED', (formula) => {
      try {
        checkFormula(formula, lookup);
        throw new Error('expected a CodedError');
      } catch (error) {
        expect((error as CodedError).code).toBe('VALIDATION_FAILED');
      }
    });
  });
});

describe(enforceFormulaSafety.name, () => {
  const catch422 = (run: () => unknown): CodedError => {
    try {
      run();
    } catch (error) {
      return error as CodedError;
    }
    throw new Error('expected PRESCRIPTION_SAFETY');
  };

  it('lets a formula with no violations through with nothing overridden', () => {
    expect(enforceFormulaSafety([], undefined)).toEqual({ overridden: [], overrideReason: null });
  });

  it('refuses overridable violations without a reason, with { rule, medicineIds, message } details', () => {
    const violations = check(items('RAW-GANCAO', 'RAW-HAIZAO'));
    for (const reason of [undefined, null, '', '   ']) {
      const error = catch422(() => enforceFormulaSafety(violations, reason));
      expect(error.code).toBe('PRESCRIPTION_SAFETY');
      expect(error.status).toBe(422);
      expect(error.details).toEqual([
        {
          rule: 'EIGHTEEN_INCOMPATIBLE',
          medicineIds: ['RAW-GANCAO', 'RAW-HAIZAO'],
          message: expect.any(String),
          overridable: true,
        },
      ]);
    }
  });

  it('accepts overridable violations with a reason and hands them back for the audit trail', () => {
    const violations = check([{ medicineId: 'RAW-DANGGUI', quantityGrams: 15 }, ...items('RAW-TAOREN')], {
      pregnant: true,
    });
    expect(rules(violations)).toEqual(['PREGNANCY', 'MAX_DAILY_DOSE']);
    expect(
      enforceFormulaSafety(violations, '  Post-partum, confirmed not pregnant by GP; 15 g per Bensky  '),
    ).toEqual({
      overridden: violations,
      overrideReason: 'Post-partum, confirmed not pregnant by GP; 15 g per Bensky',
    });
  });

  it('never overrides a restricted herb, whatever the reason, and reports everything found', () => {
    const violations = check(items('RAW-MAHUANG', 'RAW-GANCAO', 'RAW-HAIZAO'));
    const error = catch422(() => enforceFormulaSafety(violations, 'The patient insists'));
    expect(error.code).toBe('PRESCRIPTION_SAFETY');
    expect(error.message).toContain('may not be supplied in New Zealand');
    expect((error.details as SafetyViolation[]).map((d) => [d.rule, d.overridable])).toEqual([
      ['NZ_RESTRICTED', false],
      ['EIGHTEEN_INCOMPATIBLE', true],
    ]);
  });
});
