import { affordable, lineTotalCents, padTotals, type PadLine } from './pad';

const line = (price: string, quantity: string): PadLine => ({
  medicineId: `${price}-${quantity}`,
  name: '当归',
  pinyin: 'dāng guī',
  englishName: 'Angelica',
  unit: 'g',
  price,
  quantity,
  decoctionMethod: '',
  dosageInstructions: '',
});

describe("the prescription pad's totals", () => {
  it('prices a line as orders does: cents per gram × grams × packs, rounded half-up once per line', () => {
    // orders' own figures (services/orders test kit): 当归 10.25 g × 0.14 × 7 packs = 1004.5 → 1005 cents.
    expect(lineTotalCents('0.14', '10.25', 7)).toBe(1005);
    // 白芍 9 g × 0.10 × 7 = 630; the e2e's 当归 10 g × 0.14 × 7 = 980.
    expect(lineTotalCents('0.10', '9', 7)).toBe(630);
    expect(lineTotalCents('0.14', '10', 7)).toBe(980);
    // 0.333 g × 0.01 × 1 = 0.00333 cents → 0 (below half a cent); 0.5 g × 0.01 = 0.5 cent → 1.
    expect(lineTotalCents('0.01', '0.333', 1)).toBe(0);
    expect(lineTotalCents('0.01', '0.5', 1)).toBe(1);
  });

  it('sums the priced lines and says whether every line could be priced', () => {
    const lines = [line('0.14', '10.25'), line('0.10', '9')];
    expect(padTotals(lines, 7)).toEqual({ lines: [1005, 630], totalCents: 1635, complete: true });
    const typing = [line('0.14', '10.25'), line('0.10', '9.')];
    expect(padTotals(typing, 7)).toEqual({ lines: [1005, null], totalCents: 1005, complete: false });
    expect(padTotals([], 7).complete).toBe(false);
  });

  it('is exact for large formulas where floats would drift', () => {
    // 100000 g × 99.99 per g × 365 packs = 3,649,635,000.00 NZD
    expect(lineTotalCents('99.99', '100000', 365)).toBe(364_963_500_000);
  });

  it('refuses nothing it cannot read: an unreadable quantity or packs is unpriced, not zero', () => {
    expect(lineTotalCents('0.14', '', 7)).toBeNull();
    expect(lineTotalCents('0.14', '10', 0)).toBeNull();
    expect(lineTotalCents('abc', '10', 1)).toBeNull();
  });

  it('compares the total with the available amount', () => {
    expect(affordable(1000, 1000)).toBe(true);
    expect(affordable(1001, 1000)).toBe(false);
    expect(affordable(1001, null)).toBe(true);
  });
});
