import { byCodeUnits, lowerBound, sortYielding, yieldToLoop } from './sorted';

/**
 * Distinct terms, kept sorted (by code units), each with its postings: flat tuples of `stride`
 * numbers, the first of which is the row's slot. Supports exact, prefix and typo-tolerant lookups.
 * While `sealed` is false (the bulk build) new terms are only appended; `seal()` sorts them once.
 */
export class TermIndex {
  private terms: string[] = [];
  private readonly postings = new Map<string, number[]>();
  private sealed = false;

  constructor(readonly stride = 1) {}

  get size(): number {
    return this.postings.size;
  }

  add(term: string, ...tuple: number[]): void {
    let list = this.postings.get(term);
    if (!list) {
      list = [];
      this.postings.set(term, list);
      if (this.sealed) this.terms.splice(lowerBound(this.terms, term, byCodeUnits), 0, term);
      else this.terms.push(term);
    }
    for (const n of tuple) list.push(n);
  }

  /** Drops every tuple of `slot` under `term` (the term stays, possibly with no postings). */
  remove(term: string, slot: number): void {
    const list = this.postings.get(term);
    if (!list) return;
    const s = this.stride;
    let w = 0;
    for (let r = 0; r < list.length; r += s) {
      if (list[r] === slot) continue;
      for (let k = 0; k < s; k++) list[w + k] = list[r + k];
      w += s;
    }
    list.length = w;
  }

  async seal(): Promise<void> {
    this.terms = await sortYielding(this.terms, byCodeUnits);
    this.sealed = true;
  }

  exact(term: string): readonly number[] | undefined {
    return this.postings.get(term);
  }

  /** Every term starting with `prefix`, with its postings. */
  prefix(prefix: string, visit: (term: string, postings: readonly number[]) => void): void {
    const terms = this.terms;
    for (let i = lowerBound(terms, prefix, byCodeUnits); i < terms.length && terms[i].startsWith(prefix); i++)
      visit(terms[i], this.postings.get(terms[i])!);
  }

  /**
   * Every term that has a leading part (or is itself) of length within `k` of q's and at most `k`
   * edits (Damerau–Levenshtein, optimal string alignment) from `q` — a superset of the terms
   * scoreMatch's typoScore(q, term) accepts. A trie walk over the sorted terms: the rows of the edit
   * table are shared by terms with a common prefix, and a prefix that is already more than `k` edits
   * away skips every term that starts with it.
   */
  fuzzy(q: string, k: number, visit: (term: string, postings: readonly number[]) => void): void {
    const terms = this.terms;
    const n = q.length;
    const maxDepth = n + k;
    const rows: Int32Array[] = [];
    for (let d = 0; d <= maxDepth; d++) rows.push(new Int32Array(n + 1));
    for (let j = 0; j <= n; j++) rows[0][j] = j;
    const rowMin = new Int32Array(maxDepth + 1);
    /** Whether a leading part of length n-k … `depth` is within k of q. */
    const matchUpTo = (depth: number) => {
      for (let d = Math.max(0, n - k); d <= depth; d++) if (rows[d][n] <= k) return true;
      return false;
    };
    const report = (term: string) => {
      const list = this.postings.get(term)!;
      if (list.length) visit(term, list);
    };
    let prev = '';
    let valid = 0;
    let i = 0;
    outer: while (i < terms.length) {
      const t = terms[i];
      let d = 0;
      const shared = Math.min(valid, t.length);
      while (d < shared && prev.charCodeAt(d) === t.charCodeAt(d)) d++;
      const end = Math.min(t.length, maxDepth);
      for (let depth = d + 1; depth <= end; depth++) {
        const row = rows[depth];
        const up = rows[depth - 1];
        const c = t.charCodeAt(depth - 1);
        const cPrev = depth > 1 ? t.charCodeAt(depth - 2) : -1;
        row[0] = depth;
        let min = depth;
        for (let j = 1; j <= n; j++) {
          const qc = q.charCodeAt(j - 1);
          let v = Math.min(up[j] + 1, row[j - 1] + 1, up[j - 1] + (qc === c ? 0 : 1));
          if (depth > 1 && j > 1 && c === q.charCodeAt(j - 2) && cPrev === qc)
            v = Math.min(v, rows[depth - 2][j - 2] + 1);
          row[j] = v;
          if (v < min) min = v;
        }
        rowMin[depth] = min;
        // Later rows never drop below this row's minimum, nor (by a swap) below the row above's + 1:
        // past k on both, no term under this prefix can come back within k.
        if (min > k && rowMin[depth - 1] + 1 > k) {
          const prefix = t.slice(0, depth);
          prev = t;
          valid = depth;
          let lo = i + 1;
          let hi = terms.length;
          while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (terms[mid].startsWith(prefix)) lo = mid + 1;
            else hi = mid;
          }
          // Those terms all share this prefix, so they match (or not) by its shorter leading parts.
          if (matchUpTo(depth)) for (let m = i; m < lo; m++) report(terms[m]);
          i = lo;
          continue outer;
        }
      }
      prev = t;
      valid = end;
      const matched = matchUpTo(end);
      if (end < maxDepth) {
        if (matched) report(t);
        i++;
        continue;
      }
      // Every term sharing these first n+k letters has the same leading parts that count: one answer for all.
      const prefix = t.slice(0, end);
      let lo = i + 1;
      let hi = terms.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (terms[mid].startsWith(prefix)) lo = mid + 1;
        else hi = mid;
      }
      if (matched) for (let m = i; m < lo; m++) report(terms[m]);
      i = lo;
    }
  }
}

/**
 * Grams (single characters or trigrams) → the slots holding them, for substring candidates. Lists
 * are plain arrays while the index is built and exact-size Int32Arrays once sealed (half the memory,
 * no spare capacity); the rare later change copies the one list it touches.
 */
export class GramIndex {
  private readonly lists = new Map<string, number[] | Int32Array>();

  add(grams: Iterable<string>, slot: number): void {
    for (const g of grams) {
      const list = this.lists.get(g);
      if (!list) this.lists.set(g, [slot]);
      else if (Array.isArray(list)) list.push(slot);
      else {
        const grown = new Int32Array(list.length + 1);
        grown.set(list);
        grown[list.length] = slot;
        this.lists.set(g, grown);
      }
    }
  }

  remove(grams: Iterable<string>, slot: number): void {
    for (const g of grams) {
      const list = this.lists.get(g);
      if (list)
        this.lists.set(
          g,
          Int32Array.from(list).filter((s) => s !== slot),
        );
    }
  }

  async seal(): Promise<void> {
    let copied = 0;
    for (const [g, list] of this.lists) {
      if (!Array.isArray(list)) continue;
      this.lists.set(g, Int32Array.from(list));
      copied += list.length;
      if (copied > 50_000) {
        copied = 0;
        await yieldToLoop();
      }
    }
  }

  private mark = new Uint32Array(1024);
  private stamp = 0;

  /**
   * The slots holding every one of `grams` (at most `intersect` of the lists are intersected: the
   * result is then a superset, checked by the caller's scorer anyway); empty if a gram is missing.
   */
  holdingAll(grams: Iterable<string>, intersect = 4): ArrayLike<number> {
    const lists: (number[] | Int32Array)[] = [];
    for (const g of grams) {
      const list = this.lists.get(g);
      if (!list) return [];
      lists.push(list);
    }
    if (!lists.length) return [];
    lists.sort((a, b) => a.length - b.length);
    let out: number[] | Int32Array = lists[0];
    for (const list of lists.slice(1, intersect)) {
      if (++this.stamp === 0xffffffff) {
        this.mark.fill(0);
        this.stamp = 1;
      }
      const stamp = this.stamp;
      for (const slot of list) {
        if (slot >= this.mark.length) {
          const grown = new Uint32Array(Math.max(slot + 1, this.mark.length * 2));
          grown.set(this.mark);
          this.mark = grown;
        }
        this.mark[slot] = stamp;
      }
      out = (out as Int32Array).filter((slot) => this.mark[slot] === stamp);
      if (!out.length) break;
    }
    return out;
  }
}

/** The distinct trigrams of `text`. */
export function trigrams(text: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 3 <= text.length; i++) out.add(text.slice(i, i + 3));
  return out;
}
