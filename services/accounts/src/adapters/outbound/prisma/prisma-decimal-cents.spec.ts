import { Prisma } from '../../../generated/prisma/client';
import { centsToDecimal, decimalToCents } from '@prescriptchain/contracts';

describe('NUMERIC columns ↔ cents: the contract conversion over Prisma Decimals', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [29, '0.29'],
    [100, '1.00'],
    [12345, '123.45'],
    [-5, '-0.05'],
    [-8450, '-84.50'],
    [999_999_999_999, '9999999999.99'],
  ])('%p cents is "%s" and back', (cents, text) => {
    expect(centsToDecimal(cents)).toBe(text);
    expect(decimalToCents(text)).toBe(cents);
  });

  it('reads Prisma Decimals exactly, including values a float would round (0.29, 1.15)', () => {
    expect(decimalToCents(new Prisma.Decimal('0.29'))).toBe(29);
    expect(decimalToCents(new Prisma.Decimal('1.15'))).toBe(115);
    expect(decimalToCents(new Prisma.Decimal('-84.5'))).toBe(-8450);
    expect(decimalToCents(new Prisma.Decimal('9999999999.99'))).toBe(999_999_999_999);
  });

  it('accepts short forms, refuses a third decimal place (even a 0), fractions of a cent and junk', () => {
    expect(decimalToCents('12')).toBe(1200);
    expect(decimalToCents('12.5')).toBe(1250);
    // The contract's rule (libs/contracts/src/money.ts): at most two decimal places.
    expect(() => decimalToCents('12.5000')).toThrow(/two decimal places/);
    expect(() => decimalToCents('12.345')).toThrow(/two decimal places/);
    expect(() => decimalToCents('1e3')).toThrow();
    expect(() => decimalToCents('')).toThrow();
  });

  it('refuses non-integer cents', () => {
    expect(() => centsToDecimal(1.5)).toThrow();
    expect(() => centsToDecimal(Number.NaN)).toThrow();
  });
});
