import { randomUUID } from 'node:crypto';
import { gatewayApi } from './support/gateway-api';
import { Platform, startPlatform } from './support/platform';

jest.setTimeout(120_000);

/**
 * Identity through the real processes (`npm start`'s built services and gateway): sign-up to
 * sign-out, and each wrong step answering the contract's envelope and code.
 */
const ADMIN = { email: 'admin@e2e.prescriptchain.test', password: 'an e2e admin passphrase 42' };
const PASSWORD = 'lotus root and ginger';

type Json = any;

describe('identity through the gateway', () => {
  let platform: Platform;
  const { api, data, expectError } = gatewayApi(() => platform);

  beforeAll(async () => {
    platform = await startPlatform({
      env: {
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        // The real limiter runs (and shares Redis); high enough for this suite, namespaced to it.
        RATE_LIMIT_AUTH_PER_MIN: '200',
        RATE_LIMIT_KEY_PREFIX: `pctest:e2e:${randomUUID()}:`,
      },
    });
  });

  afterAll(async () => {
    await platform?.shutdown();
  });

  const login = (email: string, password = PASSWORD) =>
    api('POST', '/auth/login', { body: { email, password } });
  const register = (role: string, email: string, extra: object = {}) =>
    api('POST', '/auth/register', {
      body: { email, password: PASSWORD, role, fullName: `E2E ${role}`, ...extra },
    });

  it('takes a pharmacy operator from sign-up to sign-out', async () => {
    const email = `operator.${randomUUID().slice(0, 8)}@e2e.test`;

    // Sign up: pending until approved; signing in before that is 403 1004.
    const { user } = data(await register('pharmacy_operator', email, { phone: '+64 21 555 0101' }), 201);
    expect(user).toMatchObject({ email, role: 'pharmacy_operator', status: 'pending' });
    expectError(await register('pharmacy_operator', email), 409, 'CONFLICT');
    expectError(await login(email), 403, '1004');

    // An admin approves.
    const admin = data(await login(ADMIN.email, ADMIN.password)).tokens.accessToken;
    const pending = await api('GET', `/admin/users?status=pending&search=${encodeURIComponent(email)}`, {
      token: admin,
    });
    expect(data(pending).map((u: Json) => u.id)).toEqual([user.id]);
    expect(pending.body.meta.pagination).toEqual({
      page: 1,
      limit: 20,
      total: 1,
      totalPages: 1,
      hasNext: false,
      hasPrev: false,
    });
    expect(data(await api('POST', `/admin/users/${user.id}/approve`, { token: admin })).status).toBe(
      'approved',
    );

    // Sign in, who am I.
    expectError(await login(email, 'not the password'), 401, '1001');
    const session = data(await login(email));
    expect(session.user.id).toBe(user.id);
    expect(session.tokens).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: expect.any(Number),
    });
    const token = session.tokens.accessToken;
    expect(data(await api('GET', '/auth/me', { token }))).toMatchObject({
      id: user.id,
      email,
      role: 'pharmacy_operator',
      status: 'approved',
      fullName: 'E2E pharmacy_operator',
      phone: '+64 21 555 0101',
      clinics: [],
      pharmacyId: null,
    });
    expectError(await api('GET', '/auth/me'), 401, 'UNAUTHENTICATED');
    expectError(await api('GET', '/admin/users', { token }), 403, '1003');

    // API keys: shown once, listed without the secret, revoked at once; only pharmacy endpoints take them.
    const created = data(await api('POST', '/api-keys', { token, body: { name: 'Front counter POS' } }), 201);
    expect(created).toMatchObject({
      name: 'Front counter POS',
      prefix: expect.any(String),
      key: expect.any(String),
    });
    const listed = data(await api('GET', '/api-keys', { token }));
    expect(listed).toEqual([expect.objectContaining({ id: created.id, lastUsedAt: null, revokedAt: null })]);
    expect(JSON.stringify(listed)).not.toContain(created.key);
    expectError(await api('GET', '/api-keys', { apiKey: created.key }), 401, 'UNAUTHENTICATED');
    expect((await api('DELETE', `/api-keys/${created.id}`, { token })).status).toBe(204);
    expectError(await api('GET', '/api-keys', { apiKey: created.key }), 401, '1001');
    expect(data(await api('GET', '/api-keys', { token }))[0].revokedAt).toEqual(expect.any(String));
    expectError(await api('DELETE', `/api-keys/${created.id}`, { token: admin }), 404, 'NOT_FOUND');

    // Refresh rotates; the spent refresh token used again revokes the whole family.
    const first = session.tokens.refreshToken;
    const rotated = data(await api('POST', '/auth/refresh', { body: { refreshToken: first } }));
    expect(rotated.refreshToken).not.toBe(first);
    expect(data(await api('GET', '/auth/me', { token: rotated.accessToken })).id).toBe(user.id);
    expectError(await api('POST', '/auth/refresh', { body: { refreshToken: first } }), 401, '1002');
    expectError(
      await api('POST', '/auth/refresh', { body: { refreshToken: rotated.refreshToken } }),
      401,
      '1002',
    );

    // Sign out ends the session: its refresh token is dead.
    const again = data(await login(email)).tokens;
    expect(
      (
        await api('POST', '/auth/logout', {
          token: again.accessToken,
          body: { refreshToken: again.refreshToken },
        })
      ).status,
    ).toBe(204);
    expectError(
      await api('POST', '/auth/refresh', { body: { refreshToken: again.refreshToken } }),
      401,
      '1002',
    );
    expectError(
      await api('POST', '/auth/logout', { token: again.accessToken, body: {} }),
      422,
      'VALIDATION_FAILED',
    );

    // A suspension cuts off a live access token at once.
    const live = data(await login(email)).tokens.accessToken;
    expect(data(await api('POST', `/admin/users/${user.id}/suspend`, { token: admin })).status).toBe(
      'suspended',
    );
    expectError(await api('GET', '/auth/me', { token: live }), 403, '1004');
    expectError(await login(email), 403, '1004');
  });

  it('lets an admin set up a clinic and a pharmacy link that the members then see', async () => {
    const admin = data(await login(ADMIN.email, ADMIN.password)).tokens.accessToken;
    const approved = async (role: string, extra: object = {}) => {
      const email = `${role}.${randomUUID().slice(0, 8)}@e2e.test`;
      const { user } = data(await register(role, email, extra), 201);
      data(await api('POST', `/admin/users/${user.id}/approve`, { token: admin }));
      return { id: user.id as string, token: data(await login(email)).tokens.accessToken as string };
    };
    const owner = await approved('practitioner');
    const me = data(await api('GET', '/auth/me', { token: owner.token }));
    expect(me.referralCode).toEqual(expect.any(String));
    const colleague = await approved('practitioner', { referralCode: me.referralCode });

    const clinic = data(
      await api('POST', '/admin/clinics', {
        token: admin,
        body: {
          name: 'Harbour TCM Clinic',
          address: { street: '1 Queen St', city: 'Auckland', country: 'NZ', postalCode: '1010' },
          ownerId: owner.id,
        },
      }),
      201,
    );
    const member = data(
      await api('POST', `/admin/clinics/${clinic.id}/members`, {
        token: admin,
        body: { userId: colleague.id },
      }),
      201,
    );
    expect(member).toMatchObject({ clinicId: clinic.id, userId: colleague.id });
    expectError(
      await api('POST', `/admin/clinics/${clinic.id}/members`, {
        token: admin,
        body: { userId: colleague.id },
      }),
      409,
      'CONFLICT',
    );
    expect(
      data(await api('GET', '/clinics/mine', { token: colleague.token })).map((c: Json) => c.id),
    ).toEqual([clinic.id]);
    expect(data(await api('GET', '/auth/me', { token: owner.token })).clinics).toEqual([
      { id: clinic.id, name: 'Harbour TCM Clinic' },
    ]);

    const referrals = data(await api('GET', `/admin/referrals?referrerId=${owner.id}`, { token: admin }));
    expect(referrals).toEqual([
      expect.objectContaining({
        referrer: expect.objectContaining({ id: owner.id }),
        referred: expect.objectContaining({ id: colleague.id }),
      }),
    ]);

    const operator = await approved('pharmacy_operator');
    // The pharmacy must exist: linking an operator to an unknown one is 404.
    expectError(
      await api('POST', `/admin/pharmacies/${randomUUID()}/operators`, {
        token: admin,
        body: { userId: operator.id },
      }),
      404,
      'NOT_FOUND',
    );
    const pharmacyId = data(
      await api('POST', '/admin/pharmacies', {
        token: admin,
        body: {
          name: 'Harbour Herbal Dispensary',
          address: { street: '5 Quay Street', city: 'Auckland', country: 'New Zealand', postalCode: '1010' },
          location: { lat: -36.8431, lng: 174.7681 },
          contact: { email: 'dispensary@harbour.example.nz' },
        },
      }),
      201,
    ).id;
    data(
      await api('POST', `/admin/pharmacies/${pharmacyId}/operators`, {
        token: admin,
        body: { userId: operator.id },
      }),
      201,
    );
    expect(data(await api('GET', '/auth/me', { token: operator.token })).pharmacyId).toBe(pharmacyId);
    expectError(await api('GET', '/clinics/mine', { token: operator.token }), 403, '1003');
  });

  it('serves the JWKS that verifies the access tokens it issues', async () => {
    const res = await platform.get('/api/v1/.well-known/jwks.json');
    expect(res.status).toBe(200);
    const jwks = (await res.json()) as Json;
    const token = data(await login(ADMIN.email, ADMIN.password)).tokens.accessToken as string;
    const { kid } = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
    expect(jwks.keys).toEqual(
      expect.arrayContaining([expect.objectContaining({ kid, alg: 'EdDSA', use: 'sig' })]),
    );
  });
});
