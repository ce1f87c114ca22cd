import type { MedicineForm } from './medicine';
import { pinyinInitials, pinyinKey, stripTones } from './pinyin';

/**
 * What "best match first" means for the medicine search (GET /medicines?q=). The database narrows
 * candidates with pg_trgm; this ranks them. Tiers, best first: exact (SKU, Chinese, pinyin, English,
 * Latin) > prefix > word prefix > substring > pinyin initials > a small typo. Inside a tier a tighter
 * field wins (a penalty of at most 49, so tiers never cross).
 */
export const MATCH_TIERS = {
  EXACT: 1000,
  PREFIX: 800,
  WORD_PREFIX: 750,
  SUBSTRING: 600,
  INITIALS: 400,
  INITIALS_PREFIX: 350,
  TYPO_1: 200,
  TYPO_2: 150,
} as const;

export interface SearchableMedicine {
  sku: string;
  name: string;
  herbName?: string | null;
  /** Pinyin with or without tone marks; syllables separated by spaces (initials need them). */
  pinyinPlain: string;
  englishName: string;
  latinName?: string | null;
  form?: MedicineForm;
}

const HAN = /[\u3400-\u9fff]/;
const MAX_SLACK = 49;
const slack = (extra: number) => Math.min(MAX_SLACK, Math.max(0, extra));

/** Lower-case words of English/Latin text, diacritics removed (Oötheca → ootheca). */
function normaliseText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Damerau–Levenshtein distance (optimal string alignment: insert, delete, substitute, swap two
 * neighbours), so "dnag" is one edit from "dang".
 */
export function damerauLevenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, prevPrev[j - 2] + 1);
      cur.push(d);
    }
    prevPrev = prev;
    prev = cur;
  }
  return prev[b.length];
}

/** Typos tolerated: one edit in a short word (≤ 6 letters), two in a longer one, none under 3. */
export function typoAllowance(length: number): number {
  if (length < 3) return 0;
  return length <= 6 ? 1 : 2;
}

function scoreChinese(query: string, m: SearchableMedicine): number {
  const q = query.replace(/\s+/g, '');
  let best = 0;
  for (const field of [m.name, m.herbName]) {
    if (!field) continue;
    if (field === q) best = Math.max(best, MATCH_TIERS.EXACT);
    else if (field.startsWith(q)) best = Math.max(best, MATCH_TIERS.PREFIX - slack(field.length - q.length));
    else if (field.includes(q)) best = Math.max(best, MATCH_TIERS.SUBSTRING - slack(field.length - q.length));
  }
  return best;
}

function scoreSku(query: string, sku: string): number {
  const q = query.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const s = sku.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (!q) return 0;
  if (q === s) return MATCH_TIERS.EXACT;
  if (q.length >= 3 && s.startsWith(q)) return MATCH_TIERS.PREFIX - slack(s.length - q.length);
  return 0;
}

function scoreKey(q: string, field: string, minPrefix: number): number {
  if (!q || !field) return 0;
  if (field === q) return MATCH_TIERS.EXACT;
  if (q.length >= minPrefix && field.startsWith(q))
    return MATCH_TIERS.PREFIX - slack(field.length - q.length);
  if (q.length >= 3 && field.includes(q)) return MATCH_TIERS.SUBSTRING - slack(field.length - q.length);
  return 0;
}

function scoreText(q: string, field: string | null | undefined): number {
  if (!q || !field) return 0;
  const f = normaliseText(field);
  if (f === q) return MATCH_TIERS.EXACT;
  if (q.length >= 2 && f.startsWith(q)) return MATCH_TIERS.PREFIX - slack(f.length - q.length);
  if (q.length >= 2 && f.includes(` ${q}`)) return MATCH_TIERS.WORD_PREFIX - slack(f.length - q.length);
  if (q.length >= 3 && f.includes(q)) return MATCH_TIERS.SUBSTRING - slack(f.length - q.length);
  return 0;
}

function scoreInitials(query: string, pinyin: string): number {
  const q = query.toLowerCase();
  if (!/^[a-z]{2,8}$/.test(q)) return 0;
  const initials = pinyinInitials(pinyin);
  if (initials === q) return MATCH_TIERS.INITIALS;
  if (initials.startsWith(q)) return MATCH_TIERS.INITIALS_PREFIX - slack(initials.length - q.length);
  return 0;
}

/** Best typo score of `q` against a whole field or (for long fields) its leading part. */
function typoScore(q: string, field: string): number {
  const allowed = typoAllowance(q.length);
  if (!allowed || !field) return 0;
  let best = 0;
  const consider = (candidate: string, extra: number) => {
    if (Math.abs(candidate.length - q.length) > allowed) return;
    const d = damerauLevenshtein(q, candidate);
    if (d === 0 || d > allowed) return;
    best = Math.max(best, (d === 1 ? MATCH_TIERS.TYPO_1 : MATCH_TIERS.TYPO_2) - slack(extra));
  };
  consider(field, 0);
  // "dnag gui" should still find 当归配方颗粒: compare against the field's opening letters too.
  if (field.length > q.length + 1) {
    for (const len of [q.length - 1, q.length, q.length + 1])
      consider(field.slice(0, len), field.length - len);
  }
  return best;
}

function scoreTypos(query: string, m: SearchableMedicine): number {
  const qKey = pinyinKey(query);
  // From every syllable, so "bansia" finds 法半夏 (fa ban xia) as "ban" finds it by substring.
  const syllables = stripTones(m.pinyinPlain)
    .split(/[^a-z]+/)
    .filter(Boolean);
  let best = 0;
  syllables.forEach((_, i) => {
    const tail = pinyinKey(syllables.slice(i).join(''));
    best = Math.max(
      best,
      typoScore(qKey, tail) - (i ? slack(syllables.slice(0, i).join('').length + 10) : 0),
    );
  });
  const q = normaliseText(query);
  const qWords = q.split(' ').filter(Boolean);
  for (const field of [m.englishName, m.latinName]) {
    if (!field) continue;
    const f = normaliseText(field);
    best = Math.max(best, typoScore(q.replace(/ /g, ''), f.replace(/ /g, '')));
    if (qWords.length === 1) {
      for (const word of f.split(' '))
        best = Math.max(best, typoScore(qWords[0], word) - slack(f.length - word.length));
    }
  }
  return best;
}

/** How well `query` matches `medicine`; 0 when it does not match at all. */
export function scoreMatch(query: string, medicine: SearchableMedicine): number {
  const q = query.trim();
  if (!q) return 0;
  if (HAN.test(q)) return scoreChinese(q, medicine);
  const text = normaliseText(q);
  const best = Math.max(
    scoreSku(q, medicine.sku),
    scoreKey(pinyinKey(q), pinyinKey(medicine.pinyinPlain), 1),
    scoreText(text, medicine.englishName),
    scoreText(text, medicine.latinName),
    scoreInitials(q, medicine.pinyinPlain),
  );
  return best > 0 ? best : scoreTypos(q, medicine);
}

/**
 * The matching medicines, best first. Ties go to the raw herb before its granules, then the
 * shorter name, then the SKU, so the order is stable.
 */
export function rankMedicines<T extends SearchableMedicine>(
  query: string,
  medicines: readonly T[],
  limit = 20,
): T[] {
  return medicines
    .map((medicine) => ({ medicine, score: scoreMatch(query, medicine) }))
    .filter((r) => r.score > 0)
    .sort(
      (a, b) =>
        b.score - a.score ||
        formRank(a.medicine) - formRank(b.medicine) ||
        a.medicine.name.length - b.medicine.name.length ||
        a.medicine.sku.localeCompare(b.medicine.sku),
    )
    .slice(0, limit)
    .map((r) => r.medicine);
}

const formRank = (m: SearchableMedicine) => (m.form === 'granule' ? 1 : 0);
