import { CodedError } from '@prescriptchain/contracts';
import { z } from 'zod';
import { isPermanentFailure } from './handler-failure';

describe('isPermanentFailure', () => {
  it('counts the request-fault codes and zod parse failures as permanent', () => {
    for (const key of ['VALIDATION_FAILED', 'NOT_FOUND', 'ORDER_NOT_FOUND', 'INVALID_ORDER_STATUS', 'CONFLICT'] as const) {
      expect(isPermanentFailure(new CodedError(key))).toBe(true);
    }
    const zod = z.object({ id: z.string().uuid() }).safeParse({ id: 'nope' });
    expect(zod.success).toBe(false);
    expect(isPermanentFailure(zod.error)).toBe(true);
    // A CodedError from another copy of the contracts module is judged by its shape.
    expect(isPermanentFailure(Object.assign(new Error('x'), { name: 'CodedError', key: 'NOT_FOUND', status: 404 }))).toBe(true);
  });

  it('counts crashes, timeouts and the retry-later codes as transient', () => {
    for (const key of ['EXTERNAL_SERVICE_ERROR', 'SERVICE_UNAVAILABLE', 'GATEWAY_TIMEOUT', 'INTERNAL_ERROR', 'RATE_LIMIT_EXCEEDED'] as const) {
      expect(isPermanentFailure(new CodedError(key))).toBe(false);
    }
    expect(isPermanentFailure(new Error('connection terminated unexpectedly'))).toBe(false);
    expect(isPermanentFailure({ status: 'error', message: 'Internal server error' })).toBe(false);
    expect(isPermanentFailure(undefined)).toBe(false);
  });
});
