import { type AuthenticatedPrincipal, CodedError } from '@prescriptchain/contracts';
import { randomUUID } from 'node:crypto';

/** An approved caller as identity's `authenticate` would describe it. */
export function principal(
  role: AuthenticatedPrincipal['role'],
  extra: Partial<AuthenticatedPrincipal> = {},
): AuthenticatedPrincipal {
  return {
    userId: randomUUID(),
    role,
    status: 'approved',
    clinicIds: [],
    pharmacyId: null,
    via: 'token',
    ...extra,
  };
}

/**
 * Stand-ins for identity in route tests: credentials are the names of `principals` (a bearer token,
 * or an API key for a principal whose `via` is `api_key`); anything else is INVALID_CREDENTIALS.
 */
export function fakePrincipals(principals: Record<string, AuthenticatedPrincipal>) {
  return {
    /** The reply of `identity.auth.authenticate`. */
    authenticate(data: { accessToken?: string; apiKey?: string }): AuthenticatedPrincipal {
      const found = principals[data.accessToken ?? data.apiKey ?? ''];
      if (!found || (data.apiKey !== undefined) !== (found.via === 'api_key'))
        throw new CodedError('INVALID_CREDENTIALS');
      return found;
    },
    /** The request headers that present the named credential. */
    as(name: string): Record<string, string> {
      return principals[name].via === 'api_key' ? { 'X-API-Key': name } : { Authorization: `Bearer ${name}` };
    },
  };
}
