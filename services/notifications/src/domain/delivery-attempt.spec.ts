import { afterAttempt, backoffMs, type RetryPolicy } from './delivery-attempt';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 5_000 };
const now = new Date('2026-11-22T00:00:00.000Z');
const failure = { ok: false as const, error: 'connection refused', permanent: false };

describe('delivery attempts', () => {
  it('marks a delivery sent on success, counting the attempt', () => {
    expect(afterAttempt(2, { ok: true, providerMessageId: 'sg-1' }, policy, now)).toEqual({
      status: 'sent',
      attempts: 3,
      sentAt: now,
      providerMessageId: 'sg-1',
    });
  });

  it('backs off exponentially after a transient failure, up to the ceiling', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, policy))).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
    expect(afterAttempt(0, failure, policy, now)).toEqual({
      status: 'pending',
      attempts: 1,
      nextAttemptAt: new Date(now.getTime() + 1_000),
      lastError: 'connection refused',
    });
    expect(afterAttempt(1, failure, policy, now)).toMatchObject({
      status: 'pending',
      nextAttemptAt: new Date(now.getTime() + 2_000),
    });
  });

  it('gives up on the last allowed attempt', () => {
    expect(afterAttempt(2, failure, policy, now).status).toBe('pending');
    expect(afterAttempt(3, failure, policy, now)).toEqual({
      status: 'failed',
      attempts: 4,
      failedAt: now,
      lastError: 'connection refused',
    });
  });

  it('gives up at once when the provider refuses the message for good', () => {
    expect(
      afterAttempt(0, { ok: false, error: '550 no such mailbox', permanent: true }, policy, now),
    ).toMatchObject({
      status: 'failed',
      attempts: 1,
    });
  });
});
