'use strict';
// Catalogue search over 50,000 medicines: the 456 seed medicines plus generated variants of each
// (tools/bench/lib/catalogue-variants.js) in a throw-away database with orders' migrations, searched
// through orders' own code path — SearchMedicinesHandler (pg_trgm candidate query + H6's scoreMatch
// ranking) over the generated Prisma client and @prisma/adapter-pg, compiled — with a mix of what
// people type: Chinese (whole names and one character), pinyin with and without tones or spaces,
// initials, English, Latin, SKUs and typos. Baseline, interleaved on the same client: a medicine by
// SKU (a unique-index lookup). Target (issue 4, 2 cores): p95 ≤ 20 ms.
//
//   npx node tools/bench/search.bench.js          alone (after `npm run build`)
const os = require('node:os');
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
const TARGET_P95_MS = 20;
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
  const { SearchMedicinesHandler } = dist(
    'application',
    'catalogue',
    'search-medicines',
    'search-medicines.handler.js',
  );

  const random = prng(20261122);
  const db = await createScratchDatabase('pcbench_search');
  let prisma;
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
    // The handler's repository, timed: SQL (candidates) vs the rest (scoreMatch ranking, mapping).
    const repository = new PrismaMedicineRepository(prisma);
    const last = { sqlMs: 0, candidates: 0 };
    const timed = Object.create(repository);
    timed.searchCandidates = async (...args) => {
      const t = process.hrtime.bigint();
      const found = await repository.searchCandidates(...args);
      last.sqlMs = elapsedMs(t);
      last.candidates = found.length;
      return found;
    };
    const search = new SearchMedicinesHandler(timed);
    const find = (q) => search.execute({ q, ...PAGE, includeRetired: false });
    const bySku = (sku) => prisma.medicine.findUnique({ where: { sku } });

    const mix = queryMix(seed, random);
    const skus = Array.from({ length: 200 }, () => rows[Math.floor(random() * rows.length)].sku);
    for (const { q } of mix) await find(q); // warm: plans, JIT, the index pages
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
      if (!perKind.has(kind))
        perKind.set(kind, { ms: [], sqlMs: [], candidates: [], totals: [], example: q });
      const k = perKind.get(kind);
      k.ms.push(took);
      k.sqlMs.push(last.sqlMs);
      k.candidates.push(last.candidates);
      k.totals.push(page.total);
    }

    const s = summary(searchMs);
    const base = summary(baselineMs);
    const met = s.p95 <= TARGET_P95_MS;
    log(
      `search bench: via services/orders/dist SearchMedicinesHandler (pg_trgm candidates + scoreMatch) over Prisma 7 + adapter-pg`,
    );
    log(`  machine: ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)}`);
    log(
      `  search (${SAMPLES} queries, ${mix.length} distinct, page of ${PAGE.limit}; ${empty} found nothing)   ${latencyLine(s)}`,
    );
    log(`  medicine by SKU (baseline, unique index, same client)           ${latencyLine(base)}`);
    const avg = (xs) => xs.reduce((x, y) => x + y, 0) / xs.length;
    log('  by kind of query      p50 ms   p95 ms | of which SQL p50  p95 | candidates  matches (avg)  e.g.');
    for (const [kind, k] of perKind) {
      const ks = summary(k.ms);
      const sql = summary(k.sqlMs);
      log(
        `    ${kind.padEnd(18)} ${ks.p50.toFixed(2).padStart(7)} ${ks.p95.toFixed(2).padStart(8)} | ${sql.p50.toFixed(2).padStart(14)} ${sql.p95.toFixed(2).padStart(7)} | ` +
          `${f1(avg(k.candidates)).padStart(10)} ${f1(avg(k.totals)).padStart(14)}  ${k.example}`,
      );
    }
    log(
      `  p95 ratio search / by-SKU: ${(s.p95 / base.p95).toFixed(1)}×   target p95 ≤ ${TARGET_P95_MS} ms: ${met ? 'met' : 'MISSED'}`,
    );
    return { name: 'catalogue search', search: s, baseline: base, targetP95Ms: TARGET_P95_MS, met };
  } finally {
    await prisma?.$disconnect().catch(() => {});
    await db.drop().catch(() => {});
  }
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
