import { SignJWT, generateKeyPair } from 'jose';
import { TestClock } from '../../../../../../test/support/test-clock';
import type { AccessClaims } from '../../../application/ports/auth-provider';
import { PiiCipher } from '../crypto/pii-cipher';
import { type LocalAuthOptions, LocalAuthProvider } from './local-auth.provider';
import type { SigningKeyChanges, SigningKeyRecord, SigningKeyStore } from './signing-key.store';

/** The signing-key table in memory: what the Prisma store does, minus the database. */
class InMemorySigningKeys implements SigningKeyStore {
  rows: SigningKeyRecord[] = [];
  async list() {
    return this.rows.filter((r) => r.status !== 'retired').map((r) => ({ ...r }));
  }
  async change(decide: (current: SigningKeyRecord[]) => Promise<SigningKeyChanges | null>) {
    const changes = await decide(await this.list());
    if (!changes) return false;
    for (const r of this.rows) {
      if (changes.retire.includes(r.kid)) r.status = 'retired';
      if (changes.demote.includes(r.kid)) Object.assign(r, { status: 'previous', rotatedOutAt: changes.at });
    }
    if (changes.add) this.rows.push({ ...changes.add });
    return true;
  }
}

const options: LocalAuthOptions = {
  issuer: 'prescriptchain-identity',
  audience: 'prescriptchain',
  accessTokenTtlSeconds: 900,
  rotateAfterSeconds: 30 * 86_400,
  retentionSeconds: 3_600,
  cacheSeconds: 60,
  argon2: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
};

const claims: AccessClaims = {
  sub: '0d4c8a3e-5b7f-4c2a-9e1d-3f6a8b9c0d11',
  role: 'practitioner',
  status: 'approved',
  clinicIds: ['1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e55'],
  pharmacyId: null,
  tokenEpoch: 2,
};

async function keyOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (e) {
    return (e as { key?: string }).key ?? String(e);
  }
}

describe(LocalAuthProvider.name, () => {
  let keys: InMemorySigningKeys;
  let clock: TestClock;
  let sut: LocalAuthProvider;

  beforeEach(async () => {
    keys = new InMemorySigningKeys();
    clock = new TestClock(new Date('2026-11-22T00:00:00Z'));
    sut = new LocalAuthProvider(keys, PiiCipher.developmentKey(), options, clock);
    await sut.start();
  });

  it('creates one signing key at start-up, with its private half encrypted', async () => {
    await sut.start();
    expect(keys.rows).toHaveLength(1);
    expect(keys.rows[0].privateKeyEnc).toMatch(/^dev:/);
    expect(keys.rows[0].privateKeyEnc).not.toContain('PRIVATE KEY');
  });

  it('issues EdDSA tokens with a kid, 15 minutes long, that verify back to their claims', async () => {
    const { accessToken, expiresIn } = await sut.issueAccessToken(claims);
    const header = JSON.parse(Buffer.from(accessToken.split('.')[0], 'base64url').toString());
    expect(header).toEqual({ alg: 'EdDSA', kid: keys.rows[0].kid, typ: 'JWT' });
    expect(expiresIn).toBe(900);
    const verified = await sut.verifyAccessToken(accessToken);
    expect(verified).toEqual({ ...claims, exp: Math.floor(clock.now().getTime() / 1000) + 900 });
  });

  it('publishes the verifying key in the JWKS without any private part', async () => {
    const { keys: jwks } = await sut.jwks();
    expect(jwks).toEqual([
      { kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: keys.rows[0].kid, alg: 'EdDSA', use: 'sig' },
    ]);
  });

  it('keeps tokens signed before a rotation valid, and lists both keys in the JWKS', async () => {
    const before = (await sut.issueAccessToken(claims)).accessToken;
    const oldKid = keys.rows[0].kid;
    const newKid = await sut.rotate();
    expect(newKid).not.toBe(oldKid);
    const after = (await sut.issueAccessToken(claims)).accessToken;
    expect(JSON.parse(Buffer.from(after.split('.')[0], 'base64url').toString()).kid).toBe(newKid);
    expect((await sut.verifyAccessToken(before)).sub).toBe(claims.sub);
    expect((await sut.jwks()).keys.map((k) => k.kid).sort()).toEqual([oldKid, newKid].sort());
  });

  it('stops accepting the old key once its retention has passed', async () => {
    const oldKid = keys.rows[0].kid;
    await sut.rotate();
    clock.advanceSeconds(3_601);
    expect((await sut.jwks()).keys.map((k) => k.kid)).not.toContain(oldKid);
    expect(keys.rows.find((k) => k.kid === oldKid)?.status).toBe('retired');
  });

  it('never retires a key before the tokens it signed expire, whatever the configured retention', async () => {
    const short = new LocalAuthProvider(
      keys,
      PiiCipher.developmentKey(),
      { ...options, retentionSeconds: 1 },
      clock,
    );
    const token = (await short.issueAccessToken(claims)).accessToken;
    await short.rotate();
    clock.advanceSeconds(600);
    expect((await short.verifyAccessToken(token)).sub).toBe(claims.sub);
  });

  it('picks up a key another replica rotated in, without waiting for its cache', async () => {
    const replica = new LocalAuthProvider(keys, PiiCipher.developmentKey(), options, clock);
    await sut.jwks(); // warm this process's cache
    await replica.rotate();
    const fromReplica = (await replica.issueAccessToken(claims)).accessToken;
    clock.advanceSeconds(2);
    expect((await sut.verifyAccessToken(fromReplica)).sub).toBe(claims.sub);
  });

  it('rotates by itself when the active key reaches its age', async () => {
    const firstKid = keys.rows[0].kid;
    clock.advanceSeconds(30 * 86_400 + 61);
    await sut.issueAccessToken(claims);
    expect(keys.rows.find((k) => k.status === 'active')?.kid).not.toBe(firstKid);
  });

  it('answers TOKEN_EXPIRED for an expired token', async () => {
    const { accessToken } = await sut.issueAccessToken(claims);
    clock.advanceSeconds(901);
    expect(await keyOf(sut.verifyAccessToken(accessToken))).toBe('TOKEN_EXPIRED');
  });

  it('answers INVALID_CREDENTIALS for a token signed by a key we never published, or altered', async () => {
    const { privateKey } = await generateKeyPair('Ed25519');
    const forged = await new SignJWT({ ...claims, role: 'admin' })
      .setProtectedHeader({ alg: 'EdDSA', kid: keys.rows[0].kid })
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      .setExpirationTime('15m')
      .sign(privateKey);
    expect(await keyOf(sut.verifyAccessToken(forged))).toBe('INVALID_CREDENTIALS');

    const [h, , s] = (await sut.issueAccessToken(claims)).accessToken.split('.');
    const altered = Buffer.from(JSON.stringify({ ...claims, role: 'admin', exp: 9_999_999_999 })).toString(
      'base64url',
    );
    expect(await keyOf(sut.verifyAccessToken(`${h}.${altered}.${s}`))).toBe('INVALID_CREDENTIALS');
    expect(await keyOf(sut.verifyAccessToken('not-a-token'))).toBe('INVALID_CREDENTIALS');
  });

  it('hashes passwords with argon2id and checks them', async () => {
    const hash = (await sut.enrolPassword({ userId: claims.sub, email: 'a@b.nz' }, 'correct horse battery'))!;
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(
      await sut.checkPassword(
        { userId: claims.sub, email: 'a@b.nz', passwordHash: hash },
        'correct horse battery',
      ),
    ).toBe(true);
    expect(
      await sut.checkPassword(
        { userId: claims.sub, email: 'a@b.nz', passwordHash: hash },
        'wrong horse battery',
      ),
    ).toBe(false);
    expect(await sut.checkPassword(null, 'correct horse battery')).toBe(false);
  });
});
