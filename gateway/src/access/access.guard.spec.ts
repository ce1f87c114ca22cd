import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CodedError } from '@prescriptchain/contracts';
import type { IncomingMessage } from 'node:http';
import { FakeBackendRpc } from '../../test/support/fake-backend-rpc';
import { GatewayMetrics } from '../operations/gateway-metrics';
import { ROUTE_DEF, type RouteDef } from '../routes/route';
import { NoAccessEvents } from './access-events';
import { AccessTokenVerifier } from './access-token-verifier';
import { AccessGuard, credentialOf } from './access.guard';
import { Authenticator } from './authenticator';
import { PrincipalCache } from './principal-cache';
import { principalOf } from './principal';

const USER = '5f0c3a9e-8b1d-4c6e-9a2f-1b3c4d5e6f70';
const principal = (role: string, via = 'token') => ({
  userId: USER,
  role,
  status: 'approved',
  clinicIds: [],
  pharmacyId: null,
  via,
});

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (e) {
    return (e as CodedError).code;
  }
};

describe(credentialOf.name, () => {
  it('reads a bearer token, whatever the case of "Bearer"', () => {
    expect(credentialOf({ authorization: 'Bearer abc.def.ghi' })).toEqual({ accessToken: 'abc.def.ghi' });
    expect(credentialOf({ authorization: 'bearer abc' })).toEqual({ accessToken: 'abc' });
  });

  it('answers UNAUTHENTICATED for no credential or an unreadable Authorization header', () => {
    expect(codeOf(() => credentialOf({}))).toBe('UNAUTHENTICATED');
    for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', 'abc'])
      expect([authorization, codeOf(() => credentialOf({ authorization }))]).toEqual([
        authorization,
        'UNAUTHENTICATED',
      ]);
  });

  it('reads an API key, the bearer token winning when both are sent', () => {
    expect(credentialOf({ 'x-api-key': 'pc_live_x' })).toEqual({ apiKey: 'pc_live_x' });
    expect(credentialOf({ authorization: 'Bearer t', 'x-api-key': 'k' })).toEqual({ accessToken: 't' });
  });

  it('calls a credential too long to be ours invalid without asking identity', () => {
    expect(codeOf(() => credentialOf({ authorization: `Bearer ${'a'.repeat(8193)}` }))).toBe('1001');
    expect(codeOf(() => credentialOf({ 'x-api-key': 'k'.repeat(257) }))).toBe('1001');
  });
});

describe(AccessGuard.name, () => {
  let rpc: FakeBackendRpc;
  let sut: AccessGuard;
  const route = (def: Partial<RouteDef>) => {
    const handler = () => undefined;
    Reflect.defineMetadata(ROUTE_DEF, { access: ['admin'], ...def }, handler);
    return handler;
  };
  const run = (handler: () => unknown, headers: Record<string, string> = {}) => {
    const req = { headers, socket: {} } as unknown as IncomingMessage;
    const context = {
      getHandler: () => handler,
      switchToHttp: () => ({ getRequest: () => req }),
    } as unknown as ExecutionContext;
    return { req, result: sut.canActivate(context) };
  };

  beforeEach(() => {
    rpc = new FakeBackendRpc();
    // Without identity's events (the fallback the principal cache falls back to): identity is asked.
    const authenticator = new Authenticator(
      rpc,
      new AccessTokenVerifier(rpc, { issuer: 'i', audience: 'a' }),
      new PrincipalCache({ ttlMs: 30_000, maxEntries: 10 }),
      new NoAccessEvents(),
      new GatewayMetrics(),
    );
    sut = new AccessGuard(new Reflector(), authenticator);
  });

  it('lets a public route through without asking identity, even with a credential', async () => {
    await expect(run(route({ access: 'public' }), { authorization: 'Bearer x' }).result).resolves.toBe(true);
    expect(rpc.calls).toHaveLength(0);
  });

  it('authenticates every request with identity and keeps the principal on the request', async () => {
    rpc.replies.set('identity.auth.authenticate', principal('admin'));
    const { req, result } = run(route({}), { authorization: 'Bearer tok' });
    await expect(result).resolves.toBe(true);
    expect(rpc.calls).toEqual([{ pattern: 'identity.auth.authenticate', data: { accessToken: 'tok' } }]);
    expect(principalOf(req)).toMatchObject({ userId: USER, role: 'admin' });
  });

  it('takes a valid API key only where the route accepts keys (401 UNAUTHENTICATED elsewhere)', async () => {
    rpc.replies.set('identity.auth.authenticate', principal('pharmacy_operator', 'api_key'));
    const headers = { 'x-api-key': 'pc_live_k' };
    const plain = route({ access: ['pharmacy_operator'] });
    await expect(run(plain, headers).result).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const pharmacy = route({ access: ['pharmacy_operator'], apiKey: true });
    await expect(run(pharmacy, headers).result).resolves.toBe(true);
    expect(rpc.calls.map((c) => c.data)).toEqual([{ apiKey: 'pc_live_k' }, { apiKey: 'pc_live_k' }]);
  });

  it('refuses a role the route does not list with 1003', async () => {
    rpc.replies.set('identity.auth.authenticate', principal('practitioner'));
    await expect(run(route({}), { authorization: 'Bearer tok' }).result).rejects.toMatchObject({
      code: '1003',
    });
  });

  it("passes identity's verdict on the credential through (expired, not approved)", async () => {
    rpc.call = () => Promise.reject(new CodedError('TOKEN_EXPIRED'));
    await expect(run(route({}), { authorization: 'Bearer t' }).result).rejects.toMatchObject({
      code: '1002',
    });
    rpc.call = () => Promise.reject(new CodedError('ACCOUNT_NOT_APPROVED'));
    await expect(run(route({}), { authorization: 'Bearer t' }).result).rejects.toMatchObject({
      code: '1004',
    });
  });

  it("turns identity's VALIDATION_FAILED about a credential into 1001", async () => {
    rpc.call = () => Promise.reject(new CodedError('VALIDATION_FAILED'));
    await expect(run(route({}), { authorization: 'Bearer t' }).result).rejects.toMatchObject({
      code: '1001',
    });
  });

  it('refuses an authenticate reply that is off contract rather than trusting it', async () => {
    rpc.replies.set('identity.auth.authenticate', { userId: USER, role: 'root' });
    await expect(run(route({}), { authorization: 'Bearer t' }).result).rejects.not.toBeInstanceOf(CodedError);
  });
});
