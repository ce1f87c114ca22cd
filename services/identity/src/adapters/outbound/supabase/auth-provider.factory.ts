import type { Clock } from '../../../application/clock';
import type { AuthProvider } from '../../../application/ports/auth-provider';
import type { PiiCipher } from '../crypto/pii-cipher';
import { type LocalAuthOptions, LocalAuthProvider } from '../local-auth/local-auth.provider';
import type { SigningKeyStore } from '../local-auth/signing-key.store';
import { SupabaseAuthProvider } from './supabase-auth.provider';

export const AUTH_PROVIDERS = ['local', 'supabase'] as const;
export type AuthProviderKind = (typeof AUTH_PROVIDERS)[number];

export interface AuthProviderConfig {
  provider: AuthProviderKind;
  /** Required when provider is 'supabase'. */
  supabase: { url: string; serviceRoleKey: string; requestTimeoutMs: number } | null;
}

/** What every provider needs: the signing machinery for our own access tokens. */
export interface AuthProviderDeps {
  signingKeys: SigningKeyStore;
  cipher: PiiCipher;
  clock: Clock;
  local: LocalAuthOptions;
}

export const DEFAULT_SUPABASE_TIMEOUT_MS = 5_000;

/**
 * AUTH_PROVIDER=local (the default) | supabase, with SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY and
 * SUPABASE_TIMEOUT_MS for the latter. A half-configured Supabase fails start-up instead of
 * quietly falling back to local passwords.
 */
export function authProviderConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AuthProviderConfig {
  const provider = (env.AUTH_PROVIDER?.trim() || 'local').toLowerCase();
  if (!(AUTH_PROVIDERS as readonly string[]).includes(provider)) {
    throw new Error(`AUTH_PROVIDER must be one of ${AUTH_PROVIDERS.join(', ')}, got "${env.AUTH_PROVIDER}"`);
  }
  if (provider === 'local') return { provider: 'local', supabase: null };

  const url = env.SUPABASE_URL?.trim();
  const serviceRoleKey = env.SUPABASE_SERVICE_ROLE_KEY?.trim();
  const missing = [!url && 'SUPABASE_URL', !serviceRoleKey && 'SUPABASE_SERVICE_ROLE_KEY'].filter(Boolean);
  if (missing.length) throw new Error(`AUTH_PROVIDER=supabase needs ${missing.join(' and ')}`);
  if (!/^https?:\/\//i.test(url!) || !URL.canParse(url!)) {
    throw new Error(`SUPABASE_URL must be an http(s) URL, got "${url}"`);
  }
  const rawTimeout = env.SUPABASE_TIMEOUT_MS?.trim();
  const requestTimeoutMs = rawTimeout ? Number(rawTimeout) : DEFAULT_SUPABASE_TIMEOUT_MS;
  if (!Number.isInteger(requestTimeoutMs) || requestTimeoutMs <= 0) {
    throw new Error(
      `SUPABASE_TIMEOUT_MS must be a positive whole number of milliseconds, got "${rawTimeout}"`,
    );
  }
  return { provider: 'supabase', supabase: { url: url!, serviceRoleKey: serviceRoleKey!, requestTimeoutMs } };
}

/** Picks the adapter behind AuthProvider. Both sign access tokens with the same local machinery. */
export function createAuthProvider(config: AuthProviderConfig, deps: AuthProviderDeps): AuthProvider {
  const signer = new LocalAuthProvider(deps.signingKeys, deps.cipher, deps.local, deps.clock);
  if (config.provider === 'local') return signer;
  if (!config.supabase) throw new Error('AUTH_PROVIDER=supabase needs its Supabase settings');
  return new SupabaseAuthProvider(signer, config.supabase);
}
