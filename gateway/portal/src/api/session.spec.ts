import { Session, memoryStore, type Tokens } from './session';

const BASE = 'http://portal.test';

/**
 * A stand-in for the gateway's token rules (gateway/docs/api.md, Identity): an access token is valid until
 * `expire()`; /auth/refresh rotates — the refresh token it is given becomes used, a used one
 * revokes the whole family (401 1002) — and counts how often it was called.
 */
class FakeAuthApi {
  private generation = 0;
  private validAccess = new Set<string>();
  private validRefresh = new Set<string>();
  private revoked = false;
  refreshCalls = 0;
  seen: { path: string; auth: string | null }[] = [];

  issue(): Tokens {
    this.generation++;
    const t = { accessToken: `access-${this.generation}`, refreshToken: `refresh-${this.generation}`, expiresIn: 900 };
    this.validAccess.add(t.accessToken);
    this.validRefresh.add(t.refreshToken);
    return t;
  }

  expireAccessTokens() {
    this.validAccess.clear();
  }

  readonly fetch = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    const auth = request.headers.get('authorization');
    this.seen.push({ path, auth });
    if (path === '/api/v1/auth/refresh') {
      this.refreshCalls++;
      const { refreshToken } = (await request.json()) as { refreshToken: string };
      await new Promise((r) => setTimeout(r, 5)); // concurrent callers overlap
      if (this.revoked || !this.validRefresh.has(refreshToken)) {
        this.revoked = true; // reuse of a rotated token revokes the family
        return json(401, { success: false, error: { code: '1002', message: 'Session expired.' } });
      }
      this.validRefresh.delete(refreshToken);
      return json(200, { success: true, data: this.issue() });
    }
    const token = auth?.replace(/^Bearer /, '');
    if (!token || !this.validAccess.has(token))
      return json(401, { success: false, error: { code: '1002', message: 'Token expired.' } });
    return json(200, { success: true, data: { path, body: request.method === 'POST' ? await request.text() : null } });
  };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function setup() {
  const server = new FakeAuthApi();
  const store = memoryStore(server.issue());
  const expired = jest.fn();
  const session = new Session({
    store,
    fetch: server.fetch,
    onExpired: expired,
    refreshUrl: `${BASE}/api/v1/auth/refresh`,
    refreshAheadMs: 0,
  });
  return { server, store, session, expired };
}

describe('the portal session (token refresh)', () => {
  it('sends the access token as a bearer token', async () => {
    const { server, session } = setup();
    const res = await session.fetch(new Request(`${BASE}/api/v1/auth/me`));
    expect(res.status).toBe(200);
    expect(server.seen[0].auth).toBe('Bearer access-1');
  });

  it('refreshes once on 401 and retries the call — with its body — using the rotated token', async () => {
    const { server, session, store } = setup();
    server.expireAccessTokens();
    const res = await session.fetch(new Request(`${BASE}/api/v1/orders`, { method: 'POST', body: '{"a":1}' }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { body: string } }).data.body).toBe('{"a":1}');
    expect(server.refreshCalls).toBe(1);
    expect(store.load()).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2' });
    expect(server.seen.map((s) => s.auth)).toEqual(['Bearer access-1', null, 'Bearer access-2']);
  });

  it('shares ONE refresh among calls that fail together, so rotation never reuses a refresh token', async () => {
    const { server, session, expired } = setup();
    server.expireAccessTokens();
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) => session.fetch(new Request(`${BASE}/api/v1/orders/${i}`))),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(server.refreshCalls).toBe(1);
    expect(expired).not.toHaveBeenCalled();
    // And later the next expiry refreshes with the NEW refresh token, which the server accepts.
    server.expireAccessTokens();
    expect((await session.fetch(new Request(`${BASE}/api/v1/orders`))).status).toBe(200);
    expect(server.refreshCalls).toBe(2);
  });

  it('ends the session when the refresh fails: the 401 is answered and onExpired sends the user to login', async () => {
    const { server, session, expired, store } = setup();
    server.expireAccessTokens();
    // The refresh token was rotated elsewhere (e.g. stolen and used): the server refuses it.
    await server.fetch(
      new Request(`${BASE}/api/v1/auth/refresh`, { method: 'POST', body: JSON.stringify({ refreshToken: 'refresh-1' }) }),
    );
    const res = await session.fetch(new Request(`${BASE}/api/v1/auth/me`));
    expect(res.status).toBe(401);
    expect(expired).toHaveBeenCalledTimes(1);
    expect(session.signedIn).toBe(false);
    expect(store.load()).toBeNull();
  });

  it('never refreshes for a wrong password (the login call itself answering 401)', async () => {
    const server = new FakeAuthApi();
    const session = new Session({ store: memoryStore(server.issue()), fetch: server.fetch, refreshAheadMs: 0 });
    const login = jest.fn(async () => json(401, { success: false, error: { code: '1001' } }));
    const s2 = new Session({ store: memoryStore(server.issue()), fetch: login, refreshAheadMs: 0 });
    expect((await s2.fetch(new Request(`${BASE}/api/v1/auth/login`, { method: 'POST', body: '{}' }))).status).toBe(401);
    expect(login).toHaveBeenCalledTimes(1);
    expect(session.signedIn).toBe(true);
  });

  it('does not refresh when changing the password fails for a wrong current password, but does for an expired token', async () => {
    const { server, session } = setup();
    const wrong = jest.fn(async () => json(401, { success: false, error: { code: '1001', message: 'The current password is not right.' } }));
    const s2 = new Session({ store: memoryStore(server.issue()), fetch: wrong, refreshAheadMs: 0 });
    const change = () => new Request(`${BASE}/api/v1/auth/password`, { method: 'POST', body: '{}' });
    expect((await s2.fetch(change())).status).toBe(401);
    expect(wrong).toHaveBeenCalledTimes(1);
    expect(s2.signedIn).toBe(true);
    // An expired access token on the same call is refreshed and the call retried, as everywhere.
    server.expireAccessTokens();
    expect((await session.fetch(change())).status).toBe(200);
    expect(server.refreshCalls).toBe(1);
  });

  it('refreshes silently before the access token expires', async () => {
    const server = new FakeAuthApi();
    const timers: { fn: () => void; ms: number }[] = [];
    const session = new Session({
      store: memoryStore(server.issue()),
      fetch: server.fetch,
      refreshUrl: `${BASE}/api/v1/auth/refresh`,
      refreshAheadMs: 60_000,
      setTimer: (fn, ms) => timers.push({ fn, ms }),
      clearTimer: () => undefined,
    });
    // 900 s token, refreshed 60 s early.
    expect(timers.map((t) => t.ms)).toEqual([840_000]);
    timers[0].fn();
    await new Promise((r) => setTimeout(r, 20));
    expect(server.refreshCalls).toBe(1);
    expect(session.accessToken).toBe('access-2');
    expect(timers).toHaveLength(2); // the next refresh is scheduled for the new token
  });
});
