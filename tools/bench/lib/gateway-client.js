'use strict';
// A small JSON client for the gateway's API v1, and the set-up a prescribing bench needs: an admin,
// an approved practitioner who is a member of a clinic, and that clinic's account funded.
const { randomUUID } = require('node:crypto');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `call(method, path, { token, body, headers })` → `{ status, body }` (body parsed when JSON). */
function gatewayClient(baseUrl) {
  return async function call(method, path, { token, body, headers = {} } = {}) {
    const h = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    if (body !== undefined) h['content-type'] = 'application/json';
    const res = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed };
  };
}

/** The data of a success envelope with the expected status, or an error naming what came back. */
function dataOf(res, status, what) {
  if (res.status !== status || !res.body?.success) {
    throw new Error(
      `${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`,
    );
  }
  return res.body.data;
}

/**
 * Through the API only: the admin signs in, a practitioner registers and is approved, the admin
 * opens a clinic (accounts opens its account from identity's event), adds the practitioner to it and
 * credits the account with `fund` ("123.45").
 */
async function setUpPractice(call, { admin, fund }) {
  const adminToken = dataOf(await call('POST', '/auth/login', { body: admin }), 200, 'admin login').tokens
    .accessToken;
  const practitioner = {
    email: `bench.practitioner.${randomUUID().slice(0, 8)}@bench.prescriptchain.test`,
    password: 'bench practitioner passphrase 7',
  };
  const { user } = dataOf(
    await call('POST', '/auth/register', {
      body: {
        ...practitioner,
        role: 'practitioner',
        fullName: 'Bench Practitioner',
        licenseNumber: 'TCM-BENCH-1',
      },
    }),
    201,
    'register practitioner',
  );
  dataOf(await call('POST', `/admin/users/${user.id}/approve`, { token: adminToken }), 200, 'approve');
  const clinic = dataOf(
    await call('POST', '/admin/clinics', {
      token: adminToken,
      body: {
        name: 'Bench Clinic',
        address: { street: '1 Queen Street', city: 'Auckland', country: 'New Zealand', postalCode: '1010' },
      },
    }),
    201,
    'create clinic',
  );
  dataOf(
    await call('POST', `/admin/clinics/${clinic.id}/members`, {
      token: adminToken,
      body: { userId: user.id },
    }),
    201,
    'add member',
  );
  // The account opens when accounts consumes identity.clinic.created: wait for it (bounded).
  const until = Date.now() + 15_000;
  for (;;) {
    const res = await call('GET', `/clinic-accounts/${clinic.id}`, { token: adminToken });
    if (res.status === 200) break;
    if (Date.now() > until)
      throw new Error(`clinic account never opened: ${res.status} ${JSON.stringify(res.body)}`);
    await sleep(100);
  }
  dataOf(
    await call('POST', `/admin/clinic-accounts/${clinic.id}/adjustments`, {
      token: adminToken,
      headers: { 'idempotency-key': randomUUID() },
      body: { amount: fund, reason: 'bench funding' },
    }),
    201,
    'fund clinic account',
  );
  const token = dataOf(await call('POST', '/auth/login', { body: practitioner }), 200, 'practitioner login')
    .tokens.accessToken;
  return { adminToken, practitionerToken: token, practitionerId: user.id, clinicId: clinic.id };
}

module.exports = { gatewayClient, dataOf, setUpPractice };
