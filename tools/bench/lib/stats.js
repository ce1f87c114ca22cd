'use strict';
// Timing helpers shared by the benches: percentiles, a closed-loop load runner, and one-line figures.

/** Nearest-rank percentile of ascending-sorted values. */
function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** p50/p95/p99/max (ms) of latencies in ms. */
function summary(latenciesMs) {
  const ms = [...latenciesMs].sort((a, b) => a - b);
  return {
    n: ms.length,
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    p99: percentile(ms, 99),
    max: ms.length ? ms[ms.length - 1] : NaN,
  };
}

const elapsedMs = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

/**
 * Runs `total` calls of `fn(i)` with `concurrency` clients, each starting its next call as soon as its
 * previous one settled (closed loop). `fn` resolves to `true` for a success; anything else (or a throw)
 * counts as an error under the label it resolved to (or the error's message). Latencies of successes
 * only; throughput = successes / wall time.
 */
async function runClosedLoop({ total, concurrency, fn }) {
  const latencies = [];
  const errors = new Map();
  let next = 0;
  const t0 = process.hrtime.bigint();
  const client = async () => {
    while (next < total) {
      const i = next++;
      const start = process.hrtime.bigint();
      let outcome;
      try {
        outcome = await fn(i);
      } catch (e) {
        outcome = e.code ? `${e.code}` : e.message;
      }
      if (outcome === true) latencies.push(elapsedMs(start));
      else errors.set(String(outcome), (errors.get(String(outcome)) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, client));
  const wallMs = elapsedMs(t0);
  const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
  return {
    ...summary(latencies),
    ok: latencies.length,
    errors: errorCount,
    errorKinds: Object.fromEntries(errors),
    wallMs,
    throughput: (latencies.length / wallMs) * 1000,
  };
}

const f1 = (n) => (Number.isFinite(n) ? n.toFixed(1) : '—');
const f2 = (n) => (Number.isFinite(n) ? n.toFixed(2) : '—');

/** `p50 1.23 ms  p95 … ms  p99 … ms` */
const latencyLine = (s) => `p50 ${f2(s.p50)} ms  p95 ${f2(s.p95)} ms  p99 ${f2(s.p99)} ms`;

module.exports = { percentile, summary, elapsedMs, runClosedLoop, latencyLine, f1, f2 };
