import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { REDIS_URL } from '../../../test/support/infra';
import { RedisRateLimiter } from './redis-rate-limiter';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`${RedisRateLimiter.name} (real Redis)`, () => {
  const prefix = `pctest:rl:${randomUUID()}:`;
  const limiters: RedisRateLimiter[] = [];
  const limiter = (p = prefix, url = REDIS_URL) => {
    const l = new RedisRateLimiter({ url, keyPrefix: p });
    limiters.push(l);
    return l;
  };

  afterAll(async () => {
    await Promise.all(limiters.map((l) => l.close()));
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('allows `limit` requests in the window, then refuses with the wait until the oldest leaves it', async () => {
    const sut = limiter();
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await sut.hit('a', 3, 60_000));
    expect(decisions.map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    expect(decisions[3].retryAfterMs).toBeGreaterThan(59_000);
    expect(decisions[3].retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('slides: a request is allowed again once the oldest counted one is older than the window', async () => {
    const sut = limiter();
    expect((await sut.hit('slide', 2, 600)).allowed).toBe(true);
    await sleep(300);
    expect((await sut.hit('slide', 2, 600)).allowed).toBe(true);
    const refused = await sut.hit('slide', 2, 600);
    expect(refused.allowed).toBe(false);
    // Only the first request has to leave the window, not both.
    expect(refused.retryAfterMs).toBeLessThanOrEqual(310);
    await sleep(refused.retryAfterMs + 30);
    expect((await sut.hit('slide', 2, 600)).allowed).toBe(true);
    expect((await sut.hit('slide', 2, 600)).allowed).toBe(false);
  });

  it('counts atomically: of 30 simultaneous requests from two replicas exactly the limit pass', async () => {
    const [a, b] = [limiter(), limiter()];
    const all = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).hit('race', 7, 60_000)),
    );
    expect(all.filter((d) => d.allowed)).toHaveLength(7);
  });

  it('keeps keys and prefixes apart', async () => {
    const sut = limiter();
    await sut.hit('k1', 1, 60_000);
    expect((await sut.hit('k1', 1, 60_000)).allowed).toBe(false);
    expect((await sut.hit('k2', 1, 60_000)).allowed).toBe(true);
    expect((await limiter(`${prefix}other:`).hit('k1', 1, 60_000)).allowed).toBe(true);
  });

  it('rejects quickly, without queueing, when Redis cannot be reached', async () => {
    const sut = limiter(prefix, 'redis://127.0.0.1:1');
    const t0 = Date.now();
    await expect(sut.hit('x', 5, 60_000)).rejects.toThrow();
    await expect(sut.hit('x', 5, 60_000)).rejects.toThrow();
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
