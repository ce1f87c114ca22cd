import { LocalAuthProvider } from '../src/adapters/outbound/local-auth/local-auth.provider';
import { createAuthProvider } from '../src/adapters/outbound/supabase/auth-provider.factory';
import { describeAuthProviderContract, signingOnPostgres } from './auth-provider.contract';

describeAuthProviderContract('the local provider (argon2id + EdDSA on PostgreSQL)', async () => {
  const signing = await signingOnPostgres('auth_contract_local');
  const provider = createAuthProvider({ provider: 'local', supabase: null }, signing.deps);
  expect(provider).toBeInstanceOf(LocalAuthProvider);
  return { provider, clock: signing.clock, close: signing.close };
});
