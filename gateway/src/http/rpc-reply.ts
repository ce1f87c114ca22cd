import type { z } from 'zod';

/**
 * A service's reply read with its contract schema. A reply off contract is our bug, not the
 * client's: it fails as a 500 INTERNAL_ERROR (logged with what was wrong), never half-formatted.
 */
export function parseReply<S extends z.ZodType>(schema: S, pattern: string, reply: unknown): z.output<S> {
  const parsed = schema.safeParse(reply);
  if (!parsed.success) throw new Error(`${pattern} answered off contract: ${parsed.error.message}`);
  return parsed.data;
}
