'use strict';
// POST /orders bodies for the benches: 3–4 everyday raw herbs each (no restricted, pregnancy-caution
// or toxic ones), at their minimum daily dose, re-drawn until the formula passes the service's own
// safety rules — so every order is one the saga can take to PAID.
const path = require('node:path');
const { ROOT } = require('../../lib/config');

const ORDERS_DIST = path.join(ROOT, 'services', 'orders', 'dist');

/** A seeded PRNG (mulberry32), so every run prescribes the same formulas. */
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

/**
 * `count` order bodies for `clinicId`. `idsBySku` maps the catalogue's SKUs to the ids of the database
 * the orders go to (ids are generated when the catalogue is seeded).
 */
function orderBodies({ clinicId, idsBySku, count, seed = 20261122, packs = 7 }) {
  const { SEED_MEDICINES } = require(path.join(ORDERS_DIST, 'domain', 'catalogue', 'seed-catalogue.js'));
  const { checkFormula } = require(path.join(ORDERS_DIST, 'domain', 'safety', 'formula-safety.js'));
  const herbs = SEED_MEDICINES.filter(
    (m) =>
      m.form === 'raw' &&
      !m.nzRestricted &&
      m.pregnancy === 'none' &&
      m.toxicity === 'none' &&
      m.minDailyDoseGrams &&
      idsBySku.has(m.sku),
  ).map((m) => ({ ...m, id: idsBySku.get(m.sku) }));
  if (herbs.length < 10) throw new Error(`only ${herbs.length} orderable herbs in the catalogue`);
  const byId = new Map(herbs.map((m) => [m.id, m]));
  const random = prng(seed);
  const bodies = [];
  while (bodies.length < count) {
    const size = 3 + Math.floor(random() * 2);
    const picked = new Set();
    while (picked.size < size) picked.add(herbs[Math.floor(random() * herbs.length)]);
    const items = [...picked].map((m) => ({ medicineId: m.id, quantity: String(m.minDailyDoseGrams) }));
    const violations = checkFormula(
      {
        items: items.map((i) => ({ medicineId: i.medicineId, quantityGrams: Number(i.quantity) })),
        packs,
        pregnant: false,
      },
      (id) => byId.get(id),
    );
    if (violations.length) continue;
    bodies.push({
      clinicId,
      patientInfo: { name: `Bench Patient ${String(bodies.length + 1).padStart(4, '0')}` },
      items,
      packs,
    });
  }
  return bodies;
}

module.exports = { orderBodies, prng };
