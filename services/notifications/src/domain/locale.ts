export const LOCALES = ['en', 'zh'] as const;
export type Locale = (typeof LOCALES)[number];

/** Anything unknown or missing reads as English. */
export function toLocale(value: string | null | undefined): Locale {
  return value === 'zh' ? 'zh' : 'en';
}
