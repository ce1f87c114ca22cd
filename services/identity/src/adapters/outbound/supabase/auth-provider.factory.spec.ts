import { Clock } from '../../../application/clock';
import { PiiCipher } from '../crypto/pii-cipher';
import { LocalAuthProvider } from '../local-auth/local-auth.provider';
import {
  type AuthProviderDeps,
  authProviderConfigFromEnv,
  createAuthProvider,
} from './auth-provider.factory';
import { SupabaseAuthProvider } from './supabase-auth.provider';

const deps: AuthProviderDeps = {
  signingKeys: { list: async () => [], change: async () => false },
  cipher: PiiCipher.developmentKey(),
  clock: new Clock(),
  local: {
    issuer: 'prescriptchain-identity',
    audience: 'prescriptchain',
    accessTokenTtlSeconds: 900,
    rotateAfterSeconds: 86_400,
    retentionSeconds: 3_600,
    cacheSeconds: 60,
    argon2: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
  },
};

const SUPABASE = {
  AUTH_PROVIDER: 'supabase',
  SUPABASE_URL: 'https://abcd.supabase.co',
  SUPABASE_SERVICE_ROLE_KEY: 'secret-role-key',
};

function failure(env: NodeJS.ProcessEnv): string {
  try {
    authProviderConfigFromEnv(env);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe(createAuthProvider.name, () => {
  it('uses the local provider when AUTH_PROVIDER is unset, even if Supabase settings are present', () => {
    const { AUTH_PROVIDER: _, ...rest } = SUPABASE;
    const config = authProviderConfigFromEnv(rest);
    expect(config).toEqual({ provider: 'local', supabase: null });
    expect(createAuthProvider(config, deps)).toBeInstanceOf(LocalAuthProvider);
  });

  it('uses Supabase when AUTH_PROVIDER=supabase, with a 5 s request timeout unless told otherwise', () => {
    const config = authProviderConfigFromEnv(SUPABASE);
    expect(config).toEqual({
      provider: 'supabase',
      supabase: {
        url: 'https://abcd.supabase.co',
        serviceRoleKey: 'secret-role-key',
        requestTimeoutMs: 5_000,
      },
    });
    expect(createAuthProvider(config, deps)).toBeInstanceOf(SupabaseAuthProvider);
    expect(
      authProviderConfigFromEnv({ ...SUPABASE, AUTH_PROVIDER: ' Supabase ', SUPABASE_TIMEOUT_MS: '1500' })
        .supabase?.requestTimeoutMs,
    ).toBe(1_500);
  });

  it('refuses to start with Supabase half-configured instead of falling back to local passwords', () => {
    expect(failure({ AUTH_PROVIDER: 'supabase' })).toBe(
      'AUTH_PROVIDER=supabase needs SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY',
    );
    expect(failure({ ...SUPABASE, SUPABASE_SERVICE_ROLE_KEY: ' ' })).toBe(
      'AUTH_PROVIDER=supabase needs SUPABASE_SERVICE_ROLE_KEY',
    );
    expect(failure({ ...SUPABASE, SUPABASE_URL: 'abcd.supabase.co' })).toMatch(
      /^SUPABASE_URL must be an http\(s\) URL/,
    );
    expect(failure({ ...SUPABASE, SUPABASE_TIMEOUT_MS: '0' })).toMatch(/^SUPABASE_TIMEOUT_MS/);
  });

  it('refuses an unknown AUTH_PROVIDER, and never repeats the service-role key in its errors', () => {
    expect(failure({ ...SUPABASE, AUTH_PROVIDER: 'firebase' })).toBe(
      'AUTH_PROVIDER must be one of local, supabase, got "firebase"',
    );
    for (const env of [
      { ...SUPABASE, SUPABASE_URL: 'nope' },
      { ...SUPABASE, SUPABASE_TIMEOUT_MS: 'x' },
    ]) {
      expect(failure(env)).not.toContain('secret-role-key');
    }
  });
});
