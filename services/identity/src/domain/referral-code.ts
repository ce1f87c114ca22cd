/**
 * Referral codes are read aloud and typed by hand: eight characters from an alphabet without look-alikes
 * (no 0/O, 1/I/L, U), shown as `ABCD-EFGH`. Input is forgiving about case, spaces and dashes.
 */
export const REFERRAL_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';
export const REFERRAL_CODE_LENGTH = 8;

export function formatReferralCode(chars: string): string {
  if (chars.length !== REFERRAL_CODE_LENGTH || [...chars].some((c) => !REFERRAL_ALPHABET.includes(c))) {
    throw new Error('referral code characters out of alphabet');
  }
  return `${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** The canonical `ABCD-EFGH` form of user input, or null when it cannot be a code. */
export function normalizeReferralCode(input: string): string | null {
  const chars = input.toUpperCase().replace(/[\s-]/g, '');
  if (chars.length !== REFERRAL_CODE_LENGTH || [...chars].some((c) => !REFERRAL_ALPHABET.includes(c)))
    return null;
  return formatReferralCode(chars);
}
