import { type CodeAttemptPolicy, orderLockedUntil, pharmacyLimitedUntil } from './code-attempt-policy';

const policy: CodeAttemptPolicy = {
  maxFailuresPerOrder: 5,
  windowMs: 15 * 60_000,
  maxFailuresPerPharmacy: 20,
};
const t0 = Date.parse('2026-11-22T00:00:00Z');
const at = (minutes: number) => new Date(t0 + minutes * 60_000);

describe('code attempt policy', () => {
  it('locks an order for 15 minutes after its fifth wrong code within 15 minutes', () => {
    const failures = [0, 1, 2, 3, 4].map(at);
    expect(orderLockedUntil(failures.slice(0, 4), at(4), policy)).toBeNull();
    expect(orderLockedUntil(failures, at(4), policy)).toEqual(at(19));
    expect(orderLockedUntil(failures, at(18.9), policy)).toEqual(at(19));
    expect(orderLockedUntil(failures, at(19), policy)).toBeNull();
  });

  it('does not lock for five wrong codes spread wider than the window', () => {
    expect(orderLockedUntil([0, 4, 8, 12, 16].map(at), at(16), policy)).toBeNull();
  });

  it('rate-limits a pharmacy after 20 wrong codes within the window, until enough age out', () => {
    const failures = Array.from({ length: 20 }, (_, i) => at(i * 0.5));
    expect(pharmacyLimitedUntil(failures.slice(1), at(10), policy)).toBeNull();
    expect(pharmacyLimitedUntil(failures, at(10), policy)).toEqual(at(15));
    expect(pharmacyLimitedUntil(failures, at(15), policy)).toBeNull();
  });
});
