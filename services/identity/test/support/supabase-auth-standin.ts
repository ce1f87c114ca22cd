/**
 * A local stand-in for Supabase Auth (GoTrue) speaking exactly the endpoints SupabaseAuthProvider
 * calls through @supabase/supabase-js 2.119, with GoTrue's paths, headers and response shapes:
 *
 *   POST   /auth/v1/admin/users                 create a user (service role)
 *   GET    /auth/v1/admin/users/:id             read one (supabase-js calls it before a delete)
 *   DELETE /auth/v1/admin/users/:id             delete one and its sessions (service role)
 *   PUT    /auth/v1/admin/users/:id             update one (its password) (service role)
 *   POST   /auth/v1/token?grant_type=password   sign in → a session (HS256 access token)
 *   POST   /auth/v1/logout?scope=local|others|global   end sessions (the user's own access token)
 *
 * Every request needs `apikey: <service role key>`; admin calls also need
 * `Authorization: Bearer <service role key>`. Errors use GoTrue's 2024-01-01 shape
 * `{ code, message }` with the `X-Supabase-Api-Version` header, which supabase-js reads codes from.
 * Users and sessions live in memory. It can be told to fail every request or to never answer.
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface SupabaseAuthStandInOptions {
  serviceRoleKey: string;
  /** GoTrue's minimum password length (its default is 6). */
  minPasswordLength?: number;
  /** Time a password check on an existing user takes (bcrypt, on the real server); 0 by default. */
  passwordWorkMs?: number;
}

interface StoredUser {
  id: string;
  email: string;
  passwordDigest: Buffer;
  emailConfirmedAt: string | null;
  createdAt: string;
  updatedAt: string;
  lastSignInAt: string | null;
  userMetadata: Record<string, unknown>;
  appMetadata: Record<string, unknown>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const API_VERSION = '2024-01-01';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ACCESS_TOKEN_TTL_SECONDS = 3600;

export class SupabaseAuthStandIn {
  /** Every request received, in order, as `METHOD /path?query`. */
  readonly requests: string[] = [];
  private readonly users = new Map<string, StoredUser>();
  /** session id → user id */
  private readonly sessions = new Map<string, string>();
  private readonly jwtSecret = randomBytes(32);
  private mode: { kind: 'normal' } | { kind: 'fail'; status: number; path: string } | { kind: 'stall' } = {
    kind: 'normal',
  };

  private constructor(
    private readonly server: Server,
    private readonly options: Required<SupabaseAuthStandInOptions>,
  ) {}

  static async start(options: SupabaseAuthStandInOptions): Promise<SupabaseAuthStandIn> {
    const server = createServer();
    const standIn = new SupabaseAuthStandIn(server, { minPasswordLength: 6, passwordWorkMs: 0, ...options });
    server.on('request', (req, res) => void standIn.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return standIn;
  }

  /** The project URL to give supabase-js (it appends /auth/v1). */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** What the stand-in holds for an email (never the password), or null. */
  user(email: string): { id: string; email: string; emailConfirmed: boolean; liveSessions: number } | null {
    const user = this.findByEmail(email);
    if (!user) return null;
    const liveSessions = [...this.sessions.values()].filter((id) => id === user.id).length;
    return { id: user.id, email: user.email, emailConfirmed: user.emailConfirmedAt !== null, liveSessions };
  }

  /** From now on answer every request (or those whose path starts with `path`) with this status, as a failing upstream would. */
  failWith(status: number, path = '/'): void {
    this.mode = { kind: 'fail', status, path };
  }

  /** From now on accept requests and never answer them. */
  stall(): void {
    this.mode = { kind: 'stall' };
  }

  recover(): void {
    this.mode = { kind: 'normal' };
  }

  async stop(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (this.mode.kind === 'stall') return; // the socket stays open until the client gives up
    try {
      if (this.mode.kind === 'fail' && url.pathname.startsWith(this.mode.path)) {
        throw new HttpError(this.mode.status, null, 'upstream unavailable');
      }
      // The API gateway in front of GoTrue rejects a missing or unknown key before GoTrue sees it.
      if (!this.isServiceRoleKey(header(req, 'apikey'))) throw new HttpError(401, null, 'Invalid API key');
      const body = await readJson(req);
      const { status, json } = await this.route(req, url, body);
      send(res, status, json);
    } catch (err) {
      if (err instanceof HttpError) {
        send(res, err.status, {
          ...(err.code ? { code: err.code } : {}),
          message: err.message,
          ...err.extra,
        });
      } else {
        send(res, 500, { code: 'unexpected_failure', message: String(err) });
      }
    }
  }

  private async route(
    req: IncomingMessage,
    url: URL,
    body: any,
  ): Promise<{ status: number; json?: unknown }> {
    const path = url.pathname;
    const userPath = /^\/auth\/v1\/admin\/users\/([^/]+)$/.exec(path);
    if (req.method === 'POST' && path === '/auth/v1/admin/users') {
      this.requireServiceRole(req);
      return { status: 200, json: this.createUser(body) };
    }
    if (userPath && req.method === 'PUT') {
      this.requireServiceRole(req);
      const user = this.users.get(userPath[1]);
      if (!UUID.test(userPath[1]) || !user) throw new HttpError(404, 'user_not_found', 'User not found');
      if (typeof body?.password === 'string') {
        if (body.password.length < this.options.minPasswordLength)
          throw new HttpError(
            422,
            'weak_password',
            `Password should be at least ${this.options.minPasswordLength} characters.`,
            { weak_password: { reasons: ['length'] } },
          );
        user.passwordDigest = digest(body.password);
        user.updatedAt = new Date().toISOString();
      }
      return { status: 200, json: view(user) };
    }
    if (userPath && (req.method === 'GET' || req.method === 'DELETE')) {
      this.requireServiceRole(req);
      const user = this.users.get(userPath[1]);
      if (!UUID.test(userPath[1]) || !user) throw new HttpError(404, 'user_not_found', 'User not found');
      if (req.method === 'GET') return { status: 200, json: view(user) };
      this.users.delete(user.id);
      for (const [session, owner] of this.sessions) if (owner === user.id) this.sessions.delete(session);
      return { status: 200, json: {} };
    }
    if (req.method === 'POST' && path === '/auth/v1/token') {
      const grant = url.searchParams.get('grant_type');
      if (grant !== 'password')
        throw new HttpError(400, 'validation_failed', `unsupported_grant_type: ${grant}`);
      return { status: 200, json: await this.signIn(body) };
    }
    if (req.method === 'POST' && path === '/auth/v1/logout') {
      this.logout(req, url.searchParams.get('scope') ?? 'global');
      return { status: 204 };
    }
    throw new HttpError(
      404,
      'not_found',
      `${req.method} ${path} is not a Supabase Auth endpoint this stand-in serves`,
    );
  }

  private createUser(body: any): unknown {
    const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
    if (!EMAIL.test(email))
      throw new HttpError(400, 'validation_failed', 'Unable to validate email address: invalid format');
    if (body.id !== undefined && (typeof body.id !== 'string' || !UUID.test(body.id))) {
      throw new HttpError(400, 'validation_failed', 'id must be a UUID');
    }
    if (this.findByEmail(email)) {
      throw new HttpError(422, 'email_exists', 'A user with this email address has already been registered');
    }
    if (body.id && this.users.has(body.id))
      throw new HttpError(422, 'user_already_exists', 'User already registered');
    const password = typeof body.password === 'string' ? body.password : '';
    if (password.length < this.options.minPasswordLength) {
      throw new HttpError(
        422,
        'weak_password',
        `Password should be at least ${this.options.minPasswordLength} characters.`,
        {
          weak_password: { reasons: ['length'] },
        },
      );
    }
    const now = new Date().toISOString();
    const user: StoredUser = {
      id: body.id ?? randomUUID(),
      email,
      passwordDigest: digest(password),
      emailConfirmedAt: body.email_confirm === true ? now : null,
      createdAt: now,
      updatedAt: now,
      lastSignInAt: null,
      userMetadata: body.user_metadata ?? {},
      appMetadata: { provider: 'email', providers: ['email'], ...(body.app_metadata ?? {}) },
    };
    this.users.set(user.id, user);
    return view(user);
  }

  private async signIn(body: any): Promise<unknown> {
    const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
    const password = typeof body?.password === 'string' ? body.password : '';
    const user = this.findByEmail(email);
    // Like GoTrue: an unknown email is refused without hashing anything.
    if (!user) throw new HttpError(400, 'invalid_credentials', 'Invalid login credentials');
    if (this.options.passwordWorkMs > 0) await sleep(this.options.passwordWorkMs);
    if (!timingSafeEqual(user.passwordDigest, digest(password))) {
      throw new HttpError(400, 'invalid_credentials', 'Invalid login credentials');
    }
    if (!user.emailConfirmedAt) throw new HttpError(400, 'email_not_confirmed', 'Email not confirmed');
    const sessionId = randomUUID();
    this.sessions.set(sessionId, user.id);
    user.lastSignInAt = new Date().toISOString();
    const iat = Math.floor(Date.now() / 1000);
    const accessToken = this.sign({
      aud: 'authenticated',
      exp: iat + ACCESS_TOKEN_TTL_SECONDS,
      iat,
      sub: user.id,
      email: user.email,
      role: 'authenticated',
      session_id: sessionId,
      is_anonymous: false,
    });
    return {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: ACCESS_TOKEN_TTL_SECONDS,
      expires_at: iat + ACCESS_TOKEN_TTL_SECONDS,
      refresh_token: randomBytes(9).toString('base64url'),
      user: view(user),
    };
  }

  private logout(req: IncomingMessage, scope: string): void {
    const claims = this.verify(bearer(req));
    if (!claims) throw new HttpError(401, 'bad_jwt', 'invalid JWT: unable to parse or verify signature');
    if (!['local', 'others', 'global'].includes(scope))
      throw new HttpError(400, 'validation_failed', 'invalid scope');
    for (const [session, owner] of this.sessions) {
      if (owner !== claims.sub) continue;
      const own = session === claims.session_id;
      if (scope === 'global' || (scope === 'local' && own) || (scope === 'others' && !own))
        this.sessions.delete(session);
    }
  }

  private requireServiceRole(req: IncomingMessage): void {
    const token = bearer(req);
    if (!token) throw new HttpError(401, 'no_authorization', 'This endpoint requires a Bearer token');
    if (!this.isServiceRoleKey(token)) throw new HttpError(403, 'not_admin', 'User not allowed');
  }

  private isServiceRoleKey(candidate: string | undefined): boolean {
    return candidate !== undefined && timingSafeEqual(digest(candidate), digest(this.options.serviceRoleKey));
  }

  private findByEmail(email: string): StoredUser | undefined {
    const wanted = email.trim().toLowerCase();
    return [...this.users.values()].find((u) => u.email === wanted);
  }

  private sign(claims: Record<string, unknown>): string {
    const head = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${head}.${body}.${createHmac('sha256', this.jwtSecret).update(`${head}.${body}`).digest('base64url')}`;
  }

  private verify(token: string | undefined): { sub: string; session_id: string } | null {
    const [head, body, signature] = token?.split('.') ?? [];
    if (!head || !body || !signature) return null;
    const expected = createHmac('sha256', this.jwtSecret).update(`${head}.${body}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    return claims.exp > Date.now() / 1000 ? claims : null;
  }
}

function view(user: StoredUser) {
  return {
    id: user.id,
    aud: 'authenticated',
    role: 'authenticated',
    email: user.email,
    email_confirmed_at: user.emailConfirmedAt,
    phone: '',
    confirmed_at: user.emailConfirmedAt,
    last_sign_in_at: user.lastSignInAt,
    app_metadata: user.appMetadata,
    user_metadata: user.userMetadata,
    identities: [],
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    is_anonymous: false,
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function bearer(req: IncomingMessage): string | undefined {
  return /^Bearer (.+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'bad_json', 'Could not parse request body as JSON');
  }
}

function send(res: ServerResponse, status: number, json?: unknown): void {
  res.setHeader('X-Supabase-Api-Version', API_VERSION);
  if (json === undefined || status === 204) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(json));
}
