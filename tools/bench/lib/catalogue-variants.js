'use strict';
// A big catalogue for the search bench: the 456 seed medicines plus generated variants of each — a
// processing method in front (酒 jiǔ wine-processed, 蜜炙 mì zhì honey-fried…), a cut after (片 piàn
// slices, 粉 fěn powder…) and a grade (一级 yī jí…) — with matching pinyin and English, and a SKU
// suffix. Every variant still contains its herb's name, pinyin and English, so a query for 当归 or
// "dang gui" has ~110 real matches, as it would in a catalogue of that size.
const path = require('node:path');
const { ROOT } = require('../../lib/config');
const { prng } = require('./formulas');

const ORDERS_DIST = path.join(ROOT, 'services', 'orders', 'dist');

const PROCESSING = [
  ['', '', ''],
  ['酒', 'jiǔ', 'wine-processed'],
  ['醋', 'cù', 'vinegar-processed'],
  ['盐', 'yán', 'salt-processed'],
  ['蜜炙', 'mì zhì', 'honey-fried'],
  ['炒', 'chǎo', 'stir-fried'],
  ['焦', 'jiāo', 'charred'],
  ['姜', 'jiāng', 'ginger-processed'],
  ['制', 'zhì', 'prepared'],
  ['麸炒', 'fū chǎo', 'bran-fried'],
  ['土炒', 'tǔ chǎo', 'earth-fried'],
  ['生', 'shēng', 'unprocessed'],
];
const CUTS = [
  ['', '', ''],
  ['片', 'piàn', 'slices'],
  ['丝', 'sī', 'shreds'],
  ['段', 'duàn', 'segments'],
  ['粉', 'fěn', 'powder'],
  ['块', 'kuài', 'pieces'],
  ['饮片', 'yǐn piàn', 'decoction pieces'],
  ['细粉', 'xì fěn', 'fine powder'],
];
const GRADES = [
  ['特级', 'tè jí', 'premium grade'],
  ['一级', 'yī jí', 'grade 1'],
  ['二级', 'èr jí', 'grade 2'],
];
const RETIRED_SHARE = 0.03;

/** The `medicines` columns (snake_case) of `total` rows: the seed first, then its variants. */
function catalogueRows(total, seed = 20261122) {
  const { SEED_MEDICINES } = require(path.join(ORDERS_DIST, 'domain', 'catalogue', 'seed-catalogue.js'));
  const { herbNameOf } = require(path.join(ORDERS_DIST, 'domain', 'catalogue', 'medicine.js'));
  const { pinyinColumns } = require(
    path.join(ORDERS_DIST, 'application', 'catalogue', 'medicine-definition.js'),
  );
  const random = prng(seed);
  const combos = [];
  for (const p of PROCESSING) for (const c of CUTS) for (const g of GRADES) combos.push([p, c, g]);

  const row = (m, variant, index) => {
    const [p, c, g] = variant ?? [['', '', ''], ['', '', ''], null];
    const join = (...parts) => parts.filter(Boolean).join(' ');
    const columns = pinyinColumns(join(p[1], m.pinyin, c[1], g?.[1]));
    const english = variant
      ? `${m.englishName} (${[p[2], c[2], g[2]].filter(Boolean).join(', ')})`
      : m.englishName;
    return {
      sku: variant ? `${m.sku}-V${String(index).padStart(3, '0')}` : m.sku,
      name: variant ? `${p[0]}${m.name}${c[0]}（${g[0]}）` : m.name,
      herb_name: herbNameOf(m),
      pinyin: columns.pinyin,
      pinyin_plain: columns.pinyinPlain,
      pinyin_key: columns.pinyinKey,
      pinyin_initials: columns.pinyinInitials,
      english_name: english,
      latin_name: m.latinName ?? null,
      category: m.category,
      unit: m.unit,
      form: m.form,
      granule_ratio: m.granuleRatio ?? null,
      price_per_unit: ((m.priceCentsPerGram + (variant ? Math.floor(random() * 5) : 0)) / 100).toFixed(2),
      min_daily_dose: m.minDailyDoseGrams ?? null,
      max_daily_dose: m.maxDailyDoseGrams,
      dose_source: m.doseSource ?? null,
      decoction: m.decoction ?? null,
      pregnancy: m.pregnancy,
      toxicity: m.toxicity,
      nz_restricted: m.nzRestricted,
      restriction_reason: m.restrictionReason ?? null,
      status: variant && random() < RETIRED_SHARE ? 'retired' : 'active',
    };
  };

  const rows = SEED_MEDICINES.map((m) => row(m, null, 0));
  const perSeed = Math.ceil((total - rows.length) / SEED_MEDICINES.length);
  if (perSeed > combos.length) throw new Error(`at most ${combos.length} variants per medicine`);
  for (const m of SEED_MEDICINES) {
    // A different, seeded choice of variants per medicine (no combination twice for one medicine).
    const order = combos.map((v) => [random(), v]).sort((a, b) => a[0] - b[0]);
    for (let k = 0; k < perSeed && rows.length < total; k++) rows.push(row(m, order[k][1], k + 1));
  }
  return { rows, seed: SEED_MEDICINES };
}

/** Inserts rows in multi-row INSERTs of `batch` (json_populate_recordset: one parameter per batch). */
async function insertCatalogue(client, rows, batch = 5000) {
  const columns = Object.keys(rows[0]);
  const list = columns.map((c) => `"${c}"`).join(', ');
  await client.query('BEGIN');
  for (let i = 0; i < rows.length; i += batch) {
    await client.query(
      `INSERT INTO medicines (${list}) SELECT ${list} FROM json_populate_recordset(NULL::medicines, $1::json)`,
      [JSON.stringify(rows.slice(i, i + batch))],
    );
  }
  await client.query('COMMIT');
  await client.query('ANALYZE medicines');
}

module.exports = { catalogueRows, insertCatalogue };
