/**
 * What one send attempt does to a delivery: pending → sent, pending → pending (retry later, with
 * exponential backoff), or pending → failed (refused for good, or out of attempts).
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Wait after the first failure; doubles with each further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export type AttemptResult =
  { ok: true; providerMessageId: string | null } | { ok: false; error: string; permanent: boolean };

export type DeliveryOutcome =
  | { status: 'sent'; attempts: number; sentAt: Date; providerMessageId: string | null }
  | { status: 'pending'; attempts: number; nextAttemptAt: Date; lastError: string }
  | { status: 'failed'; attempts: number; failedAt: Date; lastError: string };

/** The delay before attempt `attempt + 1` after `attempt` failures (1-based). */
export function backoffMs(attempt: number, policy: RetryPolicy): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  return Math.min(policy.baseDelayMs * 2 ** exponent, policy.maxDelayMs);
}

/** `previousAttempts` is the count before this attempt. */
export function afterAttempt(
  previousAttempts: number,
  result: AttemptResult,
  policy: RetryPolicy,
  now: Date,
): DeliveryOutcome {
  const attempts = previousAttempts + 1;
  if (result.ok)
    return { status: 'sent', attempts, sentAt: now, providerMessageId: result.providerMessageId };
  const lastError = result.error.slice(0, 1000);
  if (result.permanent || attempts >= policy.maxAttempts)
    return { status: 'failed', attempts, failedAt: now, lastError };
  return {
    status: 'pending',
    attempts,
    nextAttemptAt: new Date(now.getTime() + backoffMs(attempts, policy)),
    lastError,
  };
}
