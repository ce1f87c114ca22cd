import {
  centsToDecimal,
  decimalToCents,
  decimalToMg,
  formatMg,
  lineTotalCents,
  parseGramsToMg,
  sumCents,
} from './order-money';

describe('order money', () => {
  it('reads grams exactly as milligrams, from strings and JSON numbers', () => {
    expect(parseGramsToMg('12.5')).toBe(12_500n);
    expect(parseGramsToMg(12.5)).toBe(12_500n);
    expect(parseGramsToMg('0.001')).toBe(1n);
    expect(parseGramsToMg(' 9 ')).toBe(9_000n);
    expect(parseGramsToMg(0.1)).toBe(100n);
  });

  it.each(['0', '0.000', '-1', '1.2345', 'abc', '1e3', '', '.5', '1,5'])(
    'refuses %p with VALIDATION_FAILED naming the path',
    (q) => {
      expect(() => parseGramsToMg(q, 'items[2].quantity')).toThrow(
        expect.objectContaining({
          code: 'VALIDATION_FAILED',
          details: [expect.objectContaining({ path: 'items[2].quantity' })],
        }),
      );
    },
  );

  it('refuses numbers that are not plain decimals', () => {
    for (const q of [Number.NaN, Number.POSITIVE_INFINITY, 1e21, 1e-7, -3])
      expect(() => parseGramsToMg(q)).toThrow();
  });

  it('prices a line as cents/g × grams × packs, rounded half-up once', () => {
    expect(lineTotalCents(45, 12_500n, 7)).toBe(3938); // 3937.5 → 3938
    expect(lineTotalCents(45, 12_500n, 1)).toBe(563); // 562.5 → 563
    expect(lineTotalCents(3, 1_333n, 1)).toBe(4); // 3.999 → 4
    expect(lineTotalCents(3, 1_166n, 1)).toBe(3); // 3.498 → 3
    expect(lineTotalCents(7, 10_000n, 3)).toBe(210);
  });

  it('does not drift where floating point would (0.1 + 0.2 style amounts)', () => {
    // 0.1 g × 3 packs at 10 c/g is exactly 3 c; 0.1 * 3 * 10 in floats is 3.0000000000000004.
    expect(lineTotalCents(10, parseGramsToMg('0.1'), 3)).toBe(3);
    // 1.005 g at 100 c/g: exactly 100.5 → 101 (Math.round(1.005 * 100) is 100 in floats).
    expect(lineTotalCents(100, parseGramsToMg('1.005'), 1)).toBe(101);
    // Large orders stay exact: 99999.999 g × 365 packs × 9999 c/g.
    expect(lineTotalCents(9999, 99_999_999n, 365)).toBe(364_963_496_350);
  });

  it('rounds once per line, not per pack', () => {
    // Per pack 2.5 c would round to 3 c × 3 = 9 c; the line is exactly 7.5 c → 8 c.
    expect(lineTotalCents(5, 500n, 3)).toBe(8);
  });

  it('sums cents exactly', () => {
    expect(sumCents([3938, 563, 4])).toBe(4505);
  });

  it('converts cents to and from NUMERIC(12,2) strings without floats', () => {
    expect(centsToDecimal(123456)).toBe('1234.56');
    expect(centsToDecimal(5)).toBe('0.05');
    expect(centsToDecimal(0)).toBe('0.00');
    expect(decimalToCents('1234.56')).toBe(123456);
    expect(decimalToCents('0.1')).toBe(10);
    expect(decimalToCents('7')).toBe(700);
    expect(() => decimalToCents('1.005')).toThrow();
  });

  it('writes grams back as the shortest exact decimal', () => {
    expect(formatMg(12_500n)).toBe('12.5');
    expect(formatMg(9_000n)).toBe('9');
    expect(formatMg(1n)).toBe('0.001');
    expect(decimalToMg('12.500')).toBe(12_500n);
  });
});
