'use strict';
// Catalogue search over 50,000 medicines: the 456 seed medicines plus generated variants of each
// (tools/bench/lib/catalogue-variants.js) in a throw-away database with orders' migrations, searched
// through orders' own code path — SearchMedicinesHandler over CatalogueSearchIndexService (the
// in-memory index, built from the database through PrismaMedicineRepository as at start-up, H6's
// scoreMatch ranking), compiled — with a mix of what people type: Chinese (whole names and one
// character), pinyin with and without tones or spaces, initials, English, Latin, SKUs and typos.
// Baseline, interleaved on the same Prisma client: a medicine by SKU (a unique-index lookup).
// Targets (issue 11): p95 of the whole mix ≤ 3× the baseline's p95, and of every kind ≤ 5×.
// Also printed: the index's build time, its memory, the event loop's worst delay while it was
// built, and the SQL path (what search falls back to while the index builds) for the same mix.
//
//   npx node tools/bench/search.bench.js          alone (after `npm run build`)
const os = require('node:os');
const v8 = require('node:v8');
const vm = require('node:vm');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const path = require('node:path');
const { Client } = require('pg');
const { createScratchDatabase } = require('../lib/platform');
const { migrate } = require('../migrate');
const config = require('../lib/config');
const { catalogueRows, insertCatalogue } = require('./lib/catalogue-variants');
const { prng } = require('./lib/formulas');
const { summary, latencyLine, elapsedMs, f1 } = require('./lib/stats');

const MEDICINES = Number(process.env.BENCH_SEARCH_MEDICINES || 50_000);
const QUERIES_PER_KIND = 6;
const SAMPLES = Number(process.env.BENCH_SEARCH_SAMPLES || 600);
const MIX_TARGET = 3;
const KIND_TARGET = 5;
const PAGE = { page: 1, limit: 20 };

/** Swaps two neighbouring letters of a word: `dang gui` → `dnag gui`. */
function typo(text, random) {
  const spots = [...text].flatMap((ch, i) =>
    /[a-z]/.test(ch) && /[a-z]/.test(text[i + 1] ?? '') ? [i] : [],
  );
  const i = spots[Math.floor(random() * spots.length)];
  return text.slice(0, i) + text[i + 1] + text[i] + text.slice(i + 2);
}

/** What people type, by kind, derived from seed medicines (each kind from different ones). */
function queryMix(seed, random) {
  const pick = (filter) => {
    const pool = seed.filter(filter);
    return Array.from({ length: QUERIES_PER_KIND }, () => pool[Math.floor(random() * pool.length)]);
  };
  const kinds = {
    'Chinese name': pick((m) => m.name.length >= 2).map((m) => m.name),
    'Chinese 1 char': pick((m) => m.name.length >= 2).map((m) => m.name[0]),
    'pinyin tones': pick(() => true).map((m) => m.pinyin),
    'pinyin plain': pick(() => true).map((m) => m.pinyinPlain),
    'pinyin no spaces': pick(() => true).map((m) => m.pinyinPlain.replace(/ /g, '')),
    initials: pick((m) => m.pinyinPlain.includes(' ')).map((m) =>
      m.pinyinPlain
        .split(' ')
        .map((s) => s[0])
        .join(''),
    ),
    English: pick(() => true).map(
      (m) => m.englishName.split(/\s+/).find((w) => w.length >= 4) ?? m.englishName,
    ),
    Latin: pick((m) => m.latinName).map((m) => m.latinName.split(/\s+/)[0]),
    SKU: pick(() => true).map((m) => m.sku),
    'pinyin typo': pick((m) => m.pinyinPlain.replace(/ /g, '').length >= 5).map((m) =>
      typo(m.pinyinPlain, random),
    ),
    'Latin typo': pick((m) => m.latinName && /^[a-z]{5,} [a-z]{4,}/i.test(m.latinName)).map((m) => {
      // `angelca sinensis`: a letter dropped from the first word of the Latin name's first two.
      const [first, second] = m.latinName.toLowerCase().split(/\s+/);
      const at = 2 + Math.floor(random() * (first.length - 3));
      return `${first.slice(0, at)}${first.slice(at + 1)} ${second}`;
    }),
    'English typo': pick((m) => /[a-z]{5,}/i.test(m.englishName)).map((m) =>
      typo(
        m.englishName
          .toLowerCase()
          .split(/\s+/)
          .find((w) => /^[a-z]{5,}$/.test(w)),
        random,
      ),
    ),
  };
  return Object.entries(kinds).flatMap(([kind, qs]) => qs.map((q) => ({ kind, q })));
}

async function run({ log = console.log } = {}) {
  const dist = (...p) => require(path.join(config.ROOT, 'services', 'orders', 'dist', ...p));
  const { PrismaClient } = dist('generated', 'prisma', 'client.js');
  const { PrismaPg } = require('@prisma/adapter-pg');
  const { PrismaMedicineRepository } = dist(
    'adapters',
    'outbound',
    'prisma',
    'prisma-medicine.repository.js',
  );
  const { CatalogueSearchIndexService } = dist(
    'application',
    'catalogue',
    'search-index',
    'catalogue-search-index.service.js',
  );
  const { SearchMedicinesHandler } = dist(
    'application',
    'catalogue',
    'search-medicines',
    'search-medicines.handler.js',
  );

  const random = prng(20261122);
  const db = await createScratchDatabase('pcbench_search');
  let prisma;
  let index;
  try {
    await migrate(db.url, config.migrationsDir('orders'));
    const t0 = process.hrtime.bigint();
    const { rows, seed } = catalogueRows(MEDICINES);
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      await insertCatalogue(c, rows);
    } finally {
      await c.end();
    }
    log(
      `search bench: ${rows.length.toLocaleString('en-NZ')} medicines (${seed.length} seed + variants) inserted in ${elapsedMs(t0).toFixed(0)} ms`,
    );

    prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url }) });
    await prisma.$connect();
    const repository = new PrismaMedicineRepository(prisma);

    // The index, built as at start-up: batches read from the database, sliced so the loop keeps turning.
    const gc = collector();
    gc();
    const before = process.memoryUsage();
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    index = new CatalogueSearchIndexService(repository, { refreshMs: 0, batchSize: 500 });
    const cpu0 = process.cpuUsage();
    await index.start();
    const cpu = process.cpuUsage(cpu0);
    loop.disable();
    gc();
    const after = process.memoryUsage();
    const mb = (bytes) => (bytes / 2 ** 20).toFixed(0);
    log(
      `  index build: ${index.buildStats.medicines.toLocaleString('en-NZ')} medicines in ${index.buildStats.ms.toFixed(0)} ms ` +
        `(${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU), event loop delay while building max ${(loop.max / 1e6).toFixed(1)} ms ` +
        `p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms; memory +${mb(after.rss - before.rss)} MB RSS (+${mb(after.heapUsed - before.heapUsed)} MB heap)`,
    );

    const search = new SearchMedicinesHandler(repository, index);
    const sqlSearch = new SearchMedicinesHandler(repository);
    const find = (q) => search.execute({ q, ...PAGE, includeRetired: false });
    const bySku = (sku) => prisma.medicine.findUnique({ where: { sku } });

    const mix = queryMix(seed, random);
    const skus = Array.from({ length: 200 }, () => rows[Math.floor(random() * rows.length)].sku);
    for (const { q } of mix) await find(q); // warm: JIT
    for (const sku of skus.slice(0, 50)) await bySku(sku);

    const searchMs = [];
    const baselineMs = [];
    const perKind = new Map();
    let empty = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const { kind, q } = mix[i % mix.length];
      const a = process.hrtime.bigint();
      const page = await find(q);
      const took = elapsedMs(a);
      const b = process.hrtime.bigint();
      await bySku(skus[i % skus.length]);
      baselineMs.push(elapsedMs(b));
      searchMs.push(took);
      if (!page.total) empty++;
      if (!perKind.has(kind)) perKind.set(kind, { ms: [], totals: [], example: q });
      const k = perKind.get(kind);
      k.ms.push(took);
      k.totals.push(page.total);
    }
    // The SQL path, once over the mix (for comparison: it answers while the index is being built).
    const sqlMs = [];
    for (const { q } of mix) {
      const a = process.hrtime.bigint();
      await sqlSearch.execute({ q, ...PAGE, includeRetired: false });
      sqlMs.push(elapsedMs(a));
    }

    const s = summary(searchMs);
    const base = summary(baselineMs);
    const sql = summary(sqlMs);
    const verdict = (ok) => (ok ? 'MET' : 'MISSED');
    const mixRatio = s.p95 / base.p95;
    let met = mixRatio <= MIX_TARGET && empty === 0;
    log(
      `search bench: via services/orders/dist SearchMedicinesHandler + CatalogueSearchIndexService (in memory), Prisma 7 + adapter-pg`,
    );
    log(`  machine: ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)}`);
    log(
      `  search (${SAMPLES} queries, ${mix.length} distinct, page of ${PAGE.limit}; ${empty} found nothing)   ${latencyLine(s)}`,
    );
    log(`  medicine by SKU (baseline, unique index, same client)           ${latencyLine(base)}`);
    log(`  SQL path (pg_trgm + scoreMatch, the fallback), ${mix.length} queries         ${latencyLine(sql)}`);
    const avg = (xs) => xs.reduce((x, y) => x + y, 0) / xs.length;
    log(
      `  by kind of query      p50 ms   p95 ms  p95/SKU p95  target ≤ ${KIND_TARGET}×   matches (avg)  e.g.`,
    );
    const kinds = {};
    for (const [kind, k] of perKind) {
      const ks = summary(k.ms);
      const ratio = ks.p95 / base.p95;
      const ok = ratio <= KIND_TARGET && k.totals.every((t) => t > 0);
      met &&= ok;
      kinds[kind] = { p50: ks.p50, p95: ks.p95, ratio, met: ok };
      log(
        `    ${kind.padEnd(18)} ${ks.p50.toFixed(3).padStart(7)} ${ks.p95.toFixed(3).padStart(8)} ${`${ratio.toFixed(2)}×`.padStart(12)}  ${verdict(ok).padEnd(10)} ` +
          `${f1(avg(k.totals)).padStart(14)}  ${k.example}`,
      );
    }
    log(
      `  whole mix: p95 ${s.p95.toFixed(3)} ms = ${mixRatio.toFixed(2)}× the by-SKU p95 (target ≤ ${MIX_TARGET}×): ${verdict(mixRatio <= MIX_TARGET)}; ` +
        `SQL path p95 was ${(sql.p95 / base.p95).toFixed(1)}×; all targets ${verdict(met)}`,
    );
    return {
      name: 'catalogue search',
      search: s,
      baseline: base,
      sql,
      kinds,
      build: {
        ...index.buildStats,
        rssBytes: after.rss - before.rss,
        heapBytes: after.heapUsed - before.heapUsed,
      },
      met,
    };
  } finally {
    index?.onModuleDestroy();
    await prisma?.$disconnect().catch(() => {});
    await db.drop().catch(() => {});
  }
}

/** A full garbage collection (memory figures without garbage), via V8's flag when not exposed. */
function collector() {
  if (typeof global.gc === 'function') return global.gc;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc');
}

module.exports = { run };

if (require.main === module) {
  run().then(
    (r) => process.exit(r.met ? 0 : 1),
    (err) => {
      console.error(`search bench failed: ${err.stack || err.message}`);
      process.exit(1);
    },
  );
}
