import { isCodedError } from '@prescriptchain/contracts';

/**
 * Whether an event handler's failure can never pass with time, so the message goes to the DLQ at
 * once instead of through the retry queues. Permanent: a coded error the contract classes as the
 * request's fault (4xx: VALIDATION_FAILED, NOT_FOUND and the domain's not-found / state codes...)
 * and a zod parse failure (the message does not fit the schema a handler reads it with).
 * Transient: everything else — crashes, lost connections, timeouts, and the codes that say "a
 * dependency failed, try again" (5xx: EXTERNAL_SERVICE_ERROR, SERVICE_UNAVAILABLE,
 * INTERNAL_ERROR...) and RATE_LIMIT_EXCEEDED.
 */
export function isPermanentFailure(err: unknown): boolean {
  if (isCodedError(err)) return err.status < 500 && err.status !== 429;
  return isZodError(err);
}

function isZodError(err: unknown): boolean {
  const e = err as { name?: unknown; issues?: unknown } | null;
  return !!e && e.name === 'ZodError' && Array.isArray(e.issues);
}
