import { decimalToCents, formatCents, MAX_CENTS, parseCents } from './money';

describe('money on the wire: one rule for every edge', () => {
  it('reads at most two decimal places, the same way at the HTTP edge and from storage', () => {
    for (const [text, cents] of [
      ['12', 1200],
      ['12.5', 1250],
      ['12.50', 1250],
      ['-0.07', -7],
      ['9999999999.99', MAX_CENTS],
    ] as const) {
      expect([text, parseCents(text), decimalToCents(text)]).toEqual([text, cents, cents]);
    }
  });

  it('refuses a third decimal place even when it is 0, at the edge and from storage alike', () => {
    for (const text of ['12.500', '12.345', '0.005', '.5', '12.', '1e3', '']) {
      expect([text, parseCents(text)]).toEqual([text, null]);
      expect(() => decimalToCents(text)).toThrow(/at most two decimal places/);
    }
  });

  it('keeps client input within NUMERIC(12,2); stored sums may go beyond it up to a safe integer', () => {
    expect(parseCents('10000000000.00')).toBeNull();
    expect(decimalToCents('10000000000.00')).toBe(MAX_CENTS + 1);
    expect(() => decimalToCents('90071992547409.92')).toThrow(RangeError);
  });

  it('reads a Decimal through its two-place text, and ignores spaces around a stored amount only', () => {
    expect(decimalToCents({ toFixed: (dp: number) => (1.15).toFixed(dp) })).toBe(115);
    expect(decimalToCents(' 12.50 ')).toBe(1250);
    expect(parseCents(' 12.50')).toBeNull();
  });

  it('writes two places and round-trips', () => {
    expect(formatCents(-7)).toBe('-0.07');
    expect(formatCents(MAX_CENTS)).toBe('9999999999.99');
    expect(decimalToCents(formatCents(123_456))).toBe(123_456);
    expect(() => formatCents(0.1 + 0.2)).toThrow(RangeError);
  });
});
