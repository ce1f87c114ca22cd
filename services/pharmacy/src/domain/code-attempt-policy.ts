/**
 * Typed verification codes are six digits: without limits a million guesses find any of them. Wrong
 * codes are counted per order (a lock) and per pharmacy (a rate limit), from the scan log.
 */
export interface CodeAttemptPolicy {
  /** Wrong codes for one order that lock it... */
  maxFailuresPerOrder: number;
  /** ...when they fall within this window; the lock then lasts this long after the last of them. */
  windowMs: number;
  /** Wrong codes one pharmacy may type within the window, whatever the orders. */
  maxFailuresPerPharmacy: number;
}

export const DEFAULT_CODE_ATTEMPT_POLICY: CodeAttemptPolicy = {
  maxFailuresPerOrder: 5,
  windowMs: 15 * 60 * 1000,
  maxFailuresPerPharmacy: 20,
};

/**
 * Until when the order is locked, given its wrong-code times since the last correct one (any
 * order): `max` failures within one window lock it for a window after the last of them.
 */
export function orderLockedUntil(
  failures: readonly Date[],
  now: Date,
  policy: CodeAttemptPolicy,
): Date | null {
  const times = failures.map((d) => d.getTime()).sort((a, b) => a - b);
  let until = 0;
  for (let i = policy.maxFailuresPerOrder - 1; i < times.length; i++) {
    if (times[i] - times[i - policy.maxFailuresPerOrder + 1] <= policy.windowMs) {
      until = Math.max(until, times[i] + policy.windowMs);
    }
  }
  return until > now.getTime() ? new Date(until) : null;
}

/** Until when the pharmacy may type no more codes, given its wrong-code times within the window. */
export function pharmacyLimitedUntil(
  failures: readonly Date[],
  now: Date,
  policy: CodeAttemptPolicy,
): Date | null {
  const recent = failures
    .map((d) => d.getTime())
    .filter((t) => t > now.getTime() - policy.windowMs)
    .sort((a, b) => a - b);
  if (recent.length < policy.maxFailuresPerPharmacy) return null;
  // Typing is allowed again once enough of them have aged out of the window.
  return new Date(recent[recent.length - policy.maxFailuresPerPharmacy] + policy.windowMs);
}
