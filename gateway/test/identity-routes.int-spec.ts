import { CodedError, IDENTITY_RPC, PHARMACY_RPC } from '@prescriptchain/contracts';
import request from 'supertest';
import { createTestApp, type TestApp, type TestAppOptions } from './support/test-app';

/**
 * The identity routes against a fake identity: what the gateway sends (caller, client address) and
 * how it shapes the answers. Who may call what is the authorization matrix's business, against the
 * real identity service.
 */
const ADMIN_ID = '1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d';
const USER_ID = '9f8e7d6c-5b4a-4c3d-9e2f-1a0b9c8d7e6f';
const PHARMACY_ID = 'c0ffee00-1234-4abc-8def-0123456789ab';
const NOW = '2026-11-22T01:02:03.456Z';

const userView = (id = USER_ID) => ({
  id,
  email: 'ann@example.co.nz',
  role: 'practitioner',
  status: 'approved',
  fullName: 'Ann Example',
  phone: null,
  licenseNumber: 'TCM-1',
  locale: 'en',
  referralCode: 'ABCD-EFGH',
  referredByUserId: null,
  approvedAt: NOW,
  suspendedAt: null,
  createdAt: NOW,
  updatedAt: NOW,
});

describe('identity routes (fake identity)', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());
  const sent = (pattern: string) => t.rpc.calls.filter((c) => c.pattern === pattern).at(-1)?.data;

  const start = async (opts: Omit<TestAppOptions, 'rpc'>) => {
    await t?.app.close();
    t = await createTestApp(opts);
    t.rpc.replies.set(IDENTITY_RPC.authenticate, (data: { accessToken?: string }) => {
      if (data.accessToken !== 'admin-token') throw new CodedError('INVALID_CREDENTIALS');
      return {
        userId: ADMIN_ID,
        role: 'admin',
        status: 'approved',
        clinicIds: [],
        pharmacyId: null,
        via: 'token',
      };
    });
  };
  const asAdmin = (req: request.Test) => req.set('Authorization', 'Bearer admin-token');

  beforeAll(() => start({}));
  afterAll(async () => {
    await t?.app.close();
  });

  it('signs in with the client address and answers { user, tokens } without fields outside the contract', async () => {
    t.rpc.replies.set(IDENTITY_RPC.login, {
      user: { ...userView(), passwordHash: 'argon2id$…' },
      tokens: { accessToken: 'a.b.c', refreshToken: 'r1', expiresIn: 900, family: 'f' },
    });
    const res = await http()
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', '203.0.113.9')
      .send({ email: 'ann@example.co.nz', password: 'pw', extra: 1 });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      user: userView(),
      tokens: { accessToken: 'a.b.c', refreshToken: 'r1', expiresIn: 900 },
    });
    // TRUST_PROXY is off: the header is ignored and the socket's peer is the client.
    expect(sent(IDENTITY_RPC.login)).toEqual({ email: 'ann@example.co.nz', password: 'pw', ip: '127.0.0.1' });
  });

  it("answers identity's sign-in lockout with 429 5002 and its wait as Retry-After", async () => {
    t.rpc.replies.set(IDENTITY_RPC.login, () => {
      throw new CodedError('RATE_LIMIT_EXCEEDED', 'Too many failed sign-in attempts.', {
        retryAfterSeconds: 297,
      });
    });
    const res = await http().post('/api/v1/auth/login').send({ email: 'ann@example.co.nz', password: 'pw' });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('297');
    expect(res.body.error).toMatchObject({ code: '5002', details: { retryAfterSeconds: 297 } });
  });

  it('registers with 201 { user } and the client address', async () => {
    t.rpc.replies.set(IDENTITY_RPC.register, { user: { ...userView(), status: 'pending' } });
    const body = {
      email: 'ann@example.co.nz',
      password: 'a fine long passphrase',
      role: 'practitioner',
      fullName: 'Ann Example',
      referralCode: 'ABCD-EFGH',
    };
    const res = await http().post('/api/v1/auth/register').send(body);
    expect(res.status).toBe(201);
    expect(res.body.data.user.status).toBe('pending');
    expect(sent(IDENTITY_RPC.register)).toEqual({ ...body, ip: '127.0.0.1' });
  });

  it('refuses to let anyone register as an admin (422 before identity is asked)', async () => {
    const before = t.rpc.calls.length;
    const res = await http()
      .post('/api/v1/auth/register')
      .send({ email: 'x@example.co.nz', password: 'a fine long passphrase', role: 'admin', fullName: 'X' });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([expect.objectContaining({ in: 'body', path: 'role' })]);
    expect(t.rpc.calls.length).toBe(before);
  });

  it('lists users for an admin with the caller sent along and meta.pagination', async () => {
    t.rpc.replies.set(IDENTITY_RPC.listUsers, { items: [userView()], total: 41 });
    const res = await asAdmin(http().get('/api/v1/admin/users?status=pending&page=2&limit=20&search=ann'));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([userView()]);
    expect(res.body.meta.pagination).toEqual({
      page: 2,
      limit: 20,
      total: 41,
      totalPages: 3,
      hasNext: true,
      hasPrev: true,
    });
    expect(sent(IDENTITY_RPC.listUsers)).toEqual({
      caller: { userId: ADMIN_ID, role: 'admin', ip: '127.0.0.1' },
      status: 'pending',
      search: 'ann',
      page: 2,
      limit: 20,
    });
  });

  it('answers logout and API-key revocation with an empty 204', async () => {
    t.rpc.replies.set(IDENTITY_RPC.logout, null);
    const out = await asAdmin(http().post('/api/v1/auth/logout')).send({ refreshToken: 'r1' });
    expect([out.status, out.text]).toEqual([204, '']);
    expect(sent(IDENTITY_RPC.logout)).toEqual({
      caller: { userId: ADMIN_ID, role: 'admin', ip: '127.0.0.1' },
      refreshToken: 'r1',
    });
    t.rpc.replies.set(IDENTITY_RPC.revokeApiKey, null);
    const del = await asAdmin(http().delete(`/api/v1/api-keys/${USER_ID}`));
    expect([del.status, del.text]).toEqual([204, '']);
    expect(sent(IDENTITY_RPC.revokeApiKey)).toMatchObject({ id: USER_ID });
  });

  it("answers another user's API key with identity's 404", async () => {
    t.rpc.replies.set(IDENTITY_RPC.revokeApiKey, () => {
      throw new CodedError('NOT_FOUND');
    });
    const res = await asAdmin(http().delete(`/api/v1/api-keys/${USER_ID}`));
    expect([res.status, res.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('links an operator to the pharmacy of the path (201)', async () => {
    // Pharmacy knows the pharmacy (an unknown one is 404: pharmacy-routes.int-spec).
    t.rpc.replies.set(PHARMACY_RPC.getPharmacy, { id: PHARMACY_ID });
    t.rpc.replies.set(IDENTITY_RPC.linkPharmacyOperator, {
      userId: USER_ID,
      pharmacyId: PHARMACY_ID,
      linkedAt: NOW,
    });
    const res = await asAdmin(http().post(`/api/v1/admin/pharmacies/${PHARMACY_ID}/operators`)).send({
      userId: USER_ID,
    });
    expect(res.status).toBe(201);
    expect(sent(IDENTITY_RPC.linkPharmacyOperator)).toMatchObject({
      pharmacyId: PHARMACY_ID,
      userId: USER_ID,
    });
  });

  it('serves the JWKS bare (not enveloped) so JOSE clients can read it', async () => {
    const jwks = { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'abc', kid: 'k1', alg: 'EdDSA', use: 'sig' }] };
    t.rpc.replies.set(IDENTITY_RPC.jwks, jwks);
    const res = await http().get('/api/v1/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.body).toEqual(jwks);
  });

  it('answers 504 GATEWAY_TIMEOUT when identity does not answer the authentication in time', async () => {
    t.rpc.down.add('identity');
    try {
      const res = await asAdmin(http().get('/api/v1/auth/me'));
      expect(res.status).toBe(504);
      expect(res.body.error.code).toBe('GATEWAY_TIMEOUT');
    } finally {
      t.rpc.down.delete('identity');
    }
  });

  describe('with TRUST_PROXY', () => {
    afterAll(() => start({}));

    it('takes the client address from X-Forwarded-For as far as the trusted hops allow', async () => {
      await start({ config: { trustProxy: 1 } });
      t.rpc.replies.set(IDENTITY_RPC.refresh, { accessToken: 'a', refreshToken: 'r2', expiresIn: 900 });
      await http()
        .post('/api/v1/auth/refresh')
        .set('X-Forwarded-For', '198.51.100.7, 203.0.113.9')
        .send({ refreshToken: 'r1' });
      // One trusted hop (our proxy at 127.0.0.1): its peer, the last address it appended, is the client.
      expect(sent(IDENTITY_RPC.refresh)).toEqual({ refreshToken: 'r1', ip: '203.0.113.9' });
    });
  });
});
