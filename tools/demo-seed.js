'use strict';
// Demo data for `npm start`, created through the public API exactly as the portals would, so it
// exercises the real paths (and the same validation). Idempotent: a second run finds everything
// in place and changes nothing. Never run against production (it refuses when NODE_ENV is not development or test).
const { call, must, login, eventually, itemsOf } = require('./lib/api-client');
const { developmentAdmin, isProductionEnv } = require('./lib/config');

const ADMIN = {
  email: process.env.ADMIN_EMAIL || 'admin@prescriptchain.local',
  // The launcher's generated development login when ADMIN_PASSWORD is unset (nothing is shipped).
  password: process.env.ADMIN_PASSWORD || developmentAdmin().ADMIN_PASSWORD,
};
const PASSWORD = 'demo-herbal-garden-2026';
const PRACTITIONER = {
  email: 'dr.li@demo.prescriptchain.nz',
  password: PASSWORD,
  role: 'practitioner',
  fullName: 'Dr Li Mei 李梅',
  phone: '+64 21 555 0101',
  licenseNumber: 'TCM-NZ-0417',
  locale: 'zh',
};
const OPERATOR = {
  email: 'dispensary@demo.prescriptchain.nz',
  password: PASSWORD,
  role: 'pharmacy_operator',
  fullName: 'Sam Wong',
  phone: '+64 9 555 0102',
};
const CLINIC = {
  name: 'Harmony TCM Clinic 和谐中医诊所',
  address: { street: '12 Dominion Road', city: 'Auckland', country: 'New Zealand', postalCode: '1024' },
  contact: { phone: '+64 9 555 0100', email: 'frontdesk@harmony-tcm.example.nz' },
};
const WEEKDAY = [{ open: '09:00', close: '17:30' }];
const PHARMACY = {
  name: 'Ponsonby Herbal Dispensary',
  address: { street: '200 Ponsonby Road', city: 'Auckland', country: 'New Zealand', postalCode: '1011' },
  location: { lat: -36.8569, lng: 174.7466 },
  contact: { email: 'dispensary@demo.prescriptchain.nz', phone: '+64 9 555 0102' },
  licenseInfo: 'Demo licence — not a real pharmacy',
  serviceHours: {
    mon: WEEKDAY,
    tue: WEEKDAY,
    wed: WEEKDAY,
    thu: WEEKDAY,
    fri: WEEKDAY,
    sat: [{ open: '10:00', close: '14:00' }],
  },
};
// 四君子汤 and friends: common herbs a demo pharmacy declares.
const STOCK = [
  'RAW-DANGSHEN',
  'RAW-BAIZHU',
  'RAW-FULING',
  'RAW-ZHIGANCAO',
  'RAW-DANGGUI',
  'RAW-CHUANXIONG',
  'RAW-BAISHAO',
  'RAW-SHUDIHUANG',
  'RAW-HUANGQI',
  'RAW-CHENPI',
  'RAW-FABANXIA',
  'RAW-SHENGJIANG',
  'RAW-DAZAO',
];

async function ensureUser(admin, who) {
  const reg = await call('POST', '/auth/register', { body: who });
  if (reg.status !== 201 && reg.error?.code !== 'CONFLICT')
    throw new Error(`register ${who.email}: ${reg.status} ${JSON.stringify(reg.error)}`);
  const list = await must('GET', `/admin/users?search=${encodeURIComponent(who.email)}`, { token: admin });
  const user = itemsOf(list).find((u) => u.email === who.email);
  if (user.status === 'pending') await must('POST', `/admin/users/${user.id}/approve`, { token: admin });
  return user;
}

async function main() {
  if (isProductionEnv()) throw new Error('the demo seed never runs in production');
  const admin = await login(ADMIN).catch((e) => {
    if (!/→ 401 /.test(e.message)) throw e;
    // The development databases outlive a checkout: an admin made by another checkout (or by an older
    // version, which shipped a fixed password) keeps its own password.
    throw new Error(
      `${e.message}\n  the admin ${ADMIN.email} already exists in these databases with another password ` +
        '(made by another checkout or an older version): start with ADMIN_PASSWORD=<that password>, ' +
        'or point the *_DATABASE_URL settings at fresh databases',
    );
  });
  const practitioner = await ensureUser(admin, PRACTITIONER);
  const operator = await ensureUser(admin, OPERATOR);

  let me = await must('GET', '/auth/me', { token: await login(PRACTITIONER) });
  let clinic = me.clinics.find((c) => c.name === CLINIC.name);
  if (!clinic) {
    clinic = await must('POST', '/admin/clinics', { token: admin, body: CLINIC });
    await must('POST', `/admin/clinics/${clinic.id}/members`, {
      token: admin,
      body: { userId: practitioner.id },
    });
  }
  // The clinic account opens from identity.clinic.created; fund it once (the key makes it idempotent).
  for (
    let i = 0;
    i < 50 && (await call('GET', `/clinic-accounts/${clinic.id}`, { token: admin })).status !== 200;
    i++
  )
    await new Promise((r) => setTimeout(r, 200));
  await must('POST', `/admin/clinic-accounts/${clinic.id}/adjustments`, {
    token: admin,
    idempotencyKey: `demo-seed-funding-${clinic.id}`,
    body: { amount: '1000.00', reason: 'Demo opening balance' },
  });
  await must('PATCH', `/admin/clinic-accounts/${clinic.id}`, {
    token: admin,
    body: { creditLimit: '500.00' },
  });

  // One login per user: the gateway re-reads roles and links on every request.
  const operatorToken = await login(OPERATOR);
  me = await must('GET', '/auth/me', { token: operatorToken });
  let pharmacyId = me.pharmacyId;
  if (!pharmacyId) {
    const pharmacies = await must('GET', `/admin/pharmacies?limit=100`, { token: admin });
    const existing = itemsOf(pharmacies).find((p) => p.name === PHARMACY.name);
    pharmacyId = existing
      ? existing.id
      : (await must('POST', '/admin/pharmacies', { token: admin, body: PHARMACY })).id;
    await must('POST', `/admin/pharmacies/${pharmacyId}/operators`, {
      token: admin,
      body: { userId: operator.id },
    });
  }
  const items = [];
  for (const sku of STOCK) {
    const found = await must('GET', `/medicines?q=${encodeURIComponent(sku)}&limit=1`, {});
    const medicine = itemsOf(found)[0];
    if (medicine && medicine.sku === sku) {
      // Wholesale (C) at ~60% of the platform price (B), to the cent, without floats.
      const cents = Math.max(1, Math.floor((Number(medicine.price.replace('.', '')) * 6 + 5) / 10));
      items.push({
        medicineId: medicine.id,
        wholesalePrice: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
        available: true,
      });
    }
  }
  // Pharmacy learns the operator link from identity's event: retry until it has.
  await eventually('the pharmacy to know its operator', async () => {
    const r = await call('PUT', `/pharmacies/${pharmacyId}/inventory`, {
      token: operatorToken,
      body: { items },
    });
    // A refused declaration (a price above the catalogue's) will not pass by waiting.
    if (r.status === 422) throw new Error(`the inventory was refused: ${JSON.stringify(r.error)}`);
    return r.status === 200;
  });

  console.log(
    [
      'demo data ready:',
      `  admin         ${ADMIN.email} / ${ADMIN.password}`,
      `  practitioner  ${PRACTITIONER.email} / ${PASSWORD} (clinic "${CLINIC.name}", NZD 1000.00 + 500.00 credit)`,
      `  pharmacy      ${OPERATOR.email} / ${PASSWORD} ("${PHARMACY.name}", ${items.length} herbs declared)`,
      '  redemption    scan (POST /pharmacies/scan-credential) → claim (POST /pharmacies/claims) → proof (POST /fulfillment-proofs)',
    ].join('\n'),
  );
}

module.exports = { ADMIN, PRACTITIONER, OPERATOR, CLINIC, PHARMACY, seed: main };

if (require.main === module) {
  main().catch((e) => {
    console.error(`demo seed: ${e.message}`);
    process.exit(1);
  });
}
