/**
 * Pinyin folding for search. People type 当归 as "dāng guī", "dang gui", "danggui", "dang1 gui1" or
 * "DangGui"; 女贞子 as "nǚ zhēn zǐ", "nv zhen zi" or "nu zhen zi". All of these fold to one key.
 */

const U_DIAERESIS = /[ǖǘǚǜüÜǕǗǙǛ]/g;
const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** Lower-case, tone marks removed, ü kept as v: `nǚ zhēn zǐ` → `nv zhen zi`. */
export function stripTones(pinyin: string): string {
  return pinyin.replace(U_DIAERESIS, 'v').normalize('NFD').replace(COMBINING_MARKS, '').toLowerCase();
}

/**
 * The comparison key: no tones, no tone numbers, no spaces or apostrophes, and ü/v/u folded to u —
 * pinyin has no other v, so accepting all three spellings costs only the lü/lu distinction.
 */
export function pinyinKey(pinyin: string): string {
  return stripTones(pinyin)
    .replace(/[^a-z]/g, '')
    .replace(/v/g, 'u');
}

/** First letter of every syllable: `dang gui` → `dg` (the 拼音码 clinics type). */
export function pinyinInitials(pinyinWithSpaces: string): string {
  return stripTones(pinyinWithSpaces)
    .split(/[^a-z]+/)
    .filter(Boolean)
    .map((syllable) => syllable[0])
    .join('');
}
