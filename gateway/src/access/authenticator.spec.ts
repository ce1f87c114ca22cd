import { CodedError } from '@prescriptchain/contracts';
import { type CryptoKey, SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { FakeBackendRpc } from '../../test/support/fake-backend-rpc';
import { GatewayMetrics } from '../operations/gateway-metrics';
import { type AccessChangeListener, AccessEvents } from './access-events';
import { AccessTokenVerifier } from './access-token-verifier';
import { Authenticator } from './authenticator';
import { PrincipalCache } from './principal-cache';

const USER = '5f0c3a9e-8b1d-4c6e-9a2f-1b3c4d5e6f70';
const OTHER = '6a1d4b0f-9c2e-4d7f-8b3a-2c4d5e6f7081';
const ISS = 'prescriptchain-identity';
const AUD = 'prescriptchain';

/** Identity's events as a test drives them. */
class TestAccessEvents extends AccessEvents {
  live = true;
  private readonly listeners: AccessChangeListener[] = [];
  isLive() {
    return this.live;
  }
  onChange(listener: AccessChangeListener) {
    this.listeners.push(listener);
  }
  emit(userId: string | null) {
    for (const l of this.listeners) l(userId);
  }
  setLive(live: boolean) {
    this.live = live;
    this.emit(null);
  }
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: Record<string, unknown>;
}

async function signingKey(): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('Ed25519', { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, privateKey, jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, kid, alg: 'EdDSA', use: 'sig' } };
}

/** A token as identity's local auth provider signs it. */
function token(
  key: SigningKey,
  claims: { sub?: string; tep?: number; iss?: string; aud?: string; exp?: number } = {},
) {
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({
    role: 'admin',
    status: 'approved',
    clinicIds: [],
    pharmacyId: null,
    tep: claims.tep ?? 0,
  })
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' })
    .setSubject(claims.sub ?? USER)
    .setIssuer(claims.iss ?? ISS)
    .setAudience(claims.aud ?? AUD)
    .setIssuedAt(iat)
    .setExpirationTime(claims.exp ?? iat + 900)
    .sign(key.privateKey);
}

const principal = (userId = USER, role = 'admin') => ({
  userId,
  role,
  status: 'approved',
  clinicIds: [],
  pharmacyId: null,
  via: 'token',
});

describe(Authenticator.name, () => {
  let key: SigningKey;
  let rpc: FakeBackendRpc;
  let events: TestAccessEvents;
  let metrics: GatewayMetrics;
  let sut: Authenticator;
  let published: SigningKey[];
  const authCalls = () => rpc.calls.filter((c) => c.pattern === 'identity.auth.authenticate');
  const jwksCalls = () => rpc.calls.filter((c) => c.pattern === 'identity.auth.jwks');
  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (e) => (e as CodedError).code,
    );

  beforeAll(async () => {
    key = await signingKey();
  });

  beforeEach(() => {
    rpc = new FakeBackendRpc();
    published = [key];
    rpc.replies.set('identity.auth.jwks', () => ({ keys: published.map((k) => k.jwk) }));
    rpc.replies.set('identity.auth.authenticate', (data: { claims?: { sub: string } }) =>
      principal(data.claims?.sub ?? USER),
    );
    events = new TestAccessEvents();
    metrics = new GatewayMetrics();
    sut = new Authenticator(
      rpc,
      new AccessTokenVerifier(rpc, { issuer: ISS, audience: AUD }),
      new PrincipalCache({ ttlMs: 30_000, maxEntries: 100 }),
      events,
      metrics,
    );
  });

  it('asks identity once with the verified claims, then serves the principal without asking', async () => {
    const t = await token(key, { tep: 2 });
    await expect(sut.authenticate({ accessToken: t })).resolves.toMatchObject({ userId: USER });
    await expect(sut.authenticate({ accessToken: t })).resolves.toMatchObject({ userId: USER });
    await expect(sut.authenticate({ accessToken: await token(key, { tep: 2 }) })).resolves.toMatchObject({
      userId: USER,
    });
    expect(authCalls().map((c) => c.data)).toEqual([
      { claims: { sub: USER, exp: expect.any(Number), tokenEpoch: 2 } },
    ]);
    expect(jwksCalls()).toHaveLength(1);
    const lookups = await metrics.registry.getSingleMetricAsString('auth_principal_lookups_total');
    expect(lookups).toContain('outcome="hit"} 2');
    expect(lookups).toContain('outcome="miss"} 1');
  });

  it('asks identity again for a token of another epoch (after a password change) and after an event about the user', async () => {
    await sut.authenticate({ accessToken: await token(key) });
    await sut.authenticate({ accessToken: await token(key, { tep: 1 }) });
    expect(authCalls()).toHaveLength(2);
    events.emit(OTHER);
    await sut.authenticate({ accessToken: await token(key, { tep: 1 }) });
    expect(authCalls()).toHaveLength(2);
    events.emit(USER);
    rpc.replies.set('identity.auth.authenticate', () =>
      Promise.reject(new CodedError('ACCOUNT_NOT_APPROVED')),
    );
    expect(await codeOf(sut.authenticate({ accessToken: await token(key, { tep: 1 }) }))).toBe('1004');
    // Refusals are not cached: identity is asked each time.
    expect(await codeOf(sut.authenticate({ accessToken: await token(key, { tep: 1 }) }))).toBe('1004');
    expect(authCalls()).toHaveLength(4);
  });

  it('forgets a user at once when this gateway changed them', async () => {
    const t = await token(key);
    await sut.authenticate({ accessToken: t });
    sut.forget(USER);
    await sut.authenticate({ accessToken: t });
    expect(authCalls()).toHaveLength(2);
  });

  it('does not keep an answer identity gave while an event about the user came in', async () => {
    let release!: () => void;
    const asked = new Promise<void>((askedResolve) =>
      rpc.replies.set('identity.auth.authenticate', () => {
        askedResolve();
        return new Promise((resolve) => (release = () => resolve(principal())));
      }),
    );
    const t = await token(key);
    const first = sut.authenticate({ accessToken: t });
    await asked;
    events.emit(USER); // e.g. identity.user.suspended, committed after identity read the user
    release();
    await first;
    rpc.replies.set('identity.auth.authenticate', () =>
      Promise.reject(new CodedError('ACCOUNT_NOT_APPROVED')),
    );
    expect(await codeOf(sut.authenticate({ accessToken: t }))).toBe('1004');
  });

  it('fails closed without the subscription: identity authenticates the raw token every time, and nothing cached survives', async () => {
    const t = await token(key);
    await sut.authenticate({ accessToken: t });
    events.setLive(false);
    await sut.authenticate({ accessToken: t });
    await sut.authenticate({ accessToken: t });
    expect(
      authCalls()
        .slice(1)
        .map((c) => c.data),
    ).toEqual([{ accessToken: t }, { accessToken: t }]);
    // Back up: the cache was dropped (events may have been missed), so identity is asked once more.
    events.setLive(true);
    await sut.authenticate({ accessToken: t });
    await sut.authenticate({ accessToken: t });
    expect(authCalls()).toHaveLength(4);
    expect(await metrics.registry.getSingleMetricAsString('auth_principal_lookups_total')).toContain(
      'outcome="unsubscribed"} 2',
    );
  });

  it('always asks identity about an API key', async () => {
    await sut.authenticate({ apiKey: 'pc_live_k' });
    await sut.authenticate({ apiKey: 'pc_live_k' });
    expect(authCalls().map((c) => c.data)).toEqual([{ apiKey: 'pc_live_k' }, { apiKey: 'pc_live_k' }]);
  });

  it('refuses tampered tokens, unknown keys and foreign issuers or audiences with 1001, expired ones with 1002, without asking identity', async () => {
    const good = await token(key);
    const [h, p, s] = good.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const tampered = [
      h,
      Buffer.from(JSON.stringify({ ...claims, sub: OTHER })).toString('base64url'),
      s,
    ].join('.');
    const stranger = await signingKey();
    const unsigned = [
      Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url'),
      p,
      '',
    ].join('.');
    const cases: [string, string][] = [
      ['tampered', tampered],
      ['unknown key', await token(stranger)],
      ['alg none', unsigned],
      ['foreign issuer', await token(key, { iss: 'someone-else' })],
      ['foreign audience', await token(key, { aud: 'another-app' })],
      ['not a JWT', 'abc.def'],
      ['expired', await token(key, { exp: Math.floor(Date.now() / 1000) - 60 })],
    ];
    const codes = [];
    for (const [name, accessToken] of cases)
      codes.push([name, await codeOf(sut.authenticate({ accessToken }))]);
    expect(codes).toEqual([
      ['tampered', '1001'],
      ['unknown key', '1001'],
      ['alg none', '1001'],
      ['foreign issuer', '1001'],
      ['foreign audience', '1001'],
      ['not a JWT', '1001'],
      ['expired', '1002'],
    ]);
    expect(authCalls()).toHaveLength(0);
    // An unknown kid re-reads the keys at most once a second, so forged kids cost identity nothing.
    expect(jwksCalls()).toHaveLength(1);
  });

  it('picks up a key identity just rotated in, re-reading its JWKS on the unknown kid', async () => {
    let now = Date.now();
    const verifier = new AccessTokenVerifier(rpc, { issuer: ISS, audience: AUD, now: () => now });
    await verifier.verify(await token(key));
    const rotated = await signingKey();
    published = [rotated, key];
    now += 1_500;
    await expect(verifier.verify(await token(rotated))).resolves.toMatchObject({ sub: USER });
    expect(jwksCalls()).toHaveLength(2);
  });

  it("answers identity's unavailability while reading its keys as that error, not as a bad token", async () => {
    rpc.down.add('identity');
    expect(await codeOf(sut.authenticate({ accessToken: await token(key) }))).toBe('GATEWAY_TIMEOUT');
  });
});

describe(PrincipalCache.name, () => {
  it('keeps at most maxEntries users, the least recently used going first, each for ttlMs', () => {
    let now = 0;
    const cache = new PrincipalCache({ ttlMs: 1_000, maxEntries: 2, now: () => now });
    const a = principal('a'),
      b = principal('b'),
      c = principal('c');
    cache.set(cache.ticket(), 0, a as never);
    cache.set(cache.ticket(), 0, b as never);
    expect(cache.get('a', 0)).toBe(a); // a is now the most recent
    cache.set(cache.ticket(), 0, c as never);
    expect([cache.get('a', 0), cache.get('b', 0), cache.get('c', 0)]).toEqual([a, undefined, c]);
    now = 1_000;
    expect([cache.get('a', 0), cache.size]).toEqual([undefined, 1]);
  });

  it('stores nothing with a ticket taken before an invalidation, or with a TTL of 0', () => {
    const cache = new PrincipalCache({ ttlMs: 1_000, maxEntries: 10 });
    const ticket = cache.ticket();
    cache.forget('x');
    expect(cache.set(ticket, 0, principal('a') as never)).toBe(false);
    const off = new PrincipalCache({ ttlMs: 0, maxEntries: 10 });
    expect(off.set(off.ticket(), 0, principal('a') as never)).toBe(false);
  });
});
