'use strict';
// `npm run demo`: drives the whole closed loop against a running platform (`npm start`, which
// seeds the demo users), through the public API only, printing each step: a practitioner writes a
// formula paid from the clinic account, the pharmacy scans it, claims it (DISPENSING: it alone
// holds it, the payout fixed) and dispenses it with photo proof, an admin approves, the settlement is paid and the remittance e-mailed, and the KPIs move.
const { randomUUID, createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const QRCode = require('qrcode');
const { call, must, login, eventually, itemsOf } = require('./lib/api-client');
const { ADMIN, PRACTITIONER, OPERATOR, CLINIC } = require('./demo-seed');

const OUT = path.resolve(process.env.DEMO_OUT_DIR || '.data/demo');
let n = 0;
const step = (text) => console.log(`\n${++n}. ${text}`);
const show = (text) => console.log(`   ${text}`);

// 四君子汤 (Four Gentlemen Decoction), 7 packs: one pack per day.
const FORMULA = [
  { sku: 'RAW-DANGSHEN', quantity: '9', decoctionMethod: undefined },
  { sku: 'RAW-BAIZHU', quantity: '9' },
  { sku: 'RAW-FULING', quantity: '9' },
  { sku: 'RAW-ZHIGANCAO', quantity: '6' },
];

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  step('Practitioner signs in and searches the catalogue for "dang gui"');
  const dr = await login(PRACTITIONER).catch(() => {
    throw new Error(
      'the demo users are missing: start the platform with `npm start` (it seeds them), then run `npm run demo`',
    );
  });
  const found = itemsOf(await must('GET', '/medicines?q=dang%20gui&limit=3'));
  show(
    found.map((m) => `${m.name} ${m.pinyinName} (${m.englishName}) ${m.price} ${m.currency}/g`).join(' · '),
  );

  const me = await must('GET', '/auth/me', { token: dr });
  const clinic = me.clinics.find((c) => c.name === CLINIC.name) ?? me.clinics[0];
  const before = await must('GET', `/clinic-accounts/${clinic.id}`, { token: dr });
  show(
    `clinic "${clinic.name}": balance ${before.balance}, available ${before.available} ${before.currency}`,
  );

  step('Practitioner writes 四君子汤 × 7 packs; the clinic account pays in real time');
  const items = [];
  for (const f of FORMULA) {
    const m = itemsOf(await must('GET', `/medicines?q=${f.sku}&limit=1`))[0];
    items.push({
      medicineId: m.id,
      quantity: f.quantity,
      dosageInstructions: 'Decoct with water, twice daily',
    });
  }
  const order = await must('POST', '/orders', {
    token: dr,
    idempotencyKey: randomUUID(),
    body: { clinicId: clinic.id, patientInfo: { name: 'Aroha Chen', pregnant: false }, items, packs: 7 },
  });
  show(`order ${order.platformOrderId}: ${order.status}, total ${order.totalAmount} ${order.currency}`);
  const after = await must('GET', `/clinic-accounts/${clinic.id}`, { token: dr });
  show(`clinic balance ${before.balance} → ${after.balance}`);

  step('Patient receives the QR credential (PNG + printable bilingual PDF)');
  const credential = await must('GET', `/orders/${order.id}/credential`, { token: dr });
  const pdf = await must('GET', `/orders/${order.id}/credential.pdf`, { token: dr });
  const png = await must('GET', `/orders/${order.id}/credential.png`, { token: dr });
  fs.writeFileSync(path.join(OUT, `${credential.platformOrderId}.pdf`), pdf);
  fs.writeFileSync(path.join(OUT, `${credential.platformOrderId}.png`), png);
  show(`verification code ${credential.verificationCode}, expires ${credential.expiresAt}`);
  show(`saved ${path.join(OUT, credential.platformOrderId)}.{png,pdf}`);

  step('Pharmacy scans the QR code; the platform verifies it (a scan reserves nothing)');
  const op = await login(OPERATOR);
  const scan = await eventually('the pharmacy to learn of the paid order', async () => {
    const r = await call('POST', '/pharmacies/scan-credential', {
      token: op,
      body: { qrCodeData: credential.qrCodeData },
    });
    return r.status === 200 ? r.data : null;
  });
  show(
    `redeemable: ${scan.redeemable}, claimed by: ${scan.claimedBy ?? 'nobody'}, patient ${scan.order.patientName}, estimated payout ${scan.estimatedPayout} ${scan.currency}`,
  );

  step('Pharmacy claims the prescription before dispensing it: it alone holds it now');
  const claim = await must('POST', '/pharmacies/claims', {
    token: op,
    body: { qrCodeData: credential.qrCodeData },
  });
  show(
    `order ${claim.platformOrderId}: ${claim.status}, payout fixed at ${claim.payout} ${claim.currency}, held until ${claim.holdExpiresAt}`,
  );

  step('Pharmacy dispenses and uploads photo proof (signed upload URL, then confirm)');
  const photo = await QRCode.toBuffer(`dispensed ${credential.platformOrderId}`, { type: 'png' });
  const target = await must('POST', '/files/upload-url', {
    token: op,
    body: {
      fileName: 'dispensed.png',
      contentType: 'image/png',
      size: photo.length,
      purpose: 'fulfillment_proof',
    },
  });
  await must(target.method, target.uploadUrl, { raw: photo, contentType: 'image/png' });
  const checksum = createHash('sha256').update(photo).digest('hex');
  const file = await must('POST', '/files/confirm', { token: op, body: { fileId: target.fileId, checksum } });
  show(`file ${file.fileId}: ${file.status}, ${file.size} bytes`);
  const proof = await must('POST', '/fulfillment-proofs', {
    token: op,
    body: { orderId: order.id, fileIds: [file.fileId] },
  });
  show(`proof ${proof.id}: ${proof.reviewStatus}; order is now PENDING_REVIEW`);

  step('Admin reviews the photo and approves');
  const admin = await login(ADMIN);
  const pending = itemsOf(
    await must('GET', '/admin/fulfillments?status=pending&limit=100', { token: admin }),
  );
  const mine = pending.find((p) => p.id === proof.id);
  show(
    `${pending.length} proof(s) pending; this one has ${mine.files.length} photo(s) with signed download links`,
  );
  await must('POST', `/admin/fulfillments/${proof.id}/review`, {
    token: admin,
    body: { decision: 'approve', comments: 'Photo matches the formula' },
  });
  const fulfilled = await eventually('the order to be FULFILLED', async () => {
    const o = await must('GET', `/orders/${order.id}`, { token: dr });
    return o.status === 'FULFILLED' ? o : null;
  });
  show(`order ${fulfilled.platformOrderId}: ${fulfilled.status}`);

  step('The platform owes the pharmacy a settlement; admin marks it paid');
  const settlement = await eventually('the settlement to open', async () =>
    itemsOf(await must('GET', '/admin/settlements?status=pending_payment&limit=100', { token: admin })).find(
      (x) => x.orderId === order.id,
    ),
  );
  show(`settlement ${settlement.id}: ${settlement.amount} ${settlement.currency}, ${settlement.status}`);
  const paid = await must('POST', `/admin/settlements/${settlement.id}/mark-paid`, {
    token: admin,
    idempotencyKey: `demo-${settlement.id}`,
    body: { reference: `DEMO-${Date.now()}` },
  });
  show(`settlement ${paid.status}, reference ${paid.reference}`);

  step('The pharmacy is e-mailed a remittance');
  const delivery = await eventually('the remittance e-mail', async () =>
    itemsOf(
      await must('GET', `/admin/notifications/deliveries?type=settlement_paid&limit=100`, { token: admin }),
    ).find((d) => d.recipient === OPERATOR.email && d.status === 'sent'),
  );
  show(
    `${delivery.template} → ${delivery.recipient}: ${delivery.status} (see the mail directory, default .data/mail)`,
  );

  step('KPIs');
  const kpis = await must('GET', '/admin/reports/kpis', { token: admin });
  show(
    `orders ${kpis.ordersTotal} · paid ${kpis.ordersPaid} · fulfilled ${kpis.ordersFulfilled} · GTV ${kpis.gtv} · gross margin ${kpis.grossMargin} ${kpis.currency}`,
  );
  console.log('\nthe closed loop is complete.');
}

main().catch((e) => {
  console.error(`\ndemo: ${e.message}`);
  process.exit(1);
});
