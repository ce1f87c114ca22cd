import {
  DecimalGramsSchema,
  MedicineSearchRequestSchema,
  UpdateTemplateRequestSchema,
} from './orders-catalogue.rpc';

describe('orders catalogue contract', () => {
  it('reads grams from strings or numbers into one canonical decimal string', () => {
    const cases: [unknown, string][] = [
      ['12.500', '12.5'],
      [12.5, '12.5'],
      ['007', '7'],
      [0.1, '0.1'],
      ['3.000', '3'],
      [' 0.25 ', '0.25'],
    ];
    for (const [input, expected] of cases) expect(DecimalGramsSchema.parse(input)).toBe(expected);
  });

  it('refuses zero, negatives, more than three decimals, exponents and text', () => {
    for (const bad of ['0', 0, '0.000', -1, '-1', '1.2345', 1e-7, 1e21, 'ten', '', Number.NaN]) {
      expect(DecimalGramsSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('defaults the page and caps the limit at 100', () => {
    expect(MedicineSearchRequestSchema.parse({})).toMatchObject({
      page: 1,
      limit: 20,
      includeRetired: false,
    });
    expect(MedicineSearchRequestSchema.safeParse({ limit: 101 }).success).toBe(false);
    expect(MedicineSearchRequestSchema.safeParse({ sort: 'price:up' }).success).toBe(false);
    expect(MedicineSearchRequestSchema.parse({ sort: 'pinyinName:desc', page: '2' })).toMatchObject({
      page: 2,
    });
  });

  it('keeps a template edit partial: what is left out stays undefined', () => {
    const parsed = UpdateTemplateRequestSchema.parse({
      caller: { userId: '6f1c1f3e-3d1a-4c55-9a43-1c1b7c9c1a02', role: 'practitioner' },
      id: 'x',
      name: 'Si Wu Tang',
    });
    expect(parsed.items).toBeUndefined();
    expect(parsed.notes).toBeUndefined();
  });
});
