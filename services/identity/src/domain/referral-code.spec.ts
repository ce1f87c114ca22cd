import { randomInt } from 'node:crypto';
import { REFERRAL_ALPHABET, formatReferralCode, normalizeReferralCode } from './referral-code';

const randomString = (alphabet: string, n: number) =>
  Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');

describe('referral codes', () => {
  it('are eight characters without look-alikes, grouped in fours', () => {
    const code = formatReferralCode(randomString(REFERRAL_ALPHABET, 8));
    expect(code).toMatch(/^[A-HJKMNP-TV-Z2-9]{4}-[A-HJKMNP-TV-Z2-9]{4}$/);
    for (const c of '01OILU') expect(REFERRAL_ALPHABET).not.toContain(c);
  });

  it('accept what people type: any case, spaces, missing dash', () => {
    expect(normalizeReferralCode(' abcd efgh ')).toBe('ABCD-EFGH');
    expect(normalizeReferralCode('abcdefgh')).toBe('ABCD-EFGH');
    expect(normalizeReferralCode('AbCd-EfGh')).toBe('ABCD-EFGH');
  });

  it('reject input that cannot be a code', () => {
    expect(normalizeReferralCode('ABCD-EFG')).toBeNull();
    expect(normalizeReferralCode('ABCD-EFG0')).toBeNull();
    expect(normalizeReferralCode('ABCD-EFGHJ')).toBeNull();
  });
});
