import { Controller } from '@nestjs/common';
import { CodedError, IDENTITY_RPC } from '@prescriptchain/contracts';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import request from 'supertest';
import { z } from 'zod';
import type { GatewayConfigValues } from '../src/gateway.config';
import { defineRoute, Route } from '../src/routes/route';
import { REDIS_URL } from '../../test/support/infra';
import { FakeBackendRpc } from './support/fake-backend-rpc';
import { createTestApp, type TestApp } from './support/test-app';

/** A stand-in for POST /orders until orders' routes exist: tagged like it will be. */
const placeOrder = defineRoute({
  id: 'testPlaceOrder',
  method: 'post',
  path: '/api/v1/test/orders',
  access: ['practitioner'],
  rateLimit: 'orders',
  summary: 'place an order (test)',
  tags: ['test'],
  response: { status: 201, data: z.object({ ok: z.boolean() }) },
});

@Controller()
class TestOrdersController {
  @Route(placeOrder)
  place() {
    return { ok: true };
  }
}

const TOKENS: Record<string, string> = {
  'token-ann': '0e0c2a86-1a0b-4c1d-8e2f-3a4b5c6d7e01',
  'token-bob': '0e0c2a86-1a0b-4c1d-8e2f-3a4b5c6d7e02',
};

/** One fake identity shared by the replicas: tokens of two practitioners; every login is wrong. */
function fakeIdentity(): FakeBackendRpc {
  const rpc = new FakeBackendRpc();
  rpc.replies.set(IDENTITY_RPC.authenticate, (data: { accessToken?: string }) => {
    const userId = TOKENS[data.accessToken ?? ''];
    if (!userId) throw new CodedError('INVALID_CREDENTIALS');
    return {
      userId,
      role: 'practitioner',
      status: 'approved',
      clinicIds: [],
      pharmacyId: null,
      via: 'token',
    };
  });
  rpc.replies.set(IDENTITY_RPC.login, () => {
    throw new CodedError('INVALID_CREDENTIALS');
  });
  return rpc;
}

describe('rate limits (real Redis, shared by replicas)', () => {
  const apps: TestApp[] = [];
  const prefixes: string[] = [];

  /** A gateway replica; replicas made with the same `prefix` share counters, as they would in production. */
  async function replica(prefix: string, config: GatewayConfigValues = {}) {
    const t = await createTestApp({
      rpc: fakeIdentity(),
      controllers: [TestOrdersController],
      config: { redisUrl: REDIS_URL, rateLimitKeyPrefix: prefix, ...config },
    });
    apps.push(t);
    return t;
  }
  const newPrefix = () => {
    const p = `pctest:gw:${randomUUID()}:`;
    prefixes.push(p);
    return p;
  };
  const login = (t: TestApp, ip?: string) => {
    const req = request(t.app.getHttpServer()).post('/api/v1/auth/login');
    if (ip) req.set('X-Forwarded-For', ip);
    return req.send({ email: 'ann@example.co.nz', password: 'wrong password' });
  };
  const order = (t: TestApp, token: string) =>
    request(t.app.getHttpServer()).post('/api/v1/test/orders').set('Authorization', `Bearer ${token}`);

  afterAll(async () => {
    await Promise.all(apps.map((t) => t.app.close()));
    const redis = new Redis(REDIS_URL);
    for (const p of prefixes) {
      const keys = await redis.keys(`${p}*`);
      if (keys.length) await redis.del(...keys);
    }
    await redis.quit();
  });

  it('counts sign-in attempts per address across replicas, then answers 429 5002 with Retry-After', async () => {
    const prefix = newPrefix();
    const [a, b] = [
      await replica(prefix, { rateLimits: { auth: 3 } }),
      await replica(prefix, { rateLimits: { auth: 3 } }),
    ];
    const statuses = [(await login(a)).status, (await login(b)).status, (await login(a)).status];
    expect(statuses).toEqual([401, 401, 401]);
    const before = a.rpc.calls.length + b.rpc.calls.length;

    for (const t of [b, a]) {
      const res = await login(t);
      expect(res.status).toBe(429);
      expect(res.body.error.code).toBe('5002');
      const retryAfter = Number(res.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(res.body.error.details).toEqual({ retryAfterSeconds: retryAfter });
    }
    // Refused before identity was asked (and before the body was even validated).
    expect(a.rpc.calls.length + b.rpc.calls.length).toBe(before);
    expect((await request(a.app.getHttpServer()).get('/metrics')).text).toMatch(
      /rate_limit_rejected_total\{bucket="auth"\} 1/,
    );
  });

  it('keeps one bucket per client address (behind a trusted proxy)', async () => {
    const t = await replica(newPrefix(), { rateLimits: { auth: 1 }, trustProxy: true });
    expect((await login(t, '198.51.100.1')).status).toBe(401);
    expect((await login(t, '198.51.100.1')).status).toBe(429);
    expect((await login(t, '198.51.100.2')).status).toBe(401);
  });

  it('limits order creation per user, whichever replica and address the requests come from', async () => {
    const prefix = newPrefix();
    const [a, b] = [
      await replica(prefix, { rateLimits: { orders: 2 } }),
      await replica(prefix, { rateLimits: { orders: 2 } }),
    ];
    expect((await order(a, 'token-ann')).status).toBe(201);
    expect((await order(b, 'token-ann')).status).toBe(201);
    const refused = await order(a, 'token-ann');
    expect([refused.status, refused.body.error.code]).toEqual([429, '5002']);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another practitioner from the same address has a bucket of their own.
    expect((await order(b, 'token-bob')).status).toBe(201);
  });

  it('authenticates before counting: a refused caller uses up nobody’s bucket', async () => {
    const t = await replica(newPrefix(), { rateLimits: { orders: 1 } });
    for (let i = 0; i < 3; i++) expect((await order(t, 'not-a-token')).status).toBe(401);
    expect((await order(t, 'token-ann')).status).toBe(201);
  });

  it('does not limit a bucket set to 0', async () => {
    const t = await replica(newPrefix(), { rateLimits: { auth: 0 } });
    for (let i = 0; i < 8; i++) expect((await login(t)).status).toBe(401);
  });

  it('lets requests through (fail open) and logs a warning while Redis is unreachable', async () => {
    const t = await replica(newPrefix(), { rateLimits: { auth: 1 }, redisUrl: 'redis://127.0.0.1:1' });
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) expect((await login(t)).status).toBe(401);
    expect(Date.now() - t0).toBeLessThan(3000);
    const warnings = t.logs.filter((l) => String(l.msg).includes('rate limits not enforced'));
    expect(warnings).toHaveLength(1);
    expect((await request(t.app.getHttpServer()).get('/metrics')).text).toMatch(
      /rate_limit_unavailable_total\{bucket="auth"\} 3/,
    );
  });
});
