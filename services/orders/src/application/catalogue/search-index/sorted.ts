/** Yields to the event loop (timers, I/O, other requests) between slices of a long build. */
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

const SLICE = 4096;

/**
 * Array.prototype.sort's result (a stable sort by `compare`), computed as a merge sort that yields
 * to the event loop every few thousand steps, so sorting 100,000 strings at start-up never holds the
 * loop for more than a few milliseconds.
 */
export async function sortYielding<T>(items: T[], compare: (a: T, b: T) => number): Promise<T[]> {
  let runs: T[][] = [];
  for (let i = 0; i < items.length; i += SLICE) {
    runs.push(items.slice(i, i + SLICE).sort(compare));
    await yieldToLoop();
  }
  while (runs.length > 1) {
    const next: T[][] = [];
    for (let r = 0; r < runs.length; r += 2) {
      const a = runs[r];
      const b = runs[r + 1];
      if (!b) {
        next.push(a);
        continue;
      }
      const out: T[] = new Array(a.length + b.length);
      let i = 0;
      let j = 0;
      let k = 0;
      let steps = 0;
      while (i < a.length && j < b.length) {
        out[k++] = compare(b[j], a[i]) < 0 ? b[j++] : a[i++];
        if (++steps === SLICE * 4) {
          steps = 0;
          await yieldToLoop();
        }
      }
      while (i < a.length) out[k++] = a[i++];
      while (j < b.length) out[k++] = b[j++];
      next.push(out);
    }
    runs = next;
  }
  return runs[0] ?? [];
}

/** The first index whose item is not below `value` (items sorted by `compare`). */
export function lowerBound<T>(items: readonly T[], value: T, compare: (a: T, b: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(items[mid], value) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
