import { type IdentityKit, PASSWORD, createIdentityKit, errorKey, rejection } from './identity-test-kit';

describe('identity use cases on PostgreSQL', () => {
  let kit: IdentityKit;
  beforeAll(async () => {
    kit = await createIdentityKit('identity_flows');
  });
  afterAll(async () => {
    await kit?.close();
  });

  describe('register → approve → login → me', () => {
    it('takes a practitioner from pending to signed in, with clinics, referral code and claims', async () => {
      const email = 'Li.Wei@Example.co.nz';
      const { user } = await kit.register.execute({
        email,
        password: PASSWORD,
        role: 'practitioner',
        fullName: 'Li Wei',
        phone: '+64 21 555 0199',
        licenseNumber: 'TCM-NZ-778812',
        locale: 'zh',
      });
      expect(user).toMatchObject({
        email: 'li.wei@example.co.nz',
        status: 'pending',
        role: 'practitioner',
        referralCode: null,
      });
      expect(JSON.stringify(user)).not.toMatch(/argon2|passwordHash/);

      expect(await errorKey(kit.login.execute({ email, password: PASSWORD }))).toBe('ACCOUNT_NOT_APPROVED');

      const approved = await kit.approve.execute(kit.admin, { userId: user.id });
      expect(approved.status).toBe('approved');
      expect(approved.referralCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);

      const clinic = await kit.createClinic.execute(kit.admin, {
        name: 'Ponsonby Herbal Clinic',
        address: { street: '1 Ponsonby Rd', city: 'Auckland', country: 'NZ', postalCode: '1011' },
        ownerId: user.id,
      });

      const { user: signedIn, tokens } = await kit.login.execute({
        email: 'li.wei@example.co.nz',
        password: PASSWORD,
        ip: '10.0.0.1',
      });
      expect(signedIn.id).toBe(user.id);
      expect(tokens.expiresIn).toBe(900);
      expect(tokens.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const claims = await kit.auth.verifyAccessToken(tokens.accessToken);
      expect(claims).toMatchObject({
        sub: user.id,
        role: 'practitioner',
        status: 'approved',
        clinicIds: [clinic.id],
        pharmacyId: null,
      });

      const principal = await kit.authenticate.execute({ claims });
      const me = await kit.me.execute({ userId: principal.userId, role: principal.role });
      expect(me).toEqual({
        id: user.id,
        email: 'li.wei@example.co.nz',
        role: 'practitioner',
        status: 'approved',
        fullName: 'Li Wei',
        phone: '+64 21 555 0199',
        licenseNumber: 'TCM-NZ-778812',
        locale: 'zh',
        clinics: [{ id: clinic.id, name: 'Ponsonby Herbal Clinic' }],
        pharmacyId: null,
        referralCode: approved.referralCode,
        createdAt: user.createdAt,
      });
      const audit = await kit.sql<{ action: string }>(
        'SELECT action FROM audit_log WHERE subject_id = $1 ORDER BY id',
        [user.id],
      );
      expect(audit.map((a) => a.action)).toEqual([
        'user.registered',
        'login.failed',
        'user.approved',
        'login.succeeded',
      ]);
    });

    it('refuses a wrong password and an unknown email alike', async () => {
      const { email } = await kit.user('practitioner');
      expect(await errorKey(kit.login.execute({ email, password: 'not the password' }))).toBe(
        'INVALID_CREDENTIALS',
      );
      expect(await errorKey(kit.login.execute({ email: 'nobody@example.co.nz', password: PASSWORD }))).toBe(
        'INVALID_CREDENTIALS',
      );
    });

    it('refuses a second account with the same email, whatever its case', async () => {
      const { email } = await kit.user('practitioner', { approve: false });
      const again = kit.register.execute({
        email: email.toUpperCase(),
        password: PASSWORD,
        role: 'pharmacy_operator',
        fullName: 'X',
      });
      expect(await errorKey(again)).toBe('CONFLICT');
    });

    it('refuses weak passwords with the reasons', async () => {
      const err = await rejection(
        kit.register.execute({
          email: 'weak@example.co.nz',
          password: 'Password123',
          role: 'practitioner',
          fullName: 'W',
        }),
      );
      expect(err.key).toBe('VALIDATION_FAILED');
      expect(err.details).toEqual([{ path: 'password', message: 'is too common' }]);
    });
  });

  describe('referrals', () => {
    it('records who referred whom and lists it for admins', async () => {
      const referrer = await kit.user('practitioner');
      const code = (await kit.me.execute(referrer.caller)).referralCode!;
      const referred = await kit.user('practitioner', {
        approve: false,
        referralCode: code.toLowerCase().replace('-', ' '),
      });
      const list = await kit.listReferrals.execute(kit.admin, {
        referrerId: referrer.id,
        page: 1,
        limit: 20,
      });
      expect(list.total).toBe(1);
      expect(list.items[0]).toMatchObject({
        referrer: { id: referrer.id, referralCode: code },
        referred: { id: referred.id, status: 'pending' },
      });
      expect(await errorKey(kit.listReferrals.execute(referrer.caller, { page: 1, limit: 20 }))).toBe(
        'INSUFFICIENT_PERMISSIONS',
      );
    });

    it('refuses an unknown referral code, or that of a suspended practitioner', async () => {
      const input = {
        email: 'r@example.co.nz',
        password: PASSWORD,
        role: 'practitioner' as const,
        fullName: 'R',
      };
      expect(await errorKey(kit.register.execute({ ...input, referralCode: 'AAAA-BBBB' }))).toBe(
        'VALIDATION_FAILED',
      );
      const referrer = await kit.user('practitioner');
      const code = (await kit.me.execute(referrer.caller)).referralCode!;
      await kit.suspend.execute(kit.admin, { userId: referrer.id });
      expect(await errorKey(kit.register.execute({ ...input, referralCode: code }))).toBe(
        'VALIDATION_FAILED',
      );
    });
  });

  describe('refresh tokens', () => {
    it('rotates on every use, and a reused one revokes the whole family', async () => {
      const { email } = await kit.user('practitioner');
      const { tokens } = await kit.login.execute({ email, password: PASSWORD });
      const second = await kit.refresh.execute({ refreshToken: tokens.refreshToken });
      expect(second.refreshToken).not.toBe(tokens.refreshToken);
      expect((await kit.auth.verifyAccessToken(second.accessToken)).role).toBe('practitioner');
      const third = await kit.refresh.execute({ refreshToken: second.refreshToken });

      // The first token again: theft. Every token of the family dies, the newest included.
      expect(await errorKey(kit.refresh.execute({ refreshToken: tokens.refreshToken }))).toBe(
        'TOKEN_EXPIRED',
      );
      expect(await errorKey(kit.refresh.execute({ refreshToken: third.refreshToken }))).toBe('TOKEN_EXPIRED');

      // Another session of the same user is untouched.
      const other = await kit.login.execute({ email, password: PASSWORD });
      expect(await errorKey(kit.refresh.execute({ refreshToken: other.tokens.refreshToken }))).toBe('ok');
    });

    it('lets only one of two simultaneous uses of a token win, and then revokes the family', async () => {
      const { email } = await kit.user('practitioner');
      const { tokens } = await kit.login.execute({ email, password: PASSWORD });
      const outcomes = await Promise.all(
        [1, 2].map(() => errorKey(kit.refresh.execute({ refreshToken: tokens.refreshToken }))),
      );
      expect(outcomes.sort()).toEqual(['TOKEN_EXPIRED', 'ok']);
    });

    it('expires after its lifetime and dies with logout', async () => {
      const { email, caller } = await kit.user('practitioner');
      const a = await kit.login.execute({ email, password: PASSWORD });
      kit.clock.advanceSeconds(kit.cfg.refreshTokenTtlSeconds + 1);
      expect(await errorKey(kit.refresh.execute({ refreshToken: a.tokens.refreshToken }))).toBe(
        'TOKEN_EXPIRED',
      );
      kit.clock.advanceSeconds(-(kit.cfg.refreshTokenTtlSeconds + 1));

      const b = await kit.login.execute({ email, password: PASSWORD });
      await kit.logout.execute(caller, { refreshToken: b.tokens.refreshToken });
      expect(await errorKey(kit.refresh.execute({ refreshToken: b.tokens.refreshToken }))).toBe(
        'TOKEN_EXPIRED',
      );
    });

    it("ignores a logout with someone else's refresh token", async () => {
      const owner = await kit.user('practitioner');
      const stranger = await kit.user('practitioner');
      const { tokens } = await kit.login.execute({ email: owner.email, password: PASSWORD });
      await kit.logout.execute(stranger.caller, { refreshToken: tokens.refreshToken });
      expect(await errorKey(kit.refresh.execute({ refreshToken: tokens.refreshToken }))).toBe('ok');
    });
  });

  describe('suspension', () => {
    it('stops a live access token and an API key at once, and refreshing too', async () => {
      const op = await kit.user('pharmacy_operator');
      const { tokens } = await kit.login.execute({ email: op.email, password: PASSWORD });
      const { key } = await kit.createApiKey.execute(op.caller, { name: 'POS' });
      const claims = await kit.auth.verifyAccessToken(tokens.accessToken);
      expect((await kit.authenticate.execute({ claims })).via).toBe('token');
      expect((await kit.authenticate.execute({ apiKey: key })).via).toBe('api_key');

      await kit.suspend.execute(kit.admin, { userId: op.id });

      // The token is still cryptographically valid for 15 minutes; authentication reads the status.
      expect((await kit.auth.verifyAccessToken(tokens.accessToken)).sub).toBe(op.id);
      expect(await errorKey(kit.authenticate.execute({ claims }))).toBe('ACCOUNT_NOT_APPROVED');
      expect(await errorKey(kit.authenticate.execute({ accessToken: tokens.accessToken }))).toBe(
        'ACCOUNT_NOT_APPROVED',
      );
      expect(await errorKey(kit.authenticate.execute({ apiKey: key }))).toBe('ACCOUNT_NOT_APPROVED');
      expect(await errorKey(kit.refresh.execute({ refreshToken: tokens.refreshToken }))).toBe(
        'TOKEN_EXPIRED',
      );
      expect(await errorKey(kit.login.execute({ email: op.email, password: PASSWORD }))).toBe(
        'ACCOUNT_NOT_APPROVED',
      );
    });

    it('refuses to suspend twice, and refuses an admin suspending themselves', async () => {
      const p = await kit.user('practitioner');
      await kit.suspend.execute(kit.admin, { userId: p.id });
      expect(await errorKey(kit.suspend.execute(kit.admin, { userId: p.id }))).toBe('CONFLICT');
      expect(await errorKey(kit.suspend.execute(kit.admin, { userId: kit.admin.userId }))).toBe(
        'INSUFFICIENT_PERMISSIONS',
      );
      expect(await errorKey(kit.approve.execute(p.caller, { userId: p.id }))).toBe(
        'INSUFFICIENT_PERMISSIONS',
      );
    });
  });

  describe('API keys', () => {
    it('shows the secret once, stores only its hash, and authenticates the owning operator', async () => {
      const op = await kit.user('pharmacy_operator');
      const pharmacyId = '7f8e9d0c-1b2a-4c3d-9e8f-7a6b5c4d3e44';
      await kit.linkOperator.execute(kit.admin, { pharmacyId, userId: op.id });
      const created = await kit.createApiKey.execute(op.caller, { name: 'Front counter' });
      expect(created.key).toBe(`pc_live_${created.prefix}_${created.key.split('_').pop()}`);
      const [row] = await kit.sql<{ secret_hash: string }>('SELECT secret_hash FROM api_key WHERE id = $1', [
        created.id,
      ]);
      expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.secret_hash).not.toContain(created.key.split('_').pop());

      const principal = await kit.authenticate.execute({ apiKey: created.key });
      expect(principal).toEqual({
        userId: op.id,
        role: 'pharmacy_operator',
        status: 'approved',
        clinicIds: [],
        pharmacyId,
        via: 'api_key',
        apiKeyId: created.id,
      });
      const [listed] = await kit.listApiKeys.execute(op.caller);
      expect(listed).toMatchObject({ id: created.id, prefix: created.prefix, active: true });
      expect(listed.lastUsedAt).not.toBeNull();
      expect(JSON.stringify(listed)).not.toContain(created.key);
    });

    it('stops working the moment it is revoked, or when it expires', async () => {
      const op = await kit.user('pharmacy_operator');
      const a = await kit.createApiKey.execute(op.caller, { name: 'A' });
      await kit.revokeApiKey.execute(op.caller, { id: a.id });
      expect(await errorKey(kit.authenticate.execute({ apiKey: a.key }))).toBe('INVALID_CREDENTIALS');

      const b = await kit.createApiKey.execute(op.caller, {
        name: 'B',
        expiresAt: new Date(kit.clock.now().getTime() + 60_000),
      });
      expect(await errorKey(kit.authenticate.execute({ apiKey: b.key }))).toBe('ok');
      kit.clock.advanceSeconds(61);
      expect(await errorKey(kit.authenticate.execute({ apiKey: b.key }))).toBe('INVALID_CREDENTIALS');
    });

    it('is owner-scoped and not for practitioners; a forged secret is refused', async () => {
      const op = await kit.user('pharmacy_operator');
      const other = await kit.user('pharmacy_operator');
      const key = await kit.createApiKey.execute(op.caller, { name: 'Mine' });
      expect(await errorKey(kit.revokeApiKey.execute(other.caller, { id: key.id }))).toBe('NOT_FOUND');
      expect(await kit.listApiKeys.execute(other.caller)).toEqual([]);
      const practitioner = await kit.user('practitioner');
      expect(await errorKey(kit.createApiKey.execute(practitioner.caller, { name: 'X' }))).toBe(
        'INSUFFICIENT_PERMISSIONS',
      );
      const forged = `pc_live_${key.prefix}_${'A'.repeat(40)}`;
      expect(await errorKey(kit.authenticate.execute({ apiKey: forged }))).toBe('INVALID_CREDENTIALS');
    });
  });

  describe('clinics and pharmacy operators', () => {
    it('admits approved practitioners only, once each', async () => {
      const clinic = await kit.createClinic.execute(kit.admin, {
        name: 'Newmarket TCM',
        address: { street: '2 Broadway', city: 'Auckland', country: 'NZ', postalCode: '1023' },
        contact: { phone: '+64 9 555 0101', email: 'hello@newmarket-tcm.nz' },
      });
      const p = await kit.user('practitioner');
      const pending = await kit.user('practitioner', { approve: false });
      const op = await kit.user('pharmacy_operator');
      await kit.addMember.execute(kit.admin, { clinicId: clinic.id, userId: p.id });
      expect(await errorKey(kit.addMember.execute(kit.admin, { clinicId: clinic.id, userId: p.id }))).toBe(
        'CONFLICT',
      );
      expect(
        await errorKey(kit.addMember.execute(kit.admin, { clinicId: clinic.id, userId: pending.id })),
      ).toBe('VALIDATION_FAILED');
      expect(await errorKey(kit.addMember.execute(kit.admin, { clinicId: clinic.id, userId: op.id }))).toBe(
        'VALIDATION_FAILED',
      );
      expect(await errorKey(kit.addMember.execute(p.caller, { clinicId: clinic.id, userId: p.id }))).toBe(
        'INSUFFICIENT_PERMISSIONS',
      );
      expect((await kit.myClinics.execute(p.caller)).map((c) => c.id)).toEqual([clinic.id]);
      expect((await kit.authenticate.execute({ claims: { sub: p.id } })).clinicIds).toEqual([clinic.id]);
    });

    it('links an approved operator to one pharmacy, which lands in their token and me', async () => {
      const op = await kit.user('pharmacy_operator');
      const first = '11111111-2222-4333-8444-555555555555';
      const second = '66666666-7777-4888-9999-aaaaaaaaaaaa';
      await kit.linkOperator.execute(kit.admin, { pharmacyId: first, userId: op.id });
      expect(await errorKey(kit.linkOperator.execute(kit.admin, { pharmacyId: first, userId: op.id }))).toBe(
        'CONFLICT',
      );
      await kit.linkOperator.execute(kit.admin, { pharmacyId: second, userId: op.id });
      expect((await kit.me.execute(op.caller)).pharmacyId).toBe(second);
      const { tokens } = await kit.login.execute({ email: op.email, password: PASSWORD });
      expect((await kit.auth.verifyAccessToken(tokens.accessToken)).pharmacyId).toBe(second);
      const practitioner = await kit.user('practitioner');
      expect(
        await errorKey(kit.linkOperator.execute(kit.admin, { pharmacyId: first, userId: practitioner.id })),
      ).toBe('VALIDATION_FAILED');
    });
  });

  describe('admin users list', () => {
    it('filters by role, status and search, and pages with a total', async () => {
      const tag = `zz${Date.now().toString(36)}`;
      for (let i = 0; i < 3; i++)
        await kit.user('pharmacy_operator', { approve: false, email: `${tag}.${i}@example.co.nz` });
      const page1 = await kit.listUsers.execute(kit.admin, {
        role: 'pharmacy_operator',
        status: 'pending',
        search: tag.toUpperCase(),
        page: 1,
        limit: 2,
      });
      const page2 = await kit.listUsers.execute(kit.admin, {
        role: 'pharmacy_operator',
        status: 'pending',
        search: tag,
        page: 2,
        limit: 2,
      });
      expect(page1.total).toBe(3);
      expect(page1.items).toHaveLength(2);
      expect(page2.items).toHaveLength(1);
      expect(new Set([...page1.items, ...page2.items].map((u) => u.email)).size).toBe(3);
    });
  });

  describe('the first admin', () => {
    it('exists after start-up and can sign in', async () => {
      expect(await kit.bootstrapAdmin.execute()).toBe('exists');
      expect(
        await errorKey(
          kit.login.execute({ email: 'ADMIN@prescriptchain.test', password: 'a long admin passphrase 42' }),
        ),
      ).toBe('ok');
    });

    it('is created once, however many replicas start together', async () => {
      const saved = kit.cfg.admin;
      kit.cfg.admin = {
        email: 'second.admin@prescriptchain.test',
        password: 'another long passphrase 7',
        fullName: 'Ops',
      };
      try {
        const outcomes = await Promise.all([1, 2, 3].map(() => kit.bootstrapAdmin.execute()));
        expect(outcomes.sort()).toEqual(['created', 'exists', 'exists']);
        const rows = await kit.sql<{ n: number }>(
          'SELECT count(*)::int AS n FROM user_account WHERE email = $1',
          ['second.admin@prescriptchain.test'],
        );
        expect(rows[0].n).toBe(1);
      } finally {
        kit.cfg.admin = saved;
      }
    });

    it('refuses to start with a weak admin password', async () => {
      const saved = kit.cfg.admin;
      kit.cfg.admin = { email: 'weak.admin@prescriptchain.test', password: 'admin123', fullName: 'Weak' };
      try {
        expect(await errorKey(kit.bootstrapAdmin.execute())).toBe('VALIDATION_FAILED');
      } finally {
        kit.cfg.admin = saved;
      }
    });
  });
});
