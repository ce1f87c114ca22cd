/** Dates and times are shown in New Zealand time, whatever the device's zone. */
export const NZ_TIME_ZONE = 'Pacific/Auckland';

const localeOf = (lang: string) => (lang === 'zh' ? 'zh-CN' : 'en-NZ');

/** `2026-12-01T21:00:00Z` → `2 Dec 2026, 10:00 am` (en) / `2026/12/2 10:00` (zh), in NZ time. */
export function formatDateTime(iso: string | null | undefined, lang = 'en'): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(localeOf(lang), {
    timeZone: NZ_TIME_ZONE,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(d);
}

export function formatDate(iso: string | null | undefined, lang = 'en'): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(localeOf(lang), { timeZone: NZ_TIME_ZONE, dateStyle: 'medium' }).format(d);
}

/** Today's date in NZ as `YYYY-MM-DD` (for date inputs and report ranges). */
export function nzToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: NZ_TIME_ZONE }).format(now);
}

/** A `YYYY-MM-DD` date moved by whole days. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
