import { CodedError } from '@prescriptchain/contracts';
import type { z } from 'zod';

/** A request checked against its contract; a violation is VALIDATION_FAILED with `[{ path, message }]`. */
export function parseRequest<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const result = schema.safeParse(data ?? {});
  if (result.success) return result.data;
  throw new CodedError(
    'VALIDATION_FAILED',
    undefined,
    result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  );
}
