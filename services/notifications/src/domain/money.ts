/**
 * Integer cents → "123.45", by string arithmetic: no float ever touches an amount.
 * Negative amounts keep their sign ("-0.05").
 */
export function formatCents(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`cents must be a safe integer, got ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const digits = String(Math.abs(cents)).padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** "123.45 NZD" — how amounts appear in e-mails. */
export function formatMoney(cents: number, currency = 'NZD'): string {
  return `${formatCents(cents)} ${currency}`;
}
