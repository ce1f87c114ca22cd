/**
 * Access tokens verified in the gateway and principals cached, with revocation intact: TWO gateway
 * apps (replicas A and B, each with its own RPC client and its own events subscription) on one
 * vhost with the REAL identity service (in-process, its own database, its outbox publishing the
 * events). What one replica changes is refused there at once, and on the other as soon as
 * identity's event reaches it; with the subscription down a replica asks identity per request.
 */
import { Controller, type INestMicroservice, Req } from '@nestjs/common';
import { AmqpRpcClient } from '@prescriptchain/messaging';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { Channel } from 'amqplib';
import { SignJWT, generateKeyPair } from 'jose';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import request from 'supertest';
import { z } from 'zod';
import {
  AMQP_BASE_URL,
  closeVhostConnections,
  createTestDatabase,
  createTestVhost,
  eventually,
  rabbitMgmt,
  type TestDatabase,
  type TestVhost,
} from '../../test/support/infra';
import { startIdentity } from './support/identity-service';
import { principalOf } from '../src/access/principal';
import { AmqpAccessEvents } from '../src/adapters/amqp-access-events';
import { AmqpBackendRpc } from '../src/adapters/amqp-backend-rpc';
import { GatewayMetrics } from '../src/operations/gateway-metrics';
import { defineRoute, Route } from '../src/routes/route';
import { createTestApp, type TestApp } from './support/test-app';

jest.setTimeout(90_000);

const ADMIN = { email: 'admin@principal-cache.test', password: 'a long admin passphrase 42' };
const PASSWORD = 'herbal tea at seven';

/** Shows the principal the guard settled on (role, clinics, pharmacy), for tokens and keys alike. */
const probe = defineRoute({
  id: 'testPrincipalProbe',
  method: 'get',
  path: '/api/v1/pharmacies/test-principal-probe',
  access: ['practitioner', 'pharmacy_operator', 'admin'],
  apiKey: true,
  summary: 'Principal probe (test)',
  tags: ['test'],
  response: {
    status: 200,
    data: z.object({ userId: z.uuid(), role: z.string(), clinicIds: z.array(z.uuid()), via: z.string() }),
  },
});

@Controller()
class PrincipalProbeController {
  @Route(probe)
  probe(@Req() req: IncomingMessage) {
    const p = principalOf(req)!;
    return { userId: p.userId, role: p.role, clinicIds: p.clinicIds, via: p.via };
  }
}

interface Replica {
  name: string;
  app: TestApp<AmqpBackendRpc>;
  events: AmqpAccessEvents;
  /** The RPC client's metrics (what this replica asked of whom). */
  rpcMetrics: GatewayMetrics;
  /** Every change of the subscription's state, in order. */
  liveChanges: boolean[];
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('principal cache across gateway replicas', () => {
  let db: TestDatabase;
  let vhost: TestVhost;
  let identity: INestMicroservice;
  let A: Replica;
  let B: Replica;
  /** B's subscription connects as its own broker user, so a test can lock it out. */
  const brokerUser = `pctest_gwb_${randomUUID().slice(0, 8)}`;
  const brokerPassword = randomUUID();
  let admin: string;

  const http = (r: Replica) => request(r.app.app.getHttpServer());
  const ok = <T = any>(res: request.Response, status = 200): T => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status} ${res.text}`);
    return res.body.data as T;
  };
  const answer = (res: request.Response) => `${res.status} ${res.body?.error?.code ?? ''}`.trim();
  const seen = async (r: Replica, headers: Record<string, string>) =>
    answer(await http(r).get(probe.path).set(headers));

  /** identity.auth.authenticate calls this replica made so far. */
  async function authenticateRpcs(r: Replica): Promise<number> {
    const { values } = await r.rpcMetrics.rpcDuration.get();
    return values
      .filter(
        (v) =>
          v.metricName === 'rpc_client_duration_seconds_count' &&
          v.labels.pattern === 'identity.auth.authenticate',
      )
      .reduce((sum, v) => sum + v.value, 0);
  }

  async function lookups(r: Replica, outcome: string): Promise<number> {
    const { values } = await r.app.app.get(GatewayMetrics).principalLookups.get();
    return values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
  }

  async function replica(name: string, eventsUrl: string): Promise<Replica> {
    const liveChanges: boolean[] = [];
    const events = new AmqpAccessEvents({
      url: eventsUrl,
      name: `gateway-access-events-${name}`,
      onLive: (live) => liveChanges.push(live),
    }).start();
    await events.subscription.waitUntilLive(15_000);
    const client = new AmqpRpcClient({ url: vhost.url, name: `gateway-${name}` });
    await client.connect();
    const rpcMetrics = new GatewayMetrics();
    const app = await createTestApp({
      rpc: new AmqpBackendRpc(client, rpcMetrics, 5_000),
      controllers: [PrincipalProbeController],
      accessEvents: events,
    });
    return { name, app, events, rpcMetrics, liveChanges };
  }

  async function login(email: string, password = PASSWORD) {
    return ok<{ user: { id: string }; tokens: { accessToken: string; refreshToken: string } }>(
      await http(A).post('/api/v1/auth/login').send({ email, password }),
    );
  }

  async function user(role: 'practitioner' | 'pharmacy_operator') {
    const email = `${role}.${randomUUID().slice(0, 8)}@principal-cache.test`;
    const { user } = ok<{ user: { id: string } }>(
      await http(A)
        .post('/api/v1/auth/register')
        .send({ email, password: PASSWORD, role, fullName: `Cache ${role}` }),
      201,
    );
    ok(await http(A).post(`/api/v1/admin/users/${user.id}/approve`).set(bearer(admin)));
    const session = await login(email);
    return {
      id: user.id,
      email,
      token: session.tokens.accessToken,
      refreshToken: session.tokens.refreshToken,
    };
  }

  /** Both replicas have served this credential from their cache (identity asked once each, not again). */
  async function cachedOnBoth(headers: Record<string, string>) {
    for (const r of [A, B]) {
      expect(await seen(r, headers)).toBe('200');
      const asked = await authenticateRpcs(r);
      const hits = await lookups(r, 'hit');
      expect(await seen(r, headers)).toBe('200');
      expect([await authenticateRpcs(r), await lookups(r, 'hit')]).toEqual([asked, hits + 1]);
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase('gw_pcache');
    vhost = await createTestVhost('gw_pcache');
    await rabbitMgmt('PUT', `/api/users/${brokerUser}`, { password: brokerPassword, tags: '' });
    await grantBrokerUser();
    identity = await startIdentity({ databaseUrl: db.url, amqpUrl: vhost.url, admin: ADMIN });
    A = await replica('a', vhost.url);
    const base = new URL(AMQP_BASE_URL);
    base.username = brokerUser;
    base.password = brokerPassword;
    B = await replica('b', `${base.toString().replace(/\/$/, '')}/${encodeURIComponent(vhost.name)}`);
    admin = (await login(ADMIN.email, ADMIN.password)).tokens.accessToken;
  });

  afterAll(async () => {
    for (const r of [A, B]) {
      await r?.app.app.close();
      await r?.events.subscription.close();
    }
    await identity?.close();
    await db?.drop();
    await vhost?.drop();
    await rabbitMgmt('DELETE', `/api/users/${brokerUser}`);
  });

  function grantBrokerUser() {
    return rabbitMgmt('PUT', `/api/permissions/${encodeURIComponent(vhost.name)}/${brokerUser}`, {
      configure: '.*',
      write: '.*',
      read: '.*',
    });
  }

  it('gives each replica its own server-named, exclusive, auto-delete queue on the events exchange', async () => {
    type Queue = { name: string; exclusive: boolean; auto_delete: boolean; durable: boolean };
    const queues = await eventually(async () => {
      const res = await rabbitMgmt('GET', `/api/queues/${encodeURIComponent(vhost.name)}`);
      const all = ((await res.json()) as Queue[]).filter((q) => q.name.startsWith('amq.gen-'));
      return all.length >= 2 ? all : undefined;
    });
    expect(
      queues.map(({ exclusive, auto_delete, durable }) => ({ exclusive, auto_delete, durable })),
    ).toEqual([
      { exclusive: true, auto_delete: true, durable: false },
      { exclusive: true, auto_delete: true, durable: false },
    ]);
  });

  it('serves a verified token from the cache: the second request asks identity nothing', async () => {
    const u = await user('practitioner');
    await cachedOnBoth(bearer(u.token));
  });

  it('refuses a suspended user at once on the replica that suspended, and on the other replica as soon as the event arrives', async () => {
    const u = await user('practitioner');
    await cachedOnBoth(bearer(u.token));
    ok(await http(A).post(`/api/v1/admin/users/${u.id}/suspend`).set(bearer(admin)));
    expect(await seen(A, bearer(u.token))).toBe('403 1004');
    await eventually(async () => (await seen(B, bearer(u.token))) === '403 1004');
  });

  it('refuses every earlier token after a password change: at once where it was changed, then everywhere', async () => {
    const u = await user('practitioner');
    await cachedOnBoth(bearer(u.token));
    ok(
      await http(A)
        .post('/api/v1/auth/password')
        .set(bearer(u.token))
        .send({ currentPassword: PASSWORD, newPassword: 'a brand new passphrase 2027' }),
      204,
    );
    expect(await seen(A, bearer(u.token))).toBe('401 1002');
    await eventually(async () => (await seen(B, bearer(u.token))) === '401 1002');
    const fresh = (await login(u.email, 'a brand new passphrase 2027')).tokens.accessToken;
    expect([await seen(A, bearer(fresh)), await seen(B, bearer(fresh))]).toEqual(['200', '200']);
  });

  it('shows a new clinic membership at once on the replica that added it, and on the other once the event arrives', async () => {
    const u = await user('practitioner');
    await cachedOnBoth(bearer(u.token));
    const clinic = ok<{ id: string }>(
      await http(A)
        .post('/api/v1/admin/clinics')
        .set(bearer(admin))
        .send({
          name: `Clinic ${randomUUID().slice(0, 6)}`,
          address: { street: '1 Queen St', city: 'Auckland', country: 'NZ', postalCode: '1010' },
        }),
      201,
    );
    ok(
      await http(A)
        .post(`/api/v1/admin/clinics/${clinic.id}/members`)
        .set(bearer(admin))
        .send({ userId: u.id }),
      201,
    );
    const clinicsOn = async (r: Replica) =>
      ok<{ clinicIds: string[] }>(await http(r).get(probe.path).set(bearer(u.token))).clinicIds;
    expect(await clinicsOn(A)).toEqual([clinic.id]);
    await eventually(async () => (await clinicsOn(B)).includes(clinic.id));
  });

  it('refuses a revoked API key at once on both replicas (keys are not cached)', async () => {
    const op = await user('pharmacy_operator');
    const created = ok<{ id: string; key: string }>(
      await http(A).post('/api/v1/api-keys').set(bearer(op.token)).send({ name: 'POS' }),
      201,
    );
    const key = { 'X-API-Key': created.key };
    expect([await seen(A, key), await seen(B, key)]).toEqual(['200', '200']);
    expect(await lookups(B, 'api_key')).toBeGreaterThan(0);
    ok(await http(A).delete(`/api/v1/api-keys/${created.id}`).set(bearer(op.token)), 204);
    expect([await seen(A, key), await seen(B, key)]).toEqual(['401 1001', '401 1001']);
  });

  it("ends a signed-out session's refresh token at once, whichever replica is asked", async () => {
    const u = await user('practitioner');
    ok(
      await http(A).post('/api/v1/auth/logout').set(bearer(u.token)).send({ refreshToken: u.refreshToken }),
      204,
    );
    const refresh = await http(B).post('/api/v1/auth/refresh').send({ refreshToken: u.refreshToken });
    expect(answer(refresh)).toBe('401 1002');
  });

  it('refuses tampered tokens and tokens of keys identity never published with 1001, without asking identity', async () => {
    const u = await user('practitioner');
    await seen(A, bearer(u.token)); // the JWKS is read
    const [header, payload, signature] = u.token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const tampered = [
      header,
      Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url'),
      signature,
    ].join('.');
    const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString());
    const { privateKey } = await generateKeyPair('Ed25519');
    const forge = (forgedKid: string) =>
      new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'EdDSA', kid: forgedKid, typ: 'JWT' })
        .sign(privateKey);
    const asked = await authenticateRpcs(A);
    expect([
      await seen(A, bearer(tampered)),
      await seen(A, bearer(await forge(kid))), // identity's kid, someone else's key
      await seen(A, bearer(await forge('a-key-nobody-published'))),
    ]).toEqual(['401 1001', '401 1001', '401 1001']);
    expect(await authenticateRpcs(A)).toBe(asked);
  });

  it('fails closed while its subscription is down: identity is asked per request, and the cache is dropped when it comes back', async () => {
    const u = await user('practitioner');
    const other = await user('practitioner');
    await cachedOnBoth(bearer(u.token));
    await cachedOnBoth(bearer(other.token));

    // Cut B off the broker and keep it off: its user may no longer open the vhost.
    await rabbitMgmt('DELETE', `/api/permissions/${encodeURIComponent(vhost.name)}/${brokerUser}`);
    await closeVhostConnections(vhost.name, { named: 'gateway-access-events-b' });
    await eventually(() => !B.events.isLive());

    const asked = await authenticateRpcs(B);
    expect([await seen(B, bearer(u.token)), await seen(B, bearer(u.token))]).toEqual(['200', '200']);
    expect(await authenticateRpcs(B)).toBe(asked + 2);
    // A suspension whose event B cannot hear still holds on B.
    ok(await http(A).post(`/api/v1/admin/users/${u.id}/suspend`).set(bearer(admin)));
    expect(await seen(B, bearer(u.token))).toBe('403 1004');
    expect(await lookups(B, 'unsubscribed')).toBeGreaterThanOrEqual(3);

    // Let B back in: it resubscribes on its own, and what it had cached before is gone.
    await grantBrokerUser();
    await eventually(() => B.events.isLive(), 20_000);
    const before = await authenticateRpcs(B);
    expect(await seen(B, bearer(other.token))).toBe('200');
    expect(await authenticateRpcs(B)).toBe(before + 1);
    expect(await seen(B, bearer(u.token))).toBe('403 1004');
  });

  it('resubscribes with a new queue when the broker cancels its consumer, dropping the cache', async () => {
    const u = await user('practitioner');
    await cachedOnBoth(bearer(u.token));
    const queue = B.events.subscription.queue!;
    expect(queue).toMatch(/^amq\.gen-/);
    const changes = B.liveChanges.length;
    // An exclusive queue only its own connection may delete: do it there, as a broker would cancel.
    const channel = B.events.subscription.unwrap<AmqpConnectionManager>().createChannel({
      setup: (ch: Channel) => ch.deleteQueue(queue).then(() => undefined),
    });
    await channel.waitForConnect();
    await channel.close();
    await eventually(() => B.liveChanges.length >= changes + 2 && B.events.isLive(), 20_000);
    expect(B.liveChanges.slice(changes, changes + 2)).toEqual([false, true]);
    expect(B.events.subscription.queue).toMatch(/^amq\.gen-/);
    expect(B.events.subscription.queue).not.toBe(queue);
    const before = await authenticateRpcs(B);
    expect(await seen(B, bearer(u.token))).toBe('200');
    expect(await authenticateRpcs(B)).toBe(before + 1);
    // The new queue hears identity's events again.
    ok(await http(A).post(`/api/v1/admin/users/${u.id}/suspend`).set(bearer(admin)));
    await eventually(async () => (await seen(B, bearer(u.token))) === '403 1004');
  });
});
