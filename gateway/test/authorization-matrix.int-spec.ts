/**
 * THE authorization matrix: every route of the table × every kind of caller, through the gateway
 * in-process (supertest) wired over RabbitMQ to the REAL identity service (in-process Nest
 * microservice, its own database and vhost), so every token and key here is real.
 *
 * Expected answers come from the route table (gateway/docs/api.md) alone:
 *   public route                     → nobody is refused by the guard
 *   no credential / unreadable header→ 401 UNAUTHENTICATED
 *   tampered token, revoked key      → 401 1001 (a key is checked wherever it is sent)
 *   expired token                    → 401 1002
 *   pending or suspended user        → 403 1004 (their token or their key)
 *   valid API key, route without `apiKey` → 401 UNAUTHENTICATED (only the pharmacy endpoints take keys)
 *   role not in `access`             → 403 1003
 * An allowed caller is not refused (no 401/403); the handler may still answer 404 or 422.
 */
import { Controller, type INestMicroservice, Req } from '@nestjs/common';
import { AmqpRpcClient } from '@prescriptchain/messaging';
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { z } from 'zod';
// The real identity service, started in-process (a test-only dependency on another project).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { Clock } from '../../services/identity/src/application/clock';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { AuthProvider } from '../../services/identity/src/application/ports/auth-provider';
import {
  createTestDatabase,
  createTestVhost,
  type TestDatabase,
  type TestVhost,
} from '../../test/support/infra';
import { startIdentity } from './support/identity-service';
import { principalOf } from '../src/access/principal';
import { AmqpAccessEvents } from '../src/adapters/amqp-access-events';
import { AmqpBackendRpc } from '../src/adapters/amqp-backend-rpc';
import { GatewayMetrics } from '../src/operations/gateway-metrics';
import { defineRoute, Route, type RouteDef } from '../src/routes/route';
import { ROUTE_LIST } from '../src/routes/route-table';
import { createTestApp, type TestApp } from './support/test-app';

jest.setTimeout(60_000);

const ADMIN = { email: 'admin@matrix.test', password: 'a long admin passphrase 42' };
const PASSWORD = 'herbal tea at seven';

/**
 * No pharmacy endpoint exists yet, so the table has no `apiKey: true` route; this probe is one
 * (shaped like POST /pharmacies/scan-credential) so the API-key column is exercised for real.
 */
const apiKeyProbe = defineRoute({
  id: 'testPharmacyApiKeyProbe',
  method: 'get',
  path: '/api/v1/pharmacies/test-api-key-probe',
  access: ['pharmacy_operator'],
  apiKey: true,
  summary: 'API-key probe (test)',
  tags: ['test'],
  response: { status: 200, data: z.object({ userId: z.uuid(), via: z.string() }) },
});

@Controller()
class ApiKeyProbeController {
  @Route(apiKeyProbe)
  probe(@Req() req: IncomingMessage) {
    const p = principalOf(req)!;
    return { userId: p.userId, via: p.via };
  }
}

type Expected = 'allowed' | { status: 401 | 403; code: string };
interface Principal {
  name: string;
  headers: Record<string, string>;
  expect(route: RouteDef): Expected;
}

const refused = (status: 401 | 403, code: string): Expected => ({ status, code });
const UNAUTHENTICATED = refused(401, 'UNAUTHENTICATED');

/** Expected answer of a non-public route for a caller who authenticates with a bearer token of `role`. */
const byRole = (role: string) => (route: RouteDef) =>
  route.access === 'public' || route.access.includes(role as never) ? 'allowed' : refused(403, '1003');
const onlyIfProtected = (answer: Expected) => (route: RouteDef) =>
  route.access === 'public' ? 'allowed' : answer;
/** A valid API key: allowed by role where the route takes keys; elsewhere 401 UNAUTHENTICATED. */
const validApiKey = (role: string) => (route: RouteDef) =>
  route.access === 'public' ? 'allowed' : route.apiKey ? byRole(role)(route) : UNAUTHENTICATED;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const apiKey = (key: string) => ({ 'X-API-Key': key });

/** The same token with its claims changed (role → admin) and the signature left as it was. */
function tamper(token: string): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  return [
    header,
    Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url'),
    signature,
  ].join('.');
}

describe('authorization matrix', () => {
  let db: TestDatabase;
  let vhost: TestVhost;
  let identity: INestMicroservice;
  let gw: TestApp<AmqpBackendRpc>;
  let accessEvents: AmqpAccessEvents;
  const principals: Principal[] = [];
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  const routes: RouteDef[] = [...ROUTE_LIST, apiKeyProbe];

  const http = () => request(gw.app.getHttpServer());
  const ok = <T = any>(res: request.Response, status = 200): T => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status} ${res.text}`);
    return res.body.data as T;
  };

  async function login(email: string) {
    return ok<{ user: { id: string }; tokens: { accessToken: string } }>(
      await http().post('/api/v1/auth/login').send({ email, password: PASSWORD }),
    );
  }

  /** Registers through the gateway; `approve` has the admin approve the account. */
  async function user(role: 'practitioner' | 'pharmacy_operator', adminToken: string, approve = true) {
    const email = `${role}.${randomUUID().slice(0, 8)}@matrix.test`;
    const { user } = ok<{ user: { id: string } }>(
      await http()
        .post('/api/v1/auth/register')
        .send({ email, password: PASSWORD, role, fullName: `Matrix ${role}` }),
      201,
    );
    if (approve) ok(await http().post(`/api/v1/admin/users/${user.id}/approve`).set(bearer(adminToken)));
    return { id: user.id, email };
  }

  beforeAll(async () => {
    db = await createTestDatabase('gw_matrix');
    vhost = await createTestVhost('gw_matrix');
    identity = await startIdentity({ databaseUrl: db.url, amqpUrl: vhost.url, admin: ADMIN });

    const client = new AmqpRpcClient({ url: vhost.url, name: 'gateway-matrix' });
    await client.connect();
    // As main.ts runs it: tokens verified here, principals cached while identity's events arrive.
    accessEvents = new AmqpAccessEvents({ url: vhost.url }).start();
    await accessEvents.subscription.waitUntilLive(10_000);
    gw = await createTestApp({
      rpc: new AmqpBackendRpc(client, new GatewayMetrics(), 5_000),
      controllers: [ApiKeyProbeController],
      accessEvents,
    });

    // Real callers, made through the gateway itself.
    const admin = ok<{ tokens: { accessToken: string } }>(
      await http().post('/api/v1/auth/login').send({ email: ADMIN.email, password: ADMIN.password }),
    ).tokens.accessToken;
    const practitioner = await user('practitioner', admin);
    const operator = await user('pharmacy_operator', admin);
    const pending = await user('practitioner', admin, false);
    const suspended = await user('pharmacy_operator', admin);
    const practitionerToken = (await login(practitioner.email)).tokens.accessToken;
    const operatorToken = (await login(operator.email)).tokens.accessToken;
    const suspendedToken = (await login(suspended.email)).tokens.accessToken;

    const key = ok<{ key: string }>(
      await http().post('/api/v1/api-keys').set(bearer(operatorToken)).send({ name: 'POS' }),
      201,
    ).key;
    const revoked = ok<{ id: string; key: string }>(
      await http().post('/api/v1/api-keys').set(bearer(operatorToken)).send({ name: 'old POS' }),
      201,
    );
    ok(await http().delete(`/api/v1/api-keys/${revoked.id}`).set(bearer(operatorToken)), 204);
    const suspendedKey = ok<{ key: string }>(
      await http().post('/api/v1/api-keys').set(bearer(suspendedToken)).send({ name: 'POS' }),
      201,
    ).key;
    ok(await http().post(`/api/v1/admin/users/${suspended.id}/suspend`).set(bearer(admin)));

    // Tokens no gateway flow hands out, signed by identity's real key: a pending user's, an expired one.
    const auth = identity.get(AuthProvider, { strict: false });
    const clock = identity.get(Clock, { strict: false });
    const pendingToken = (
      await auth.issueAccessToken({
        sub: pending.id,
        role: 'practitioner',
        status: 'pending',
        clinicIds: [],
        pharmacyId: null,
      })
    ).accessToken;
    clock.now = () => new Date(Date.now() - 2 * 3600_000);
    const expiredToken = (
      await auth.issueAccessToken({
        sub: practitioner.id,
        role: 'practitioner',
        status: 'approved',
        clinicIds: [],
        pharmacyId: null,
      })
    ).accessToken;
    delete (clock as Partial<Clock>).now; // back to the prototype's real clock

    Object.assign(ids, { operator: operator.id, operatorKeyId: revoked.id });
    tokens.admin = admin;
    tokens.operator = operatorToken;
    principals.push(
      { name: 'anonymous', headers: {}, expect: onlyIfProtected(UNAUTHENTICATED) },
      { name: 'practitioner', headers: bearer(practitionerToken), expect: byRole('practitioner') },
      { name: 'pharmacy_operator', headers: bearer(operatorToken), expect: byRole('pharmacy_operator') },
      { name: 'admin', headers: bearer(admin), expect: byRole('admin') },
      { name: 'pending user', headers: bearer(pendingToken), expect: onlyIfProtected(refused(403, '1004')) },
      {
        name: 'suspended user',
        headers: bearer(suspendedToken),
        expect: onlyIfProtected(refused(403, '1004')),
      },
      {
        name: 'tampered token',
        headers: bearer(tamper(practitionerToken)),
        expect: onlyIfProtected(refused(401, '1001')),
      },
      { name: 'expired token', headers: bearer(expiredToken), expect: onlyIfProtected(refused(401, '1002')) },
      {
        name: 'unreadable Authorization',
        headers: { Authorization: 'Basic YWRtaW46YWRtaW4=' },
        expect: onlyIfProtected(UNAUTHENTICATED),
      },
      {
        name: "operator's API key",
        headers: apiKey(key),
        expect: validApiKey('pharmacy_operator'),
      },
      {
        name: 'revoked API key',
        headers: apiKey(revoked.key),
        expect: onlyIfProtected(refused(401, '1001')),
      },
      {
        name: "suspended operator's API key",
        headers: apiKey(suspendedKey),
        expect: onlyIfProtected(refused(403, '1004')),
      },
    );
  });

  afterAll(async () => {
    await gw?.app.close();
    await accessEvents?.subscription.close();
    await identity?.close();
    await db?.drop();
    await vhost?.drop();
  });

  /** The request for a route: random ids in the path, an empty JSON body where it takes one. */
  function call(route: RouteDef, headers: Record<string, string>) {
    const path = route.path.replace(/:(\w+)/g, () => randomUUID());
    const req = request(gw.app.getHttpServer())[route.method](path).set(headers);
    return route.body ? req.send({}) : req;
  }

  const PRINCIPAL_COUNT = 12;
  describe(`${ROUTE_LIST.length + 1} routes (the ${ROUTE_LIST.length} of ROUTE_LIST + 1 API-key probe) × ${PRINCIPAL_COUNT} principals = ${(ROUTE_LIST.length + 1) * PRINCIPAL_COUNT} cases`, () => {
    it('has the principals the title counts', () => {
      expect(principals).toHaveLength(PRINCIPAL_COUNT);
      expect(routes).toHaveLength(ROUTE_LIST.length + 1);
    });

    it.each(routes.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))(
      '%s answers every principal as the table says',
      async (_name, route) => {
        const answers = await Promise.all(
          principals.map(async (p) => {
            const res = await call(route, p.headers);
            return {
              principal: p.name,
              status: res.status,
              code: res.body?.error?.code as string | undefined,
            };
          }),
        );
        const wrong = answers.flatMap(({ principal, status, code }) => {
          const want = principals.find((p) => p.name === principal)!.expect(route);
          const fine =
            want === 'allowed'
              ? ![401, 403, 429, 500].includes(status)
              : status === want.status && code === want.code;
          return fine ? [] : [{ principal, got: `${status} ${code ?? ''}`.trim(), want }];
        });
        expect(wrong).toEqual([]);
      },
    );
  });

  it("scopes API keys to their owner: another user's key is 404 and absent from their list", async () => {
    const del = await http().delete(`/api/v1/api-keys/${ids.operatorKeyId}`).set(bearer(tokens.admin));
    expect([del.status, del.body.error?.code]).toEqual([404, 'NOT_FOUND']);
    const adminKeys = ok<{ id: string }[]>(await http().get('/api/v1/api-keys').set(bearer(tokens.admin)));
    expect(adminKeys.map((k) => k.id)).not.toContain(ids.operatorKeyId);
    const own = ok<{ id: string; revokedAt: string | null }[]>(
      await http().get('/api/v1/api-keys').set(bearer(tokens.operator)),
    );
    expect(own.find((k) => k.id === ids.operatorKeyId)?.revokedAt).toEqual(expect.any(String));
  });

  it('authenticates an API key as its owning operator on a route that takes keys', async () => {
    const res = await call(apiKeyProbe, principals.find((p) => p.name === "operator's API key")!.headers);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ userId: ids.operator, via: 'api_key' });
  });
});
