/**
 * Money in the portal: the API speaks decimal strings with two places ("12.34") and a currency;
 * arithmetic is done in integer cents (BigInt where products grow), never in floats.
 */

const DECIMAL = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

/** `"12.34"` → 1234; `"12.3"` → 1230; anything else (more decimals, letters) → null. */
export function toCents(decimal: string): number | null {
  const m = DECIMAL.exec(decimal.trim());
  if (!m) return null;
  const cents = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0') || '0');
  if (!Number.isSafeInteger(cents)) return null;
  return m[1] && cents !== 0 ? -cents : cents;
}

/** 1234 → `"12.34"`, -5 → `"-0.05"`. */
export function fromCents(cents: number): string {
  const abs = Math.abs(cents);
  const text = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  return cents < 0 ? `-${text}` : text;
}

/**
 * How money is shown everywhere: `NZD 12.34`, thousands grouped (`NZD 1,234.56`), a minus before
 * the currency for a negative amount (`-NZD 5.00`). An unreadable amount is shown as given.
 */
export function formatMoney(amount: string | number, currency = 'NZD'): string {
  const cents = typeof amount === 'number' ? amount : toCents(amount);
  if (cents === null) return `${currency} ${amount}`;
  const [whole, fraction] = fromCents(Math.abs(cents)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${cents < 0 ? '-' : ''}${currency} ${grouped}.${fraction}`;
}

const GRAMS = /^(\d{1,6})(?:\.(\d{1,3}))?$/;

/** `"10.25"` g → 10250 mg; a quantity the API would refuse (0, > 3 decimals, text) → null. */
export function gramsToMg(quantity: string): number | null {
  const m = GRAMS.exec(quantity.trim());
  if (!m) return null;
  const mg = Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0') || '0');
  return mg > 0 ? mg : null;
}
