import { centsToDecimal, decimalToCents, linePayoutCents } from './money';

describe('money', () => {
  it('prices a line as quantity × packs × price per unit, rounding half-up once per line', () => {
    expect(linePayoutCents('12.5', 7, 35)).toBe(3063); // 3062.5 → 3063
    expect(linePayoutCents('9', 1, 18)).toBe(162);
    expect(linePayoutCents('0.333', 3, 1)).toBe(1); // 0.999 → 1
    expect(linePayoutCents('0.1', 1, 5)).toBe(1); // 0.5 → 1 (half-up)
    expect(linePayoutCents('0.1', 1, 4)).toBe(0); // 0.4 → 0
  });

  it('is exact where floats are not (0.1 + 0.2 style quantities)', () => {
    // As floats 1.005 × 100 = 100.49999…; exact decimal arithmetic gives 100.5 → 101.
    expect(linePayoutCents('1.005', 1, 100)).toBe(101);
    expect(linePayoutCents('123456.789', 365, 999_999)).toBe(45_061_682_923_272); // 45061682923272.015: the intermediate product is beyond 2^53
  });

  it('refuses quantities and prices that are not plain non-negative numbers', () => {
    expect(() => linePayoutCents('-1', 1, 10)).toThrow(RangeError);
    expect(() => linePayoutCents('1e3', 1, 10)).toThrow(RangeError);
    expect(() => linePayoutCents('1', 1, 1.5)).toThrow(RangeError);
  });

  it('converts between cents and NUMERIC(12,2) text both ways', () => {
    expect(centsToDecimal(0)).toBe('0.00');
    expect(centsToDecimal(5)).toBe('0.05');
    expect(centsToDecimal(123456)).toBe('1234.56');
    expect(decimalToCents('1234.56')).toBe(123456);
    expect(decimalToCents('0.5')).toBe(50);
    expect(decimalToCents('7')).toBe(700);
    // The contract's rule (libs/contracts/src/money.ts): at most two decimal places, a third refused even when it is 0.
    expect(() => decimalToCents('12.340')).toThrow(/two decimal places/);
    expect(() => decimalToCents('0.005')).toThrow(/fractions of a cent/);
  });
});
