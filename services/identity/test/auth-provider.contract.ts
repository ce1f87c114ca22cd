/**
 * The behaviour every AuthProvider adapter owes identity, whoever keeps the passwords. Each adapter
 * runs it from its own spec with `describeAuthProviderContract(name, makeProvider)`.
 */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { CodedError } from '@prescriptchain/contracts';
import { type TestDatabase, createTestDatabase } from '../../../test/support/infra';
import { TestClock } from '../../../test/support/test-clock';
import { migrate } from '../../../tools/migrate';
import { PiiCipher } from '../src/adapters/outbound/crypto/pii-cipher';
import { IdentityPrismaService } from '../src/adapters/outbound/prisma/identity-prisma.service';
import { PrismaSigningKeyStore } from '../src/adapters/outbound/prisma/prisma-signing-key.store';
import type { AuthProviderDeps } from '../src/adapters/outbound/supabase/auth-provider.factory';
import { IdentityConfig } from '../src/application/identity-config';
import type { AccessClaims, AuthProvider } from '../src/application/ports/auth-provider';
import { localAuthOptions } from '../src/identity-core.module';

export interface ProviderUnderTest {
  provider: AuthProvider;
  /** The provider's notion of time, moved forward by hand (token expiry) instead of sleeping. */
  clock: TestClock;
  close(): Promise<void>;
}

/**
 * The signing machinery both providers share, on a throw-away PostgreSQL database with identity's
 * migrations: signing keys in the real table, private halves encrypted, cheap argon2 for speed.
 */
export async function signingOnPostgres(
  name: string,
): Promise<{ deps: AuthProviderDeps; clock: TestClock; close(): Promise<void> }> {
  const db: TestDatabase = await createTestDatabase(name);
  try {
    await migrate(db.url, path.join(__dirname, '..', 'prisma', 'migrations'));
  } catch (err) {
    await db.drop();
    throw err;
  }
  const prisma = new IdentityPrismaService(db.url);
  const clock = new TestClock();
  const config = IdentityConfig.fromEnv(
    {},
    { databaseUrl: db.url, argon2: { memoryCost: 1024, timeCost: 1, parallelism: 1 } },
  );
  return {
    clock,
    deps: {
      signingKeys: new PrismaSigningKeyStore(prisma),
      cipher: PiiCipher.developmentKey(),
      clock,
      local: localAuthOptions(config),
    },
    async close() {
      await prisma.$disconnect();
      await db.drop();
    },
  };
}

const PASSWORD = 'Herbal tea at seven, 茶';

function account() {
  const userId = randomUUID();
  return { userId, email: `contract.${userId.slice(0, 8)}@example.co.nz` };
}

function claimsFor(sub: string): AccessClaims {
  return {
    sub,
    role: 'pharmacy_operator',
    status: 'approved',
    clinicIds: [randomUUID(), randomUUID()],
    pharmacyId: randomUUID(),
    tokenEpoch: 3,
  };
}

async function errorKey(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (err) {
    if (err instanceof CodedError) return err.key;
    throw err;
  }
}

const part = (token: string, i: number) =>
  JSON.parse(Buffer.from(token.split('.')[i], 'base64url').toString());

export function describeAuthProviderContract(
  name: string,
  makeProvider: () => Promise<ProviderUnderTest>,
): void {
  describe(`${name} honours the AuthProvider contract`, () => {
    let sut: ProviderUnderTest;

    beforeAll(async () => {
      sut = await makeProvider();
      await sut.provider.start();
    });
    afterAll(async () => {
      await sut?.close();
    });

    /** Enrols an account and returns it as identity would pass it back to checkPassword. */
    async function enrolled(password = PASSWORD) {
      const a = account();
      const passwordHash = await sut.provider.enrolPassword(a, password);
      return { ...a, passwordHash };
    }

    it('accepts the enrolled password and refuses a wrong one', async () => {
      const a = await enrolled();
      expect(await sut.provider.checkPassword(a, PASSWORD)).toBe(true);
      expect(await sut.provider.checkPassword(a, 'Herbal tea at eight, 茶')).toBe(false);
      expect(await sut.provider.checkPassword(a, PASSWORD.toLowerCase())).toBe(false);
      expect(await sut.provider.checkPassword(a, '')).toBe(false);
    });

    it('replaces a password: the new one is accepted and the old one refused', async () => {
      const a = await enrolled();
      const passwordHash = await sut.provider.setPassword(a, 'a brand new passphrase 2026');
      const changed = { ...a, passwordHash: passwordHash ?? a.passwordHash };
      expect(await sut.provider.checkPassword(changed, 'a brand new passphrase 2026')).toBe(true);
      expect(await sut.provider.checkPassword(changed, PASSWORD)).toBe(false);
    });

    it("refuses one account's password for another account", async () => {
      const a = await enrolled('the first account passphrase');
      const b = await enrolled('the second account passphrase');
      expect(await sut.provider.checkPassword(b, 'the first account passphrase')).toBe(false);
      expect(await sut.provider.checkPassword(a, 'the first account passphrase')).toBe(true);
    });

    it('answers false for an unknown account, whatever the password', async () => {
      await enrolled();
      expect(await sut.provider.checkPassword(null, PASSWORD)).toBe(false);
      expect(await sut.provider.checkPassword(null, 'anything at all 123')).toBe(false);
    });

    it('round-trips the claims through issue and verify, with the advertised lifetime', async () => {
      const claims = claimsFor(randomUUID());
      const { accessToken, expiresIn } = await sut.provider.issueAccessToken(claims);
      expect(expiresIn).toBeGreaterThan(0);
      const verified = await sut.provider.verifyAccessToken(accessToken);
      expect(verified).toEqual({ ...claims, exp: expect.any(Number) });
      const now = Math.floor(sut.clock.now().getTime() / 1000);
      expect(verified.exp - now).toBeGreaterThanOrEqual(expiresIn - 1);
      expect(verified.exp - now).toBeLessThanOrEqual(expiresIn);
    });

    it('answers INVALID_CREDENTIALS for a tampered, re-signed or malformed token', async () => {
      const { accessToken } = await sut.provider.issueAccessToken(claimsFor(randomUUID()));
      const [head, body, signature] = accessToken.split('.');
      const elevated = Buffer.from(JSON.stringify({ ...part(accessToken, 1), role: 'admin' })).toString(
        'base64url',
      );
      const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
      const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${body}.`;
      for (const token of [
        `${head}.${elevated}.${signature}`,
        `${head}.${body}.${flipped}`,
        unsigned,
        'not-a-token',
        '',
      ]) {
        expect(await errorKey(sut.provider.verifyAccessToken(token))).toBe('INVALID_CREDENTIALS');
      }
    });

    it('answers TOKEN_EXPIRED once the token has outlived its lifetime', async () => {
      const { accessToken, expiresIn } = await sut.provider.issueAccessToken(claimsFor(randomUUID()));
      sut.clock.advanceSeconds(expiresIn + 1);
      expect(await errorKey(sut.provider.verifyAccessToken(accessToken))).toBe('TOKEN_EXPIRED');
    });

    it('publishes the kid of issued tokens in the JWKS, public parts only', async () => {
      const { accessToken } = await sut.provider.issueAccessToken(claimsFor(randomUUID()));
      const { kid, alg } = part(accessToken, 0);
      const { keys } = await sut.provider.jwks();
      const key = keys.find((k) => k.kid === kid);
      expect(key).toMatchObject({ kid, alg, use: 'sig', kty: 'OKP', crv: 'Ed25519' });
      for (const k of keys) expect(Object.keys(k)).not.toContain('d');
    });
  });
}
