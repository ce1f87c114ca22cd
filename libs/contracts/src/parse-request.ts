import type { z } from 'zod';
import { CodedError } from './errors';

/**
 * An RPC request checked against its contract schema, as every service's inbound adapter does it:
 * a missing payload is read as `{}` (so the schema names each required field), and a violation is
 * VALIDATION_FAILED with `details: [{ path, message }]`, the contract's shape for schema errors.
 */
export function parseRequest<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data ?? {});
  if (result.success) return result.data;
  throw new CodedError(
    'VALIDATION_FAILED',
    undefined,
    result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
  );
}
