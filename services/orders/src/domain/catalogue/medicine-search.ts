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

/**
 * A query, folded once: what every scorer compares (the same folding scoreMatch always used).
 * `scoreMatch` prepares both sides per call; the in-memory catalogue index prepares each medicine
 * once and each query once, and compares with the same functions.
 */
export interface PreparedQuery {
  /** Trimmed; empty matches nothing. */
  raw: string;
  /** True when the query holds a Chinese character: only names are compared then. */
  han: boolean;
  /** Chinese without spaces. */
  hanText: string;
  /** Upper-case letters and digits (SKU comparison). */
  sku: string;
  /** pinyinKey(query). */
  key: string;
  /** normaliseText(query): lower-case ASCII words. */
  text: string;
  /** `text` without its spaces. */
  textCompact: string;
  words: string[];
  /** The lower-cased query when it could be pinyin initials (2–8 letters), else ''. */
  initials: string;
}

/** A pinyin syllable tail (`gui` of `dang gui`) and what a typo there costs against the whole name. */
export interface PinyinTail {
  key: string;
  penalty: number;
}

/** A medicine's searchable fields, folded once. */
export interface PreparedMedicine {
  name: string;
  herbName: string;
  sku: string;
  key: string;
  initials: string;
  english: string;
  latin: string;
  tails: PinyinTail[];
}

export function prepareQuery(query: string): PreparedQuery {
  const raw = query.trim();
  const han = HAN.test(raw);
  const text = normaliseText(raw);
  const lower = raw.toLowerCase();
  return {
    raw,
    han,
    hanText: raw.replace(/\s+/g, ''),
    sku: raw.toUpperCase().replace(/[^A-Z0-9]/g, ''),
    key: pinyinKey(raw),
    text,
    textCompact: text.replace(/ /g, ''),
    words: text.split(' ').filter(Boolean),
    initials: /^[a-z]{2,8}$/.test(lower) ? lower : '',
  };
}

export function prepareMedicine(m: SearchableMedicine): PreparedMedicine {
  // From every syllable, so "bansia" finds 法半夏 (fa ban xia) as "ban" finds it by substring.
  const syllables = stripTones(m.pinyinPlain)
    .split(/[^a-z]+/)
    .filter(Boolean);
  return {
    name: m.name,
    herbName: m.herbName ?? '',
    sku: m.sku.toUpperCase().replace(/[^A-Z0-9]/g, ''),
    key: pinyinKey(m.pinyinPlain),
    initials: pinyinInitials(m.pinyinPlain),
    english: m.englishName ? normaliseText(m.englishName) : '',
    latin: m.latinName ? normaliseText(m.latinName) : '',
    tails: syllables.map((_, i) => ({
      key: pinyinKey(syllables.slice(i).join('')),
      penalty: i ? slack(syllables.slice(0, i).join('').length + 10) : 0,
    })),
  };
}

function scoreChinese(q: string, m: Omit<PreparedMedicine, 'tails'>): number {
  let best = 0;
  for (const field of [m.name, m.herbName]) {
    if (!field) continue;
    if (field === q) best = Math.max(best, MATCH_TIERS.EXACT);
    else if (field.startsWith(q)) best = Math.max(best, MATCH_TIERS.PREFIX - slack(field.length - q.length));
    else if (field.includes(q)) best = Math.max(best, MATCH_TIERS.SUBSTRING - slack(field.length - q.length));
  }
  return best;
}

function scoreSku(q: string, s: string): number {
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

/** `f` is already normalised (normaliseText). */
function scoreText(q: string, f: string): number {
  if (!q || !f) return 0;
  if (f === q) return MATCH_TIERS.EXACT;
  if (q.length >= 2 && f.startsWith(q)) return MATCH_TIERS.PREFIX - slack(f.length - q.length);
  if (q.length >= 2 && f.includes(` ${q}`)) return MATCH_TIERS.WORD_PREFIX - slack(f.length - q.length);
  if (q.length >= 3 && f.includes(q)) return MATCH_TIERS.SUBSTRING - slack(f.length - q.length);
  return 0;
}

function scoreInitials(q: string, initials: string): number {
  if (!q) return 0;
  if (initials === q) return MATCH_TIERS.INITIALS;
  if (initials.startsWith(q)) return MATCH_TIERS.INITIALS_PREFIX - slack(initials.length - q.length);
  return 0;
}

/** Best typo score of `q` against a whole field or (for long fields) its leading part. */
export function typoScore(q: string, field: string): number {
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

/**
 * How far one word of a several-word query is from a word of a name: 0 when it is the word or
 * starts it (two letters or more), 1 or 2 for a typo scoreMatch tolerates, Infinity otherwise.
 */
export function wordDistance(q: string, word: string): number {
  if (!q || !word) return Infinity;
  if (q === word || (q.length >= 2 && word.startsWith(q))) return 0;
  const t = typoScore(q, word);
  if (!t) return Infinity;
  return t > MATCH_TIERS.TYPO_2 ? 1 : 2;
}

/**
 * A query of several words against a name's words (`angelca sinensis` → Angelicae Sinensis Radix):
 * every query word must be a word of the name, start one, or be a tolerated typo of one. Scored as a
 * typo — one edit at most per word is TYPO_1, more TYPO_2.
 */
export function scoreWords(q: PreparedQuery, f: string, fWords: readonly string[]): number {
  if (q.words.length < 2 || !f) return 0;
  let worst = 0;
  for (const w of q.words) {
    let d = Infinity;
    for (const word of fWords) d = Math.min(d, wordDistance(w, word));
    if (d === Infinity) return 0;
    worst = Math.max(worst, d);
  }
  return (worst <= 1 ? MATCH_TIERS.TYPO_1 : MATCH_TIERS.TYPO_2) - slack(f.length - q.text.length);
}

/**
 * The score of every match but a typo: exact, prefix, word prefix, substring, initials. 0 when
 * none applies (scoreMatch then tries typos).
 */
export function scoreDirect(q: PreparedQuery, m: Omit<PreparedMedicine, 'tails'>): number {
  if (!q.raw) return 0;
  if (q.han) return scoreChinese(q.hanText, m);
  return Math.max(
    scoreSku(q.sku, m.sku),
    scoreKey(q.key, m.key, 1),
    scoreText(q.text, m.english),
    scoreText(q.text, m.latin),
    scoreInitials(q.initials, m.initials),
  );
}

/** The typo score of a query without a direct match (0 when it is not a tolerated typo either). */
export function scoreTypos(q: PreparedQuery, m: PreparedMedicine): number {
  if (!q.raw || q.han) return 0;
  let best = 0;
  for (const tail of m.tails) best = Math.max(best, typoScore(q.key, tail.key) - tail.penalty);
  for (const f of [m.english, m.latin]) {
    if (!f) continue;
    best = Math.max(best, typoScore(q.textCompact, f.replace(/ /g, '')));
    const words = f.split(' ');
    if (q.words.length === 1) {
      for (const word of words)
        best = Math.max(best, typoScore(q.words[0], word) - slack(f.length - word.length));
    }
    best = Math.max(best, scoreWords(q, f, words));
  }
  return best;
}

/** How well `query` matches `medicine`; 0 when it does not match at all. */
export function scoreMatch(query: string, medicine: SearchableMedicine): number {
  const q = prepareQuery(query);
  if (!q.raw) return 0;
  const m = prepareMedicine(medicine);
  const best = scoreDirect(q, m);
  return best > 0 ? best : scoreTypos(q, m);
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
    .sort((a, b) => b.score - a.score || compareTies(a.medicine, b.medicine))
    .slice(0, limit)
    .map((r) => r.medicine);
}

export const formRank = (m: SearchableMedicine) => (m.form === 'granule' ? 1 : 0);

/** Between two medicines with the same score: the raw herb first, then the shorter name, then the SKU. */
export function compareTies(a: SearchableMedicine, b: SearchableMedicine): number {
  return formRank(a) - formRank(b) || a.name.length - b.name.length || a.sku.localeCompare(b.sku);
}
