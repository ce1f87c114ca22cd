import { formatMoney, fromCents, gramsToMg, toCents } from './money';

describe('money in the portal', () => {
  it('shows amounts as "NZD 12.34", grouped by thousands, from the API\'s decimal strings', () => {
    expect(formatMoney('12.34')).toBe('NZD 12.34');
    expect(formatMoney('0.5')).toBe('NZD 0.50');
    expect(formatMoney('7')).toBe('NZD 7.00');
    expect(formatMoney('1234567.89')).toBe('NZD 1,234,567.89');
    expect(formatMoney('-20.00')).toBe('-NZD 20.00');
    expect(formatMoney(1005)).toBe('NZD 10.05');
  });

  it('reads decimal strings to integer cents without floats, refusing more than two places', () => {
    expect(toCents('0.14')).toBe(14);
    expect(toCents('1000.00')).toBe(100000);
    expect(toCents('-0.05')).toBe(-5);
    expect(toCents('0.1')).toBe(10);
    // 0.1 + 0.2 in floats is 0.30000000000000004; in cents it is exact.
    expect(fromCents(toCents('0.10')! + toCents('0.20')!)).toBe('0.30');
    for (const bad of ['12.345', 'abc', '', '1e3', '12.']) expect(toCents(bad)).toBeNull();
  });

  it('shows an unreadable amount as given rather than a wrong number', () => {
    expect(formatMoney('12.345')).toBe('NZD 12.345');
  });

  it('reads grams as the API does: positive, at most three decimals', () => {
    expect(gramsToMg('10.25')).toBe(10250);
    expect(gramsToMg('9')).toBe(9000);
    expect(gramsToMg('0.001')).toBe(1);
    for (const bad of ['0', '-1', '1.2345', 'ten', '']) expect(gramsToMg(bad)).toBeNull();
  });
});
