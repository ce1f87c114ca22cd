import { Controller } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineRoute, Route } from '../src/routes/route';
import { createTestApp, type TestApp } from './support/test-app';

const slow = defineRoute({
  id: 'testSlow',
  method: 'get',
  path: '/api/v1/test/slow',
  access: 'public',
  summary: 'slow',
  tags: ['test'],
  response: { status: 200, data: z.object({ finished: z.boolean() }) },
});

/** What happened, in order: close() must resolve only after the in-flight handler finished. */
const events: string[] = [];

@Controller()
class SlowController {
  @Route(slow)
  async slow() {
    await sleep(400);
    events.push('handler finished');
    return { finished: true };
  }
}

describe('gateway shutdown', () => {
  let t: TestApp;
  let base: string;

  beforeEach(async () => {
    t = await createTestApp({ controllers: [SlowController] });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });

  it('finishes in-flight requests, stops accepting, then closes the RPC client', async () => {
    // A keep-alive connection that is idle at shutdown must not hold the server open.
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const inFlight = fetch(`${base}/api/v1/test/slow`);
    await sleep(100);
    const closing = t.app.close().then(() => events.push('app closed'));

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ success: true, data: { finished: true } });
    expect(res.headers.get('connection')).toBe('close');

    await closing;
    expect(events).toEqual(['handler finished', 'app closed']);
    expect(t.rpc.closed).toBe(true);
    await expect(fetch(`${base}/health`)).rejects.toThrow();
    expect(t.logs.some((l) => l.msg === 'shutting down: draining HTTP' && l.in_flight === 1)).toBe(true);
  });
});
