import {
  MATCH_TIERS,
  type PreparedMedicine,
  type PreparedQuery,
  compareTies,
  prepareMedicine,
  prepareQuery,
  scoreDirect,
  typoAllowance,
  typoScore,
  wordDistance,
} from '../../../domain/catalogue/medicine-search';
import type { MedicineFilter } from '../../ports/medicine-repository';
import type { CatalogueMedicineRecord } from '../medicine-record';
import { lowerBound, sortYielding, yieldToLoop } from './sorted';
import { GramIndex, TermIndex, trigrams } from './term-index';

interface Entry {
  record: CatalogueMedicineRecord;
  /** Without its pinyin tails (only the index needs them; unindex prepares them again). */
  prep: Omit<PreparedMedicine, 'tails'>;
  /** Position in the tie order (compareTies over the whole catalogue). */
  tie: number;
}

const slack = (extra: number) => Math.min(49, Math.max(0, extra));
const ENGLISH = 0;
const LATIN = 1;

/** Every field of two records, compared (a change the delta query re-reads unchanged is skipped). */
function sameRecord(a: CatalogueMedicineRecord, b: CatalogueMedicineRecord): boolean {
  for (const key of Object.keys(a) as (keyof CatalogueMedicineRecord)[]) {
    const x = a[key];
    const y = b[key];
    if (x instanceof Date && y instanceof Date ? x.getTime() !== y.getTime() : x !== y) return false;
  }
  return Object.keys(a).length === Object.keys(b).length;
}

export interface SearchPage {
  items: CatalogueMedicineRecord[];
  total: number;
}

/**
 * The whole catalogue in memory, for GET /medicines?q=. Gives exactly the page scoreMatch and
 * rankMedicines would give over every visible medicine, with the database search's rule that typos
 * count only when nothing matches directly — without scoring 50,000 rows:
 *
 * - direct matches (exact, prefix, word prefix, substring, initials): candidates from sorted terms
 *   (SKU, pinyin key, initials and English/Latin words, for prefixes), trigrams (pinyin key and
 *   English/Latin text, for substrings of 3+ letters) and characters (Chinese), each a superset of
 *   what its scorer accepts; scoreDirect then decides and scores.
 * - typos: a trie walk over the sorted pinyin syllable tails, English/Latin words and whole texts
 *   finds every term within the query's edit allowance; typoScore/wordDistance (scoreMatch's own)
 *   score each such term once, and a medicine's score is its best term's, less that term's penalty.
 *
 * Ties are broken by a precomputed order (compareTies: raw before granules, shorter name, SKU).
 */
export class CatalogueSearchIndex {
  private readonly entries: (Entry | undefined)[] = [];
  private readonly byId = new Map<string, number>();
  private readonly han = new GramIndex();
  private readonly keyGrams = new GramIndex();
  private readonly textGrams = new GramIndex();
  private readonly skus = new TermIndex();
  private readonly keys = new TermIndex();
  private readonly initials = new TermIndex();
  /** Words of English and Latin names: slot, field, the field's length. */
  private readonly words = new TermIndex(3);
  /** English and Latin names without spaces. */
  private readonly compact = new TermIndex();
  /** Pinyin syllable tails: slot, penalty. */
  private readonly tails = new TermIndex(2);
  /** Slots in tie order, once sealed. */
  private tieOrder: number[] = [];
  private sealed = false;
  private seen = new Uint32Array(1024);
  private best = new Int32Array(1024);
  private stamp = 0;

  get size(): number {
    return this.byId.size;
  }

  /** Adds or replaces medicines (by id); unchanged ones are left alone. Returns how many changed. */
  upsert(records: readonly CatalogueMedicineRecord[]): number {
    let changed = 0;
    for (const record of records) {
      const slot = this.byId.get(record.id);
      const current = slot === undefined ? undefined : this.entries[slot];
      if (current && sameRecord(current.record, record)) continue;
      changed++;
      if (slot !== undefined && current) {
        this.unindex(slot, current);
        this.put(slot, record);
      } else {
        const fresh = this.entries.length;
        this.byId.set(record.id, fresh);
        this.put(fresh, record);
      }
    }
    return changed;
  }

  /** Adds records during the bulk build, yielding to the event loop every `slice` of them. */
  async load(records: readonly CatalogueMedicineRecord[], slice = 50): Promise<void> {
    for (let i = 0; i < records.length; i += slice) {
      this.upsert(records.slice(i, i + slice));
      await yieldToLoop();
    }
  }

  /** Ends the bulk build: sorts the terms and the tie order (in slices). Search needs it. */
  async seal(): Promise<void> {
    for (const index of [this.skus, this.keys, this.initials, this.words, this.compact, this.tails])
      await index.seal();
    for (const grams of [this.han, this.keyGrams, this.textGrams]) await grams.seal();
    const slots: number[] = [];
    this.entries.forEach((e, slot) => e && slots.push(slot));
    this.tieOrder = await sortYielding(slots, (a, b) =>
      compareTies(this.entries[a]!.record, this.entries[b]!.record),
    );
    this.renumberTies();
    this.sealed = true;
  }

  get isSealed(): boolean {
    return this.sealed;
  }

  private renumberTies(): void {
    this.tieOrder.forEach((slot, i) => (this.entries[slot]!.tie = i));
  }

  /** One string object per distinct value of the fields many medicines share (herb, Latin, category…). */
  private readonly strings = new Map<string, string>();
  private intern<T extends string | null>(value: T): T {
    if (value === null) return value;
    const known = this.strings.get(value);
    if (known !== undefined) return known as T;
    this.strings.set(value, value);
    return value;
  }

  private put(slot: number, fresh: CatalogueMedicineRecord): void {
    const record: CatalogueMedicineRecord = {
      ...fresh,
      herbName: this.intern(fresh.herbName),
      latinName: this.intern(fresh.latinName),
      category: this.intern(fresh.category),
      unit: this.intern(fresh.unit),
      restrictionReason: this.intern(fresh.restrictionReason),
    };
    const { tails, ...prep } = prepareMedicine(record);
    const entry: Entry = { record, prep, tie: 0 };
    this.entries[slot] = entry;
    this.han.add(new Set([...prep.name, ...prep.herbName]), slot);
    this.skus.add(prep.sku, slot);
    this.keys.add(prep.key, slot);
    this.keyGrams.add(trigrams(prep.key), slot);
    this.initials.add(prep.initials, slot);
    this.textGrams.add(new Set([...trigrams(prep.english), ...trigrams(prep.latin)]), slot);
    for (const [field, f] of [
      [ENGLISH, prep.english],
      [LATIN, prep.latin],
    ] as const) {
      if (!f) continue;
      for (const word of new Set(f.split(' '))) this.words.add(word, slot, field, f.length);
      this.compact.add(f.replace(/ /g, ''), slot);
    }
    for (const tail of tails) this.tails.add(tail.key, slot, tail.penalty);
    if (this.sealed) {
      const at = lowerBound(this.tieOrder, slot, (a, b) =>
        compareTies(this.entries[a]!.record, this.entries[b]!.record),
      );
      this.tieOrder.splice(at, 0, slot);
      this.renumberTies();
    }
  }

  private unindex(slot: number, entry: Entry): void {
    const prep = prepareMedicine(entry.record);
    this.han.remove(new Set([...prep.name, ...prep.herbName]), slot);
    this.skus.remove(prep.sku, slot);
    this.keys.remove(prep.key, slot);
    this.keyGrams.remove(trigrams(prep.key), slot);
    this.initials.remove(prep.initials, slot);
    this.textGrams.remove(new Set([...trigrams(prep.english), ...trigrams(prep.latin)]), slot);
    for (const f of [prep.english, prep.latin]) {
      if (!f) continue;
      for (const word of new Set(f.split(' '))) this.words.remove(word, slot);
      this.compact.remove(f.replace(/ /g, ''), slot);
    }
    for (const tail of prep.tails) this.tails.remove(tail.key, slot);
    if (this.sealed) {
      const at = this.tieOrder.indexOf(slot);
      if (at >= 0) this.tieOrder.splice(at, 1);
    }
    this.entries[slot] = undefined;
  }

  /** The ranked page for `query` (trimmed; an empty query matches nothing). */
  search(query: string, filter: MedicineFilter, page: { offset: number; limit: number }): SearchPage {
    if (!this.sealed) throw new Error('the catalogue index is still being built');
    const q = prepareQuery(query);
    if (!q.raw) return { items: [], total: 0 };
    const visible = (e: Entry) =>
      (filter.includeRetired || e.record.status === 'active') &&
      (!filter.category || e.record.category === filter.category);

    let scored = this.direct(q, visible);
    if (!scored.length && !q.han) scored = this.typos(q, visible);
    return this.page(scored, page);
  }

  private nextStamp(): number {
    if (this.seen.length < this.entries.length) this.seen = new Uint32Array(this.entries.length * 2);
    if (++this.stamp === 0xffffffff) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    return this.stamp;
  }

  /** [slot, score] pairs of the direct matches. */
  private direct(q: PreparedQuery, visible: (e: Entry) => boolean): number[] {
    const stamp = this.nextStamp();
    const seen = this.seen;
    const out: number[] = [];
    const consider = (slot: number) => {
      if (seen[slot] === stamp) return;
      seen[slot] = stamp;
      const e = this.entries[slot];
      if (!e || !visible(e)) return;
      const score = scoreDirect(q, e.prep);
      if (score > 0) out.push(slot, score);
    };
    const each = (list: ArrayLike<number> | undefined, stride = 1) => {
      if (!list) return;
      for (let i = 0; i < list.length; i += stride) consider(list[i]);
    };
    if (q.han) {
      each(this.han.holdingAll(new Set(q.hanText)));
      return out;
    }
    if (q.sku) {
      if (q.sku.length >= 3) this.skus.prefix(q.sku, (_, list) => each(list));
      else each(this.skus.exact(q.sku));
    }
    if (q.key) {
      if (q.key.length >= 3) each(this.keyGrams.holdingAll(trigrams(q.key)));
      else this.keys.prefix(q.key, (_, list) => each(list));
    }
    if (q.text) {
      if (q.text.length >= 3) each(this.textGrams.holdingAll(trigrams(q.text)));
      else this.words.prefix(q.text, (_, list) => each(list, 3));
    }
    if (q.initials) this.initials.prefix(q.initials, (_, list) => each(list));
    return out;
  }

  /** [slot, score] pairs of the typo matches (scoreTypos over every visible medicine, in effect). */
  private typos(q: PreparedQuery, visible: (e: Entry) => boolean): number[] {
    const stamp = this.nextStamp();
    const seen = this.seen;
    if (this.best.length < seen.length) this.best = new Int32Array(seen.length);
    const best = this.best;
    const hit: number[] = [];
    const raise = (slot: number, score: number) => {
      if (score <= 0) return;
      if (seen[slot] !== stamp) {
        seen[slot] = stamp;
        best[slot] = score;
        hit.push(slot);
      } else if (score > best[slot]) best[slot] = score;
    };
    const kKey = typoAllowance(q.key.length);
    if (kKey)
      this.tails.fuzzy(q.key, kKey, (term, list) => {
        const s = typoScore(q.key, term);
        if (s) for (let i = 0; i < list.length; i += 2) raise(list[i], s - list[i + 1]);
      });
    const kText = typoAllowance(q.textCompact.length);
    if (kText)
      this.compact.fuzzy(q.textCompact, kText, (term, list) => {
        const s = typoScore(q.textCompact, term);
        if (s) for (const slot of list) raise(slot, s);
      });
    if (q.words.length === 1) {
      const w = q.words[0];
      const k = typoAllowance(w.length);
      if (k)
        this.words.fuzzy(w, k, (term, list) => {
          const s = typoScore(w, term);
          if (s)
            for (let i = 0; i < list.length; i += 3) raise(list[i], s - slack(list[i + 2] - term.length));
        });
    } else if (q.words.length >= 2) {
      this.severalWords(q, raise);
    }
    const out: number[] = [];
    for (const slot of hit) {
      const e = this.entries[slot];
      if (e && visible(e)) out.push(slot, best[slot]);
    }
    return out;
  }

  /** scoreWords: each query word is, starts or is a tolerated typo of a word of the same name. */
  private severalWords(q: PreparedQuery, raise: (slot: number, score: number) => void): void {
    // key = slot * 2 + field → [worst distance so far, field length]
    let fields: Map<number, [number, number]> | undefined;
    for (const w of q.words) {
      const here = new Map<number, [number, number]>();
      const take = (term: string, list: readonly number[]) => {
        const d = wordDistance(w, term);
        if (d === Infinity) return;
        for (let i = 0; i < list.length; i += 3) {
          const key = list[i] * 2 + list[i + 1];
          if (fields && !fields.has(key)) continue;
          const had = here.get(key);
          if (!had || d < had[0]) here.set(key, [d, list[i + 2]]);
        }
      };
      if (w.length === 1) {
        const list = this.words.exact(w);
        if (list) take(w, list);
      } else {
        this.words.prefix(w, take);
        const k = typoAllowance(w.length);
        if (k) this.words.fuzzy(w, k, take);
      }
      if (fields) for (const [key, [d, len]] of here) here.set(key, [Math.max(d, fields.get(key)![0]), len]);
      fields = here;
      if (!fields.size) return;
    }
    for (const [key, [d, len]] of fields!)
      raise(
        Math.floor(key / 2),
        (d <= 1 ? MATCH_TIERS.TYPO_1 : MATCH_TIERS.TYPO_2) - slack(len - q.text.length),
      );
  }

  /** Best first (score, then the tie order), cut to the page; `total` counts every match. */
  private page(scored: number[], { offset, limit }: { offset: number; limit: number }): SearchPage {
    const total = scored.length / 2;
    const want = offset + limit;
    // Only the matches that can reach the page are sorted: scores are whole numbers ≤ 1000, so
    // counting them finds the lowest score the page can hold.
    let floor = -Infinity;
    if (total > want * 2) {
      const counts = new Uint32Array(1002);
      for (let i = 1; i < scored.length; i += 2) counts[Math.min(1001, Math.max(0, scored[i]))]++;
      let seen = 0;
      for (let s = 1001; s >= 0; s--) {
        seen += counts[s];
        if (seen >= want) {
          floor = s;
          break;
        }
      }
    }
    const order: number[] = [];
    for (let i = 0; i < scored.length; i += 2) if (scored[i + 1] >= floor) order.push(i);
    order.sort(
      (a, b) => scored[b + 1] - scored[a + 1] || this.entries[scored[a]]!.tie - this.entries[scored[b]]!.tie,
    );
    const items = order.slice(offset, want).map((i) => this.entries[scored[i]]!.record);
    return { items, total };
  }
}
