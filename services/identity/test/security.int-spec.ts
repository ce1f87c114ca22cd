import {
  ADMIN,
  type IdentityKit,
  PASSWORD,
  createIdentityKit,
  errorKey,
  rejection,
} from './identity-test-kit';

describe('identity security on PostgreSQL', () => {
  let kit: IdentityKit;
  beforeAll(async () => {
    kit = await createIdentityKit('identity_security', {
      accountAddressThrottle: {
        windowSeconds: 900,
        slowAfter: 2,
        maxDelaySeconds: 30,
        lockAfter: 4,
        lockSeconds: 600,
      },
      accountBackoff: {
        windowSeconds: 900,
        slowAfter: 8,
        maxDelaySeconds: 60,
        lockAfter: Number.MAX_SAFE_INTEGER,
        lockSeconds: 0,
      },
      ipThrottle: { windowSeconds: 900, slowAfter: 100, maxDelaySeconds: 30, lockAfter: 6, lockSeconds: 300 },
    });
  });
  afterAll(async () => {
    await kit?.close();
  });

  describe('login throttling', () => {
    it('slows an account down at one address, then locks that address — even for the right password — until the lock runs out', async () => {
      const { email } = await kit.user('practitioner');
      const wrong = () => kit.login.execute({ email, password: 'not my password', ip: '203.0.113.1' });
      expect(await errorKey(wrong())).toBe('INVALID_CREDENTIALS');
      expect(await errorKey(wrong())).toBe('INVALID_CREDENTIALS');

      const slowed = await rejection(wrong());
      expect(slowed.key).toBe('RATE_LIMIT_EXCEEDED');
      expect(slowed.details).toEqual({ retryAfterSeconds: 1 });

      kit.clock.advanceSeconds(1);
      expect(await errorKey(wrong())).toBe('INVALID_CREDENTIALS');
      kit.clock.advanceSeconds(2);
      expect(await errorKey(wrong())).toBe('INVALID_CREDENTIALS'); // the 4th failure locks

      const locked = await rejection(kit.login.execute({ email, password: PASSWORD, ip: '203.0.113.1' }));
      expect(locked.key).toBe('RATE_LIMIT_EXCEEDED');
      expect(locked.details.retryAfterSeconds).toBe(600);

      kit.clock.advanceSeconds(600);
      expect(await errorKey(kit.login.execute({ email, password: PASSWORD, ip: '203.0.113.1' }))).toBe('ok');
      // Success resets the account's counter.
      expect(await errorKey(wrong())).toBe('INVALID_CREDENTIALS');
      expect(await errorKey(wrong())).toBe('INVALID_CREDENTIALS');
    });

    it('counts failures per address across accounts, including unknown ones', async () => {
      const ip = '198.51.100.7';
      for (let i = 0; i < 6; i++) {
        expect(
          await errorKey(
            kit.login.execute({ email: `guess${i}@example.co.nz`, password: 'whatever it is', ip }),
          ),
        ).toBe('INVALID_CREDENTIALS');
      }
      const { email } = await kit.user('practitioner');
      expect(await errorKey(kit.login.execute({ email, password: PASSWORD, ip }))).toBe(
        'RATE_LIMIT_EXCEEDED',
      );
      expect(await errorKey(kit.login.execute({ email, password: PASSWORD, ip: '198.51.100.8' }))).toBe('ok');
      kit.clock.advanceSeconds(300);
    });

    it('lets parallel guesses through one at a time, so they cannot outrun the throttle', async () => {
      const { email } = await kit.user('practitioner');
      kit.clock.advanceSeconds(1000); // a quiet moment: no window from earlier tests
      const guesses = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          errorKey(kit.login.execute({ email, password: `guess number ${i}`, ip: '192.0.2.1' })),
        ),
      );
      expect(guesses.filter((g) => g === 'INVALID_CREDENTIALS')).toHaveLength(2);
      expect(guesses.filter((g) => g === 'RATE_LIMIT_EXCEEDED')).toHaveLength(4);
    });

    it('never locks the owner out from another address, however many failures one address sends', async () => {
      const { email } = await kit.user('practitioner');
      kit.clock.advanceSeconds(1000);
      const attacker = '203.0.113.66';
      const answers: string[] = [];
      for (let i = 0; i < 14; i++) {
        answers.push(
          await errorKey(kit.login.execute({ email, password: `wrong guess ${i}`, ip: attacker })),
        );
        kit.clock.advanceSeconds(31); // past every per-attempt delay: only the lock stops it
      }
      expect(answers.slice(0, 4)).toEqual(Array(4).fill('INVALID_CREDENTIALS'));
      expect(answers.slice(4)).toEqual(Array(10).fill('RATE_LIMIT_EXCEEDED'));
      expect(await errorKey(kit.login.execute({ email, password: PASSWORD, ip: attacker }))).toBe(
        'RATE_LIMIT_EXCEEDED',
      );
      expect(await errorKey(kit.login.execute({ email, password: PASSWORD, ip: '198.51.100.20' }))).toBe(
        'ok',
      );
    });

    it('backs off account-wide, boundedly, for addresses that failed — a clean address with the right password passes', async () => {
      const { email } = await kit.user('practitioner');
      kit.clock.advanceSeconds(1000);
      // Many addresses, one guess each: each is checked (one free guess per address)...
      for (let i = 0; i < 10; i++) {
        expect(
          await errorKey(kit.login.execute({ email, password: `spray ${i}`, ip: `100.64.0.${i}` })),
        ).toBe('INVALID_CREDENTIALS');
      }
      // ...but an address that already failed now waits the account-wide back-off (2^(10-8) s)...
      const slowed = await rejection(kit.login.execute({ email, password: 'spray again', ip: '100.64.0.1' }));
      expect(slowed.key).toBe('RATE_LIMIT_EXCEEDED');
      expect(slowed.details).toEqual({ retryAfterSeconds: 4 });
      // ...even with the right password, while the owner at a clean address signs in at once.
      expect(await errorKey(kit.login.execute({ email, password: PASSWORD, ip: '100.64.0.2' }))).toBe(
        'RATE_LIMIT_EXCEEDED',
      );
      expect(await errorKey(kit.login.execute({ email, password: PASSWORD, ip: '198.51.100.21' }))).toBe(
        'ok',
      );
      // Bounded: never longer than the longest delay, never a lock.
      for (let i = 10; i < 40; i++)
        await kit.login.execute({ email, password: `spray ${i}`, ip: `100.65.0.${i}` }).catch(() => {});
      const bounded = await rejection(kit.login.execute({ email, password: 'x again', ip: '100.65.0.11' }));
      expect(bounded.details.retryAfterSeconds).toBeLessThanOrEqual(60);
      kit.clock.advanceSeconds(60);
      expect(await errorKey(kit.login.execute({ email, password: PASSWORD, ip: '100.65.0.11' }))).toBe('ok');
    });

    it("audits a lockout and logs it when the account is an admin's", async () => {
      kit.clock.advanceSeconds(1000);
      const ip = '203.0.113.99';
      for (let i = 0; i < 4; i++) {
        await kit.login.execute({ email: ADMIN.email, password: `not the admin ${i}`, ip }).catch(() => {});
        kit.clock.advanceSeconds(31);
      }
      const rows = await kit.sql<{ subject_id: string; details: { role: string } }>(
        "SELECT subject_id, details FROM audit_log WHERE action = 'login.account_locked' AND ip = $1",
        [ip],
      );
      expect(rows).toEqual([
        { subject_id: kit.admin.userId, details: expect.objectContaining({ role: 'admin' }) },
      ]);
      expect(
        await errorKey(
          kit.login.execute({ email: ADMIN.email, password: ADMIN.password, ip: '198.51.100.22' }),
        ),
      ).toBe('ok');
    });

    it('keeps an audit trail of failures and throttling with the address', async () => {
      const rows = await kit.sql<{ action: string; ip: string }>(
        "SELECT action, ip FROM audit_log WHERE action IN ('login.failed', 'login.throttled') AND ip = '203.0.113.1'",
      );
      expect(rows.filter((r) => r.action === 'login.failed').length).toBeGreaterThanOrEqual(4);
      expect(rows.filter((r) => r.action === 'login.throttled').length).toBeGreaterThanOrEqual(2);
    });
  });

  describe('password change (POST /auth/password)', () => {
    it('revokes every refresh token and refuses earlier access tokens at once; the new password works', async () => {
      const { email, caller } = await kit.user('practitioner');
      kit.clock.advanceSeconds(1000);
      const first = await kit.login.execute({ email, password: PASSWORD, ip: '192.0.2.50' });
      const second = await kit.login.execute({ email, password: PASSWORD, ip: '192.0.2.51' });
      expect(await errorKey(kit.authenticate.execute({ accessToken: first.tokens.accessToken }))).toBe('ok');

      const newPassword = 'a fresh passphrase for 2027';
      await kit.changePassword.execute(caller, { currentPassword: PASSWORD, newPassword });

      // Same second as the change: an epoch, not a timestamp, decides.
      for (const t of [first, second]) {
        expect(await errorKey(kit.authenticate.execute({ accessToken: t.tokens.accessToken }))).toBe(
          'TOKEN_EXPIRED',
        );
        expect(await errorKey(kit.refresh.execute({ refreshToken: t.tokens.refreshToken }))).toBe(
          'TOKEN_EXPIRED',
        );
      }
      expect(await errorKey(kit.login.execute({ email, password: PASSWORD, ip: '192.0.2.52' }))).toBe(
        'INVALID_CREDENTIALS',
      );
      const fresh = await kit.login.execute({ email, password: newPassword, ip: '192.0.2.52' });
      expect(await kit.authenticate.execute({ accessToken: fresh.tokens.accessToken })).toMatchObject({
        userId: caller.userId,
      });
      const renewed = await kit.refresh.execute({ refreshToken: fresh.tokens.refreshToken });
      expect(await errorKey(kit.authenticate.execute({ accessToken: renewed.accessToken }))).toBe('ok');

      const events = await kit.sql<{ payload: { userId: string; reason: string; notBefore: string } }>(
        "SELECT envelope->'payload' AS payload FROM outbox_message WHERE type = 'identity.user.tokens_revoked'",
      );
      expect(events.map((e) => e.payload)).toContainEqual({
        userId: caller.userId,
        notBefore: expect.any(String),
        reason: 'password_changed',
      });
    });

    it('refuses a wrong current password (1001) and a weak or unchanged new one (422), changing nothing', async () => {
      const { email, caller } = await kit.user('practitioner');
      const session = await kit.login.execute({ email, password: PASSWORD, ip: '192.0.2.60' });
      expect(
        await errorKey(
          kit.changePassword.execute(caller, {
            currentPassword: 'not it at all',
            newPassword: 'another fine passphrase',
          }),
        ),
      ).toBe('INVALID_CREDENTIALS');
      const weak = await rejection(
        kit.changePassword.execute(caller, { currentPassword: PASSWORD, newPassword: 'short' }),
      );
      expect(weak.key).toBe('VALIDATION_FAILED');
      expect(weak.details).toContainEqual({
        path: 'newPassword',
        message: expect.stringMatching(/at least/),
      });
      const same = await rejection(
        kit.changePassword.execute(caller, { currentPassword: PASSWORD, newPassword: PASSWORD }),
      );
      expect(same.details).toContainEqual({
        path: 'newPassword',
        message: 'must differ from the current password',
      });
      expect(await errorKey(kit.authenticate.execute({ accessToken: session.tokens.accessToken }))).toBe(
        'ok',
      );
      expect(await errorKey(kit.login.execute({ email, password: PASSWORD, ip: '192.0.2.60' }))).toBe('ok');
    });
  });

  describe('personal data at rest', () => {
    it('stores phone and licence number encrypted, never in plaintext anywhere in the row', async () => {
      const phone = '+64 21 987 6543';
      const licence = 'TCM-NZ-445566';
      const { user } = await kit.register.execute({
        email: 'pii@example.co.nz',
        password: PASSWORD,
        role: 'practitioner',
        fullName: 'Pii Person',
        phone,
        licenseNumber: licence,
      });
      const [raw] = await kit.sql<{ row: string; phone_enc: string; license_number_enc: string }>(
        'SELECT row_to_json(u)::text AS row, phone_enc, license_number_enc FROM user_account u WHERE id = $1',
        [user.id],
      );
      expect(raw.row).not.toContain('987 6543');
      expect(raw.row).not.toContain('9876543');
      expect(raw.row).not.toContain('445566');
      expect(raw.phone_enc).toMatch(/^dev:[^:]+:[^:]+:[^:]+$/);
      expect(raw.license_number_enc).toMatch(/^dev:/);
      expect(kit.cipher.decrypt(raw.phone_enc)).toBe(phone);

      const listed = await kit.listUsers.execute(kit.admin, { search: 'pii@example', page: 1, limit: 5 });
      expect(listed.items[0]).toMatchObject({ phone, licenseNumber: licence });

      const audit = await kit.sql<{ details: unknown }>(
        'SELECT details FROM audit_log WHERE subject_id = $1',
        [user.id],
      );
      expect(JSON.stringify(audit)).not.toContain('445566');
    });

    it('keeps signing keys private halves encrypted and clinic phones too', async () => {
      const keys = await kit.sql<{ private_key_enc: string }>('SELECT private_key_enc FROM signing_key');
      expect(keys.length).toBeGreaterThan(0);
      for (const k of keys) expect(k.private_key_enc).not.toContain('PRIVATE KEY');
      const clinic = await kit.createClinic.execute(kit.admin, {
        name: 'Pii Clinic',
        address: { street: '3 Queen St', city: 'Auckland', country: 'NZ', postalCode: '1010' },
        contact: { phone: '+64 9 300 1234' },
        licenseNumber: 'CL-9988',
      });
      const [raw] = await kit.sql<{ row: string }>(
        'SELECT row_to_json(c)::text AS row FROM clinic c WHERE id = $1',
        [clinic.id],
      );
      expect(raw.row).not.toContain('300 1234');
      expect(raw.row).not.toContain('9988');
      expect(clinic).toMatchObject({ contact: { phone: '+64 9 300 1234' }, licenseNumber: 'CL-9988' });
    });
  });

  describe('access tokens', () => {
    it('stay valid across a key rotation while authentication still reads the live status', async () => {
      const { email, id } = await kit.user('practitioner');
      const { tokens } = await kit.login.execute({ email, password: PASSWORD });
      await kit.auth.rotate();
      expect((await kit.authenticate.execute({ accessToken: tokens.accessToken })).userId).toBe(id);
      expect((await kit.auth.jwks()).keys.length).toBeGreaterThanOrEqual(2);
      kit.clock.advanceSeconds(901);
      expect(await errorKey(kit.authenticate.execute({ accessToken: tokens.accessToken }))).toBe(
        'TOKEN_EXPIRED',
      );
      expect(
        await errorKey(
          kit.authenticate.execute({
            claims: { sub: id, exp: Math.floor(kit.clock.now().getTime() / 1000) - 1 },
          }),
        ),
      ).toBe('TOKEN_EXPIRED');
    });
  });
});
