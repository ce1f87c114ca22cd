'use strict';
// Nearby-pharmacy search under load: seeds 10,000 New Zealand pharmacies (and their declared
// supply) into a throw-away PostGIS database, then times the service's own nearby query against a
// `SELECT 1` round trip on the same connection, in the same run. Target: p95 ≤ 10 ms.
//
//   npx node tools/bench/nearby.bench.js          alone
//   require('./tools/bench/nearby.bench').run({ log })   from `npm run bench`
//
// The query runs through services/pharmacy/dist (queryNearbyPharmacies over the generated Prisma
// client and @prisma/adapter-pg) when the service is built, otherwise as the same SQL file over pg.
const fs = require('node:fs');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { Client } = require('pg');
const { migrate } = require('../migrate');

const ROOT = path.resolve(__dirname, '..', '..');
const PHARMACY = path.join(ROOT, 'services', 'pharmacy');
const MIGRATIONS = path.join(PHARMACY, 'prisma', 'migrations');
const SQL_FILE = path.join(PHARMACY, 'src', 'adapters', 'outbound', 'prisma', 'sql', 'nearby-pharmacies.sql');
const DIST_QUERY = path.join(
  PHARMACY,
  'dist',
  'adapters',
  'outbound',
  'prisma',
  'nearby-pharmacies.query.js',
);
const DIST_CLIENT = path.join(PHARMACY, 'dist', 'generated', 'prisma', 'client.js');

const ADMIN_URL =
  process.env.BENCH_PG_ADMIN_URL ||
  process.env.TEST_PG_ADMIN_URL ||
  'postgresql://postgres@127.0.0.1:5432/postgres';
const PHARMACIES = 10_000;
const MEDICINES = 200;
const DECLARED_PER_PHARMACY = 25;
const WARMUP = 300;
const SAMPLES = 3_000;
const TARGET_P95_MS = 10;

// Where New Zealanders (and so pharmacies) are: [lat, lng, weight, spread in degrees].
const CITIES = [
  [-36.8485, 174.7633, 34, 0.15], // Auckland
  [-41.2865, 174.7762, 10, 0.1], // Wellington
  [-43.5321, 172.6362, 8, 0.1], // Christchurch
  [-37.787, 175.2793, 4, 0.08], // Hamilton
  [-37.6878, 176.1651, 3, 0.08], // Tauranga
  [-45.8788, 170.5028, 3, 0.06], // Dunedin
  [-40.3523, 175.6082, 2, 0.05], // Palmerston North
  [-39.4928, 176.912, 2, 0.06], // Napier
  [-41.2706, 173.284, 1.5, 0.05], // Nelson
  [-46.4132, 168.3538, 1.5, 0.05], // Invercargill
];
const RURAL_SHARE = 0.3;

const withDatabase = (url, name) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

/** A seeded PRNG (mulberry32), so every run searches the same places. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random) {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function pickCity(random) {
  const total = CITIES.reduce((s, c) => s + c[2], 0);
  let r = random() * total;
  for (const c of CITIES) if ((r -= c[2]) <= 0) return c;
  return CITIES[0];
}

/** A point where a pharmacy could be: mostly around towns, some anywhere on the main islands. */
function nzPoint(random) {
  if (random() < RURAL_SHARE) return [-46.5 + random() * 12, 167.5 + random() * 11];
  const [lat, lng, , spread] = pickCity(random);
  return [lat + gaussian(random) * spread, lng + gaussian(random) * spread];
}

function percentile(sortedMs, p) {
  const i = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[i];
}

function summary(samplesNs) {
  const ms = samplesNs.map((n) => Number(n) / 1e6).sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99), n: ms.length };
}

async function timeEach(count, fn) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await fn(i);
    samples.push(process.hrtime.bigint() - start);
  }
  return samples;
}

async function createDatabase() {
  const name = `pcbench_nearby_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const postgis = await admin.query("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'");
    if (postgis.rowCount === 0) {
      throw new Error(
        'PostGIS is not installed on this PostgreSQL server (Debian: apt-get install -y postgresql-15-postgis-3; `node tools/setup.js` does it)',
      );
    }
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(ADMIN_URL, name),
    async drop() {
      const c = new Client({ connectionString: ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

async function seed(url, random) {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const points = Array.from({ length: PHARMACIES }, () => nzPoint(random));
    const medicines = Array.from(
      { length: MEDICINES },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    const hours = JSON.stringify({
      mon: [{ open: '09:00', close: '17:30' }],
      sat: [{ open: '10:00', close: '14:00' }],
    });
    await c.query('BEGIN');
    for (let start = 0; start < PHARMACIES; start += 1000) {
      const batch = points.slice(start, start + 1000);
      await c.query(
        `INSERT INTO pharmacy (id, name, street, city, country, postal_code, location, contact_email, service_hours, status)
         SELECT gen_random_uuid(), 'Pharmacy ' || (p.n + $4::int), p.n || ' Main Road', 'Town', 'New Zealand', '0000',
                ST_SetSRID(ST_MakePoint(p.lng, p.lat), 4326)::geography, 'bench@pharmacy.test', $3::jsonb,
                CASE WHEN (p.n + $4::int) % 50 = 0 THEN 'suspended' ELSE 'active' END
           FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p(lat, lng, n)`,
        [batch.map((p) => p[0]), batch.map((p) => p[1]), hours, start],
      );
    }
    // Each pharmacy declares a random slice of the catalogue. The `p.id IS NULL` term (always false)
    // ties the subquery to each row, so PostgreSQL draws a new slice per pharmacy.
    await c.query(
      `INSERT INTO inventory_item (pharmacy_id, medicine_id, wholesale_price, available)
       SELECT p.id, m.id, 0.25, random() < 0.9
         FROM pharmacy p CROSS JOIN LATERAL (
           SELECT id FROM unnest($1::uuid[]) AS id ORDER BY random() + (p.id IS NULL)::int LIMIT $2
         ) m`,
      [medicines, DECLARED_PER_PHARMACY],
    );
    await c.query('COMMIT');
    await c.query('ANALYZE');
    return medicines;
  } finally {
    await c.end();
  }
}

/** The nearby query as the service runs it (compiled), or the same SQL over pg. */
async function nearbyRunner(url) {
  if (fs.existsSync(DIST_QUERY) && fs.existsSync(DIST_CLIENT)) {
    try {
      const { queryNearbyPharmacies } = require(DIST_QUERY);
      const { PrismaClient } = require(DIST_CLIENT);
      const { PrismaPg } = require('@prisma/adapter-pg');
      const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
      await prisma.$connect();
      return {
        via: 'services/pharmacy/dist queryNearbyPharmacies over Prisma 7 ($queryRawUnsafe, @prisma/adapter-pg)',
        nearby: (q) => queryNearbyPharmacies(prisma, q),
        selectOne: () => prisma.$queryRawUnsafe('SELECT 1'),
        close: () => prisma.$disconnect(),
      };
    } catch (err) {
      console.warn(`(could not load the compiled service, timing the SQL over pg instead: ${err.message})`);
    }
  }
  const sql = fs.readFileSync(SQL_FILE, 'utf8');
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    via: 'services/pharmacy/src/.../sql/nearby-pharmacies.sql over pg (build the service to time the repository code)',
    nearby: (q) =>
      client.query(sql, [q.lat, q.lng, q.radiusMeters, q.limit, q.medicineIds.join(',')]).then((r) => r.rows),
    selectOne: () => client.query('SELECT 1'),
    close: () => client.end(),
  };
}

async function run({ log = console.log } = {}) {
  const random = prng(20261122);
  const db = await createDatabase();
  let runner;
  try {
    await migrate(db.url, MIGRATIONS, { log: () => undefined });
    const seedStart = Date.now();
    const medicines = await seed(db.url, random);
    log(
      `nearby bench: seeded ${PHARMACIES.toLocaleString('en-NZ')} pharmacies (${MEDICINES} medicines, ${DECLARED_PER_PHARMACY} declared each) in ${Date.now() - seedStart} ms`,
    );

    runner = await nearbyRunner(db.url);
    const queries = Array.from({ length: WARMUP + SAMPLES }, () => {
      const [lat, lng] = nzPoint(random);
      const wanted = [0, 1, 2].map(() => medicines[Math.floor(random() * MEDICINES)]);
      return { lat, lng, radiusMeters: 10_000, limit: 20, medicineIds: [...new Set(wanted)] };
    });
    let found = 0;
    await timeEach(WARMUP, (i) => runner.nearby(queries[i]));
    await timeEach(WARMUP, () => runner.selectOne());
    // Interleaved, so both see the same machine load.
    const nearbyNs = [];
    const baselineNs = [];
    for (let i = 0; i < SAMPLES; i++) {
      const a = process.hrtime.bigint();
      found += (await runner.nearby(queries[WARMUP + i])).length;
      const b = process.hrtime.bigint();
      await runner.selectOne();
      const c = process.hrtime.bigint();
      nearbyNs.push(b - a);
      baselineNs.push(c - b);
    }
    const nearby = summary(nearbyNs);
    const baseline = summary(baselineNs);
    const ratio = nearby.p95 / baseline.p95;
    const fmt = (s) => `p50 ${s.p50.toFixed(2)} ms  p95 ${s.p95.toFixed(2)} ms  p99 ${s.p99.toFixed(2)} ms`;
    log(`nearby bench: via ${runner.via}`);
    log(
      `  nearby (radius 10 km, limit 20, ${SAMPLES} searches, avg ${(found / SAMPLES).toFixed(1)} results)  ${fmt(nearby)}`,
    );
    log(`  SELECT 1 round trip (baseline, same connection)               ${fmt(baseline)}`);
    log(
      `  p95 ratio nearby / SELECT 1: ${ratio.toFixed(1)}×   target p95 ≤ ${TARGET_P95_MS} ms: ${nearby.p95 <= TARGET_P95_MS ? 'met' : 'MISSED'}`,
    );
    return {
      name: 'pharmacy nearby',
      via: runner.via,
      nearby,
      baseline,
      ratio,
      targetP95Ms: TARGET_P95_MS,
      met: nearby.p95 <= TARGET_P95_MS,
    };
  } finally {
    await runner?.close().catch(() => undefined);
    await db.drop().catch(() => undefined);
  }
}

module.exports = { run };

if (require.main === module) {
  run().then(
    (r) => process.exit(r.met ? 0 : 1),
    (err) => {
      console.error(`nearby bench failed: ${err.message}`);
      process.exit(1);
    },
  );
}
