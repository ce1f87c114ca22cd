import { type ThrottlePolicy, type ThrottleState, recordFailure, retryAfterSeconds } from './login-throttle';

const policy: ThrottlePolicy = {
  windowSeconds: 900,
  slowAfter: 3,
  maxDelaySeconds: 30,
  lockAfter: 10,
  lockSeconds: 900,
};
const t0 = new Date('2026-11-22T00:00:00Z').getTime();
const at = (seconds: number) => new Date(t0 + seconds * 1000);

function failTimes(n: number, everySeconds = 0): ThrottleState | null {
  let state: ThrottleState | null = null;
  for (let i = 0; i < n; i++) state = recordFailure(state, 'account:a@b.nz', policy, at(i * everySeconds));
  return state;
}

describe('login throttle', () => {
  it('lets the first few failures retry at once', () => {
    expect(retryAfterSeconds(null, policy, at(0))).toBe(0);
    expect(retryAfterSeconds(failTimes(2), policy, at(0))).toBe(0);
  });

  it('slows down after `slowAfter` failures, doubling the wait each time', () => {
    expect(retryAfterSeconds(failTimes(3), policy, at(0))).toBe(1);
    expect(retryAfterSeconds(failTimes(4), policy, at(0))).toBe(2);
    expect(retryAfterSeconds(failTimes(6), policy, at(0))).toBe(8);
    expect(retryAfterSeconds(failTimes(6), policy, at(8))).toBe(0);
  });

  it('never asks for more than the maximum delay before the lock', () => {
    expect(retryAfterSeconds(failTimes(9), policy, at(0))).toBe(30);
  });

  it('locks the key after `lockAfter` failures for lockSeconds', () => {
    const locked = failTimes(10)!;
    expect(locked.lockedUntil).toEqual(at(900));
    expect(retryAfterSeconds(locked, policy, at(0))).toBe(900);
    expect(retryAfterSeconds(locked, policy, at(899.5))).toBe(1);
    expect(retryAfterSeconds(locked, policy, at(900))).toBe(0);
  });

  it('starts counting afresh once a lock has run out', () => {
    const after = recordFailure(failTimes(10), 'k', policy, at(901));
    expect(after.failures).toBe(1);
    expect(after.lockedUntil).toBeNull();
  });

  it('forgets failures older than the window', () => {
    const state = failTimes(5);
    expect(retryAfterSeconds(state, policy, at(900))).toBe(0);
    expect(recordFailure(state, 'k', policy, at(900)).failures).toBe(1);
  });
});
