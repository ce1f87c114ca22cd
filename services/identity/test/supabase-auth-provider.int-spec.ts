import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { CodedError } from '@prescriptchain/contracts';
import { createAuthProvider } from '../src/adapters/outbound/supabase/auth-provider.factory';
import { SupabaseAuthProvider } from '../src/adapters/outbound/supabase/supabase-auth.provider';
import { describeAuthProviderContract, signingOnPostgres } from './auth-provider.contract';
import { SupabaseAuthStandIn } from './support/supabase-auth-standin';

const SERVICE_ROLE_KEY = `service-role-${randomUUID()}`;
const PASSWORD = 'a kettle of chrysanthemum tea';

function supabaseConfig(
  standIn: SupabaseAuthStandIn,
  overrides: { serviceRoleKey?: string; requestTimeoutMs?: number } = {},
) {
  return {
    provider: 'supabase' as const,
    supabase: { url: standIn.url, serviceRoleKey: SERVICE_ROLE_KEY, requestTimeoutMs: 2_000, ...overrides },
  };
}

function account() {
  const userId = randomUUID();
  return { userId, email: `supa.${userId.slice(0, 8)}@example.co.nz` };
}

async function rejection(promise: Promise<unknown>): Promise<CodedError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof CodedError) return err;
    throw err;
  }
  throw new Error('expected a CodedError');
}

describeAuthProviderContract('the Supabase provider (against the Auth stand-in)', async () => {
  const signing = await signingOnPostgres('auth_contract_supabase');
  const standIn = await SupabaseAuthStandIn.start({ serviceRoleKey: SERVICE_ROLE_KEY });
  const provider = createAuthProvider(supabaseConfig(standIn), signing.deps);
  expect(provider).toBeInstanceOf(SupabaseAuthProvider);
  return {
    provider,
    clock: signing.clock,
    async close() {
      await standIn.stop();
      await signing.close();
    },
  };
});

describe(SupabaseAuthProvider.name, () => {
  let signing: Awaited<ReturnType<typeof signingOnPostgres>>;
  let standIn: SupabaseAuthStandIn;
  let sut: SupabaseAuthProvider;

  beforeAll(async () => {
    signing = await signingOnPostgres('auth_supabase');
  });
  afterAll(async () => {
    await signing?.close();
  });
  beforeEach(async () => {
    standIn = await SupabaseAuthStandIn.start({ serviceRoleKey: SERVICE_ROLE_KEY });
    sut = createAuthProvider(supabaseConfig(standIn), signing.deps) as SupabaseAuthProvider;
    await sut.start();
  });
  afterEach(async () => {
    await standIn.stop();
  });

  it('keeps the password in Supabase: a confirmed user under our id, and nothing for password_hash', async () => {
    const a = account();
    expect(await sut.enrolPassword(a, PASSWORD)).toBeNull();
    expect(standIn.user(a.email)).toMatchObject({ id: a.userId, email: a.email, emailConfirmed: true });
    expect(standIn.requests).toEqual(['POST /auth/v1/admin/users']);
    expect(await sut.checkPassword({ ...a, passwordHash: null }, PASSWORD)).toBe(true);
  });

  it('answers CONFLICT when Supabase already has the email', async () => {
    const a = account();
    await sut.enrolPassword(a, PASSWORD);
    const err = await rejection(
      sut.enrolPassword({ userId: randomUUID(), email: a.email }, 'another long passphrase'),
    );
    expect(err.key).toBe('CONFLICT');
    expect(err.details).toEqual([{ path: 'email', message: 'is taken' }]);
    // The first account still signs in with its own password.
    expect(await sut.checkPassword({ ...a, passwordHash: null }, PASSWORD)).toBe(true);
  });

  it('ends the Supabase session each successful check opens', async () => {
    const a = account();
    await sut.enrolPassword(a, PASSWORD);
    expect(await sut.checkPassword({ ...a, passwordHash: null }, PASSWORD)).toBe(true);
    expect(await sut.checkPassword({ ...a, passwordHash: null }, PASSWORD)).toBe(true);
    expect(standIn.user(a.email)?.liveSessions).toBe(0);
    expect(standIn.requests.filter((r) => r === 'POST /auth/v1/logout?scope=local')).toHaveLength(2);
  });

  it('keeps a right password right when its Supabase session cannot be ended', async () => {
    const a = account();
    await sut.enrolPassword(a, PASSWORD);
    standIn.failWith(503, '/auth/v1/logout');
    expect(await sut.checkPassword({ ...a, passwordHash: null }, PASSWORD)).toBe(true);
    expect(await sut.checkPassword({ ...a, passwordHash: null }, 'not the password 1')).toBe(false);
  });

  it('refuses a right password when Supabase knows the email under another user id', async () => {
    const a = account();
    await sut.enrolPassword(a, PASSWORD);
    expect(
      await sut.checkPassword({ userId: randomUUID(), email: a.email, passwordHash: null }, PASSWORD),
    ).toBe(false);
    expect(standIn.user(a.email)?.liveSessions).toBe(0);
  });

  it('checks passwords concurrently without one sign-in leaking into another', async () => {
    const accounts = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const a = account();
        await sut.enrolPassword(a, `${PASSWORD} number ${i}`);
        return { ...a, passwordHash: null, i };
      }),
    );
    const verdicts = await Promise.all(
      accounts.flatMap((a) => [
        sut.checkPassword(a, `${PASSWORD} number ${a.i}`),
        sut.checkPassword(a, `${PASSWORD} number ${(a.i + 1) % 6}`),
      ]),
    );
    expect(verdicts).toEqual(accounts.flatMap(() => [true, false]));
  });

  it('signs and verifies access tokens itself, without calling Supabase', async () => {
    const { accessToken } = await sut.issueAccessToken({
      sub: randomUUID(),
      role: 'practitioner',
      status: 'approved',
      clinicIds: [],
      pharmacyId: null,
    });
    await sut.verifyAccessToken(accessToken);
    await sut.jwks();
    expect(standIn.requests).toEqual([]);
  });

  it('answers an unknown account in about the time a real wrong password takes, through Supabase', async () => {
    await standIn.stop();
    standIn = await SupabaseAuthStandIn.start({ serviceRoleKey: SERVICE_ROLE_KEY, passwordWorkMs: 150 });
    sut = createAuthProvider(supabaseConfig(standIn), signing.deps) as SupabaseAuthProvider;
    const a = account();
    await sut.enrolPassword(a, PASSWORD);
    for (let i = 0; i < 3; i++)
      expect(await sut.checkPassword({ ...a, passwordHash: null }, 'not the password 1')).toBe(false);

    const started = performance.now();
    expect(await sut.checkPassword(null, PASSWORD)).toBe(false);
    const unknownMs = performance.now() - started;
    // The stand-in answers an unknown email at once (as GoTrue does); the provider waits out the rest.
    expect(unknownMs).toBeGreaterThanOrEqual(120);
    expect(unknownMs).toBeLessThan(1_500);
    expect(standIn.requests.filter((r) => r === 'POST /auth/v1/token?grant_type=password')).toHaveLength(4);
  });

  it('refuses a password longer than bcrypt reads, before asking Supabase', async () => {
    const tooLong = 'è'.repeat(37); // 74 bytes in UTF-8
    const err = await rejection(sut.enrolPassword(account(), tooLong));
    expect(err.key).toBe('VALIDATION_FAILED');
    expect(err.details).toEqual([{ path: 'password', message: 'must be at most 72 bytes' }]);
    expect(standIn.requests).toEqual([]);
  });

  it("turns Supabase's own password rules into VALIDATION_FAILED", async () => {
    await standIn.stop();
    standIn = await SupabaseAuthStandIn.start({ serviceRoleKey: SERVICE_ROLE_KEY, minPasswordLength: 40 });
    sut = createAuthProvider(supabaseConfig(standIn), signing.deps) as SupabaseAuthProvider;
    const err = await rejection(sut.enrolPassword(account(), PASSWORD));
    expect(err.key).toBe('VALIDATION_FAILED');
    expect(err.details).toEqual([{ path: 'password', message: 'is too short for the sign-in service' }]);
  });

  it('discards an enrolment so the email can register again, and tolerates one already gone', async () => {
    const a = account();
    await sut.enrolPassword(a, PASSWORD);
    await sut.discardEnrolment(a);
    expect(standIn.user(a.email)).toBeNull();
    await sut.discardEnrolment(a);
    const again = { userId: randomUUID(), email: a.email };
    expect(await sut.enrolPassword(again, PASSWORD)).toBeNull();
    expect(await sut.checkPassword({ ...again, passwordHash: null }, PASSWORD)).toBe(true);
  });

  describe('when Supabase cannot be used', () => {
    let enrolledAccount: { userId: string; email: string; passwordHash: null };
    beforeEach(async () => {
      enrolledAccount = { ...account(), passwordHash: null };
      await sut.enrolPassword(enrolledAccount, PASSWORD);
    });

    /** Every password operation fails as EXTERNAL_SERVICE_ERROR: never a crash, never a "wrong password". */
    async function expectEveryCallUnavailable(provider: SupabaseAuthProvider) {
      const calls: (() => Promise<unknown>)[] = [
        () => provider.enrolPassword(account(), PASSWORD),
        () => provider.checkPassword(enrolledAccount, PASSWORD),
        () => provider.checkPassword(enrolledAccount, 'a wrong password here'),
        () => provider.checkPassword(null, PASSWORD),
        () => provider.discardEnrolment(enrolledAccount),
      ];
      for (const call of calls) {
        const err = await rejection(call());
        expect(err.key).toBe('EXTERNAL_SERVICE_ERROR');
        expect(err.details).toMatchObject({ provider: 'supabase' });
        expect(JSON.stringify(err.details)).not.toContain(SERVICE_ROLE_KEY);
      }
    }

    it('answers EXTERNAL_SERVICE_ERROR while it is down', async () => {
      await standIn.stop();
      await expectEveryCallUnavailable(sut);
    });

    it('answers EXTERNAL_SERVICE_ERROR while it fails with 5xx', async () => {
      standIn.failWith(503);
      await expectEveryCallUnavailable(sut);
    });

    it('gives up on a call that hangs, after the configured timeout', async () => {
      const quick = createAuthProvider(
        supabaseConfig(standIn, { requestTimeoutMs: 200 }),
        signing.deps,
      ) as SupabaseAuthProvider;
      standIn.stall();
      const started = performance.now();
      const err = await rejection(quick.checkPassword(enrolledAccount, PASSWORD));
      expect(err.key).toBe('EXTERNAL_SERVICE_ERROR');
      expect(performance.now() - started).toBeLessThan(1_500);
    });

    it('answers EXTERNAL_SERVICE_ERROR, not a wrong password, when the service-role key is refused', async () => {
      const misconfigured = createAuthProvider(
        supabaseConfig(standIn, { serviceRoleKey: 'not-the-key' }),
        signing.deps,
      ) as SupabaseAuthProvider;
      await expectEveryCallUnavailable(misconfigured);
      expect(standIn.user(enrolledAccount.email)).not.toBeNull();
    });

    it('works again as soon as Supabase is back', async () => {
      standIn.failWith(502);
      expect((await rejection(sut.checkPassword(enrolledAccount, PASSWORD))).key).toBe(
        'EXTERNAL_SERVICE_ERROR',
      );
      standIn.recover();
      expect(await sut.checkPassword(enrolledAccount, PASSWORD)).toBe(true);
    });
  });
});
