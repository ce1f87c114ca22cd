/**
 * The signed-in session: the access and refresh tokens, attached to every API call, refreshed
 * silently. The API (gateway/docs/api.md) rotates refresh tokens (each refresh answers a new pair, and a refresh token used
 * twice revokes the whole family), so refreshing is single-flight: however many calls fail with 401
 * at once, exactly one POST /auth/refresh goes out and they all retry with its token. A refresh is
 * also scheduled before the access token expires. When refreshing fails, the session ends and
 * `onExpired` sends the user to the login page.
 */

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token lives. */
  expiresIn: number;
}

export interface TokenStore {
  load(): Tokens | null;
  save(tokens: Tokens | null): void;
}

/** Tokens kept for this browser tab only (a reload stays signed in; closing the tab signs out). */
export const sessionStorageStore = (key = 'prescriptchain.session'): TokenStore => ({
  load() {
    try {
      const raw = sessionStorage.getItem(key);
      return raw ? (JSON.parse(raw) as Tokens) : null;
    } catch {
      return null;
    }
  },
  save(tokens) {
    if (tokens) sessionStorage.setItem(key, JSON.stringify(tokens));
    else sessionStorage.removeItem(key);
  },
});

export const memoryStore = (initial: Tokens | null = null): TokenStore => {
  let tokens = initial;
  return { load: () => tokens, save: (t) => void (tokens = t) };
};

export interface SessionOptions {
  store: TokenStore;
  /** The network (window.fetch in the app). */
  fetch: (request: Request) => Promise<Response>;
  /** Called once when the session can no longer be refreshed. */
  onExpired?: () => void;
  /** Where /auth/refresh is (absolute in tests). */
  refreshUrl?: string;
  /** Refresh this long before the access token expires (ms); 0 turns the timer off. */
  refreshAheadMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/** Calls whose 401 means "wrong credentials", not "token expired": never refreshed. */
const AUTH_CALL = /\/api\/v1\/auth\/(login|refresh|register)$/;

export class Session {
  private tokens: Tokens | null;
  private inflight: Promise<Tokens | null> | null = null;
  private timer: unknown = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: SessionOptions) {
    this.tokens = options.store.load();
    if (this.tokens) this.schedule(this.tokens);
  }

  get accessToken(): string | null {
    return this.tokens?.accessToken ?? null;
  }

  get signedIn(): boolean {
    return this.tokens !== null;
  }

  /** Re-render hooks: called on sign-in, sign-out and expiry. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  signIn(tokens: Tokens): void {
    this.set(tokens);
  }

  /** Forgets the tokens (the caller revokes the refresh token with POST /auth/logout first). */
  signOut(): void {
    this.set(null);
  }

  get refreshToken(): string | null {
    return this.tokens?.refreshToken ?? null;
  }

  /** The fetch the API client uses: adds the bearer token, refreshes once on 401, retries once. */
  readonly fetch = async (request: Request): Promise<Response> => {
    const used = this.tokens?.accessToken ?? null;
    const retry = used && !AUTH_CALL.test(new URL(request.url, 'http://x').pathname) ? request.clone() : null;
    const response = await this.options.fetch(withBearer(request, used));
    if (response.status !== 401 || !retry || (await wrongPassword(request, response))) return response;
    const fresh = await this.refresh(used);
    if (!fresh) return response;
    return this.options.fetch(withBearer(retry, fresh.accessToken));
  };

  /**
   * New tokens for the ones `stale` came from: if another call has refreshed meanwhile, its
   * tokens; if a refresh is on its way, that one; else one POST /auth/refresh. Null when it failed
   * (the session is then over).
   */
  refresh(stale: string | null = this.accessToken): Promise<Tokens | null> {
    if (this.tokens && this.tokens.accessToken !== stale) return Promise.resolve(this.tokens);
    if (this.inflight) return this.inflight;
    const refreshToken = this.tokens?.refreshToken;
    if (!refreshToken) return Promise.resolve(null);
    this.inflight = (async () => {
      try {
        const res = await this.options.fetch(
          new Request(this.options.refreshUrl ?? '/api/v1/auth/refresh', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ refreshToken }),
          }),
        );
        if (!res.ok) throw new Error(`refresh answered ${res.status}`);
        const body = (await res.json()) as { data: Tokens };
        this.set(body.data);
        return body.data;
      } catch {
        this.expire();
        return null;
      } finally {
        this.inflight = null;
      }
    })();
    return this.inflight;
  }

  private expire() {
    if (!this.tokens) return;
    this.set(null);
    this.options.onExpired?.();
  }

  private set(tokens: Tokens | null) {
    this.tokens = tokens;
    this.options.store.save(tokens);
    this.schedule(tokens);
    this.listeners.forEach((l) => l());
  }

  private schedule(tokens: Tokens | null) {
    const { setTimer = setTimeout, clearTimer = (h) => clearTimeout(h as number) } = this.options;
    if (this.timer !== null) clearTimer(this.timer);
    this.timer = null;
    const ahead = this.options.refreshAheadMs ?? 30_000;
    if (!tokens || ahead === 0) return;
    const inMs = Math.max(1_000, tokens.expiresIn * 1000 - ahead);
    const token = tokens.accessToken;
    this.timer = setTimer(() => void this.refresh(token), inMs);
  }
}

/**
 * POST /auth/password answering 401 `1001` (INVALID_CREDENTIALS): the current password typed is
 * wrong — the token is fine, so refreshing it (and rotating the refresh token) would be pointless.
 */
async function wrongPassword(request: Request, response: Response): Promise<boolean> {
  if (!/\/api\/v1\/auth\/password$/.test(new URL(request.url, 'http://x').pathname)) return false;
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as { error?: { code?: string } } | null;
  return body?.error?.code === '1001';
}

function withBearer(request: Request, token: string | null): Request {
  if (!token) return request;
  const headers = new Headers(request.headers);
  headers.set('authorization', `Bearer ${token}`);
  return new Request(request, { headers });
}
