import { CodedError } from '@prescriptchain/contracts';
import type { z } from 'zod';

/** Parses an RPC request with its contract schema; a violation is VALIDATION_FAILED with `[{ path, message }]`. */
export function parseRequest<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data ?? {});
  if (!result.success) {
    throw new CodedError(
      'VALIDATION_FAILED',
      undefined,
      result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    );
  }
  return result.data;
}
