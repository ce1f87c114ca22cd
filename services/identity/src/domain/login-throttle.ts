/**
 * Failed sign-ins for one key (an account at one client address, a client address, an account)
 * first slow down — each attempt after
 * `slowAfter` failures must wait an exponentially growing delay — then lock the key for a while.
 * Counting restarts when the window or a lock has passed. Pure functions over a stored state.
 */
export interface ThrottlePolicy {
  windowSeconds: number;
  /** Failures allowed without any wait. */
  slowAfter: number;
  /** The delay doubles per extra failure (1 s, 2 s, 4 s …) up to this. */
  maxDelaySeconds: number;
  /** Failures that lock the key. */
  lockAfter: number;
  lockSeconds: number;
}

export interface ThrottleState {
  key: string;
  failures: number;
  windowStartedAt: Date;
  lastFailureAt: Date;
  lockedUntil: Date | null;
}

/**
 * One account from one client address: slows, then locks — only that address, so failures from one
 * place never lock the owner out at another.
 */
export const DEFAULT_ACCOUNT_ADDRESS_THROTTLE: ThrottlePolicy = {
  windowSeconds: 15 * 60,
  slowAfter: 3,
  maxDelaySeconds: 30,
  lockAfter: 10,
  lockSeconds: 15 * 60,
};

/**
 * One account from everywhere: a slower back-off that never locks (it is bounded by its longest
 * delay) and applies only to addresses that have failed on the account themselves — a right
 * password from an address without failures passes. Against many addresses guessing at once, each
 * gets one free guess, then waits.
 */
export const DEFAULT_ACCOUNT_BACKOFF: ThrottlePolicy = {
  windowSeconds: 15 * 60,
  slowAfter: 20,
  maxDelaySeconds: 60,
  lockAfter: Number.MAX_SAFE_INTEGER,
  lockSeconds: 0,
};

/** One address may front many people (a clinic's NAT), so it gets more room than one account. */
export const DEFAULT_IP_THROTTLE: ThrottlePolicy = {
  windowSeconds: 15 * 60,
  slowAfter: 20,
  maxDelaySeconds: 30,
  lockAfter: 100,
  lockSeconds: 15 * 60,
};

export const accountThrottleKey = (email: string) => `account:${email.trim().toLowerCase()}`;
/** `unknown` when the gateway could not name the client: those share one bucket per account. */
export const accountAddressThrottleKey = (email: string, ip: string | null) =>
  `account-ip:${email.trim().toLowerCase()}|${ip ?? 'unknown'}`;
export const ipThrottleKey = (ip: string) => `ip:${ip}`;

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** True when the stored counters no longer matter (window over, or the lock has run out). */
export function isStale(state: ThrottleState, policy: ThrottlePolicy, now: Date): boolean {
  if (state.lockedUntil) return state.lockedUntil.getTime() <= now.getTime();
  return now.getTime() - state.windowStartedAt.getTime() >= policy.windowSeconds * 1000;
}

export function delaySecondsAfter(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.slowAfter) return 0;
  return Math.min(2 ** (failures - policy.slowAfter), policy.maxDelaySeconds);
}

/** Seconds the caller must wait before trying again; 0 when an attempt is allowed now. */
export function retryAfterSeconds(state: ThrottleState | null, policy: ThrottlePolicy, now: Date): number {
  if (!state || isStale(state, policy, now)) return 0;
  if (state.lockedUntil) return seconds(state.lockedUntil.getTime() - now.getTime());
  const allowedAt = state.lastFailureAt.getTime() + delaySecondsAfter(state.failures, policy) * 1000;
  return allowedAt > now.getTime() ? seconds(allowedAt - now.getTime()) : 0;
}

export function recordFailure(
  state: ThrottleState | null,
  key: string,
  policy: ThrottlePolicy,
  now: Date,
): ThrottleState {
  if (!state || isStale(state, policy, now)) {
    const fresh: ThrottleState = {
      key,
      failures: 1,
      windowStartedAt: now,
      lastFailureAt: now,
      lockedUntil: null,
    };
    return policy.lockAfter <= 1
      ? { ...fresh, lockedUntil: new Date(now.getTime() + policy.lockSeconds * 1000) }
      : fresh;
  }
  const failures = state.failures + 1;
  return {
    key,
    failures,
    windowStartedAt: state.windowStartedAt,
    lastFailureAt: now,
    lockedUntil: failures >= policy.lockAfter ? new Date(now.getTime() + policy.lockSeconds * 1000) : null,
  };
}
