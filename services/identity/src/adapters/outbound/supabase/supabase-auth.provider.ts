import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { CodedError } from '@prescriptchain/contracts';
import {
  type AuthError,
  type GoTrueAdminApi,
  type GoTrueClient,
  createClient,
  isAuthError,
  isAuthWeakPasswordError,
} from '@supabase/supabase-js';
import {
  type AccessClaims,
  AuthProvider,
  type JsonWebKeySet,
  type VerifiedAccessClaims,
} from '../../../application/ports/auth-provider';

export interface SupabaseAuthOptions {
  /** The project URL, e.g. https://abcd.supabase.co (the client adds /auth/v1). */
  url: string;
  serviceRoleKey: string;
  /** Every call to Supabase gives up after this long: login checks passwords inside a database transaction. */
  requestTimeoutMs: number;
}

/** What the Supabase provider borrows from the signing machinery: our own EdDSA tokens and JWKS. */
export type AccessTokenSigner = Pick<
  AuthProvider,
  'start' | 'issueAccessToken' | 'verifyAccessToken' | 'jwks'
>;

/** bcrypt, which Supabase hashes with, ignores everything after 72 bytes: refuse rather than truncate. */
export const SUPABASE_MAX_PASSWORD_BYTES = 72;

/** A reserved (RFC 2606) address no Supabase user can have: unknown accounts are checked against it. */
const DECOY_EMAIL = 'unknown-account@prescriptchain.invalid';
/** Sign-in refusals that mean "not this password", as opposed to Supabase failing. */
const REFUSED_SIGN_IN = new Set(['invalid_credentials', 'email_not_confirmed', 'user_banned']);
const TAKEN_EMAIL = new Set(['email_exists', 'user_already_exists']);
const MAX_PADDING_MS = 2_000;

/**
 * Passwords live in Supabase Auth (users created through the admin API with the service-role key,
 * under our own user id); checking one is a password-grant sign-in whose Supabase session is
 * revoked at once. Roles, statuses, refresh-token families and API keys stay in identity, and
 * access tokens stay ours: issuing, verifying and the JWKS are delegated to the local signer.
 */
export class SupabaseAuthProvider extends AuthProvider {
  private readonly logger = new Logger(SupabaseAuthProvider.name);
  private readonly admin: GoTrueAdminApi;
  /** Sign-ins leave a session in the client that made them; keep that away from the admin client. */
  private readonly signIn: GoTrueClient;
  /** Moving average of how long Supabase takes to judge a real account's password. */
  private typicalCheckMs = 0;

  constructor(
    private readonly signer: AccessTokenSigner,
    options: SupabaseAuthOptions,
  ) {
    super();
    const client = () =>
      createClient(options.url, options.serviceRoleKey, {
        auth: { autoRefreshToken: false, persistSession: false, detectSessionInUrl: false },
        global: { fetch: fetchWithTimeout(options.requestTimeoutMs) },
      });
    this.admin = client().auth.admin;
    this.signIn = client().auth;
  }

  start(): Promise<void> {
    return this.signer.start();
  }

  /** Creates the Supabase user (confirmed, with our user id); we keep no hash, so null. */
  async enrolPassword(account: { userId: string; email: string }, password: string): Promise<null> {
    if (Buffer.byteLength(password, 'utf8') > SUPABASE_MAX_PASSWORD_BYTES) {
      throw new CodedError('VALIDATION_FAILED', 'The password is too long.', [
        { path: 'password', message: `must be at most ${SUPABASE_MAX_PASSWORD_BYTES} bytes` },
      ]);
    }
    const { error } = await this.call('create user', () =>
      this.admin.createUser({ id: account.userId, email: account.email, password, email_confirm: true }),
    );
    if (!error) return null;
    if (error.code && TAKEN_EMAIL.has(error.code)) {
      throw new CodedError('CONFLICT', 'An account with this email already exists.', [
        { path: 'email', message: 'is taken' },
      ]);
    }
    if (isAuthWeakPasswordError(error)) {
      const reasons = error.reasons.length ? error.reasons : ['length'];
      throw new CodedError(
        'VALIDATION_FAILED',
        'The password is not strong enough.',
        reasons.map((r) => ({ path: 'password', message: WEAK_PASSWORD_REASONS[r] ?? 'is not accepted' })),
      );
    }
    throw this.failure('create user', error);
  }

  /** Updates the Supabase user's password through the admin API; we keep no hash, so null. */
  async setPassword(account: { userId: string; email: string }, password: string): Promise<null> {
    if (Buffer.byteLength(password, 'utf8') > SUPABASE_MAX_PASSWORD_BYTES) {
      throw new CodedError('VALIDATION_FAILED', 'The password is too long.', [
        { path: 'newPassword', message: `must be at most ${SUPABASE_MAX_PASSWORD_BYTES} bytes` },
      ]);
    }
    const { error } = await this.call('update password', () =>
      this.admin.updateUserById(account.userId, { password }),
    );
    if (!error) return null;
    if (isAuthWeakPasswordError(error)) {
      const reasons = error.reasons.length ? error.reasons : ['length'];
      throw new CodedError(
        'VALIDATION_FAILED',
        'The password is not strong enough.',
        reasons.map((r) => ({ path: 'newPassword', message: WEAK_PASSWORD_REASONS[r] ?? 'is not accepted' })),
      );
    }
    throw this.failure('update password', error);
  }

  async checkPassword(
    account: { userId: string; email: string; passwordHash: string | null } | null,
    password: string,
  ): Promise<boolean> {
    // No empty or over-long password was ever enrolled: judge those like an unknown account, at the same cost.
    if (!account || !password || Buffer.byteLength(password, 'utf8') > SUPABASE_MAX_PASSWORD_BYTES) {
      await this.checkDecoy();
      return false;
    }
    const started = performance.now();
    const { data, error } = await this.call('sign in', () =>
      this.signIn.signInWithPassword({ email: account.email, password }),
    );
    this.recordCheckTime(performance.now() - started);
    if (error) {
      if (isRefusal(error)) return false;
      throw this.failure('sign in', error);
    }
    if (data.session) await this.revoke(data.session.access_token);
    if (data.user?.id !== account.userId) {
      // Enrolment gives the Supabase user our id; another id behind this email is not our user.
      this.logger.warn('Supabase accepted a password for a user id other than ours; refusing the sign-in.');
      return false;
    }
    return true;
  }

  /**
   * Deletes the Supabase user enrolled for this account (a registration whose own transaction
   * failed leaves one behind, and its email could never register again). Absent is fine.
   */
  override async discardEnrolment(account: { userId: string }): Promise<void> {
    const { error } = await this.call('delete user', () => this.admin.deleteUser(account.userId));
    if (error && error.status !== 404) throw this.failure('delete user', error);
  }

  issueAccessToken(claims: AccessClaims): Promise<{ accessToken: string; expiresIn: number }> {
    return this.signer.issueAccessToken(claims);
  }

  verifyAccessToken(accessToken: string): Promise<VerifiedAccessClaims> {
    return this.signer.verifyAccessToken(accessToken);
  }

  jwks(): Promise<JsonWebKeySet> {
    return this.signer.jwks();
  }

  /**
   * An unknown account still costs a sign-in round trip (to an address that cannot exist, with a
   * throw-away password), then waits out what a real account's check usually takes, so neither the
   * response time nor a Supabase outage tells which emails have accounts.
   */
  private async checkDecoy(): Promise<void> {
    const started = performance.now();
    const { data, error } = await this.call('sign in', () =>
      this.signIn.signInWithPassword({ email: DECOY_EMAIL, password: randomBytes(18).toString('base64url') }),
    );
    if (data.session) await this.revoke(data.session.access_token);
    if (error && !isRefusal(error)) throw this.failure('sign in', error);
    const wait = Math.min(this.typicalCheckMs, MAX_PADDING_MS) - (performance.now() - started);
    if (wait > 0) await sleep(wait);
  }

  private recordCheckTime(ms: number): void {
    this.typicalCheckMs = this.typicalCheckMs ? 0.8 * this.typicalCheckMs + 0.2 * ms : ms;
  }

  /** We only wanted the verdict: end the Supabase session the sign-in opened (the verdict stands if this fails). */
  private async revoke(accessToken: string): Promise<void> {
    try {
      const { error } = await this.admin.signOut(accessToken, 'local');
      if (error) throw error;
    } catch (err) {
      this.logger.warn(
        `Could not revoke the Supabase session a password check opened: ${(err as Error).message}`,
      );
    }
  }

  /** Anything the SDK throws instead of returning (it should not) is a failed dependency too. */
  private async call<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw this.failure(operation, err);
    }
  }

  private failure(operation: string, err: unknown): CodedError {
    const status = isAuthError(err) ? err.status : undefined;
    const code = isAuthError(err) ? err.code : undefined;
    this.logger.error(`Supabase Auth failed to ${operation}: ${(err as Error)?.message ?? String(err)}`);
    return new CodedError('EXTERNAL_SERVICE_ERROR', 'The sign-in service is unavailable; please try again.', {
      provider: 'supabase',
      operation,
      ...(status ? { status } : {}),
      ...(code ? { code } : {}),
    });
  }
}

const WEAK_PASSWORD_REASONS: Record<string, string> = {
  length: 'is too short for the sign-in service',
  characters: 'needs more kinds of characters',
  pwned: 'appears in a known data breach',
};

function isRefusal(error: AuthError): boolean {
  // Older Auth servers answer a wrong password with a bare 400 `invalid_grant` (no code).
  return (
    (error.code !== undefined && REFUSED_SIGN_IN.has(error.code)) || (error.status === 400 && !error.code)
  );
}

function fetchWithTimeout(ms: number): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(ms);
    return fetch(input, {
      ...init,
      signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
    });
  };
}
