import { formatCents, formatMoney } from './money';

describe('formatCents', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [50, '0.50'],
    [100, '1.00'],
    [12345, '123.45'],
    [-5, '-0.05'],
    [999_999_999_999, '9999999999.99'],
  ])('formats %d cents as %s', (cents, text) => {
    expect(formatCents(cents)).toBe(text);
  });

  it('keeps every cent of amounts whose float division would round (0.1 + 0.2 style)', () => {
    // 1.15 * 100 = 114.99999999999999 in floats; the string path never divides.
    expect(formatCents(115)).toBe('1.15');
    expect(formatCents(9_007_199_254_740_991)).toBe('90071992547409.91');
  });

  it('refuses a fractional or unsafe number of cents instead of rounding it', () => {
    expect(() => formatCents(1.5)).toThrow(RangeError);
    expect(() => formatCents(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
  });

  it('appends the currency for e-mails', () => {
    expect(formatMoney(12345)).toBe('123.45 NZD');
  });
});
