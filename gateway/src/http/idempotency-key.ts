import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { CodedError } from '@prescriptchain/contracts';
import type { IncomingMessage } from 'node:http';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
const MAX_LENGTH = 255;
/** Printable ASCII: it is echoed into logs and stored as a key, so no control characters. */
const PRINTABLE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/**
 * The `Idempotency-Key` of a request (gateway/docs/api.md, the routes that require it: any string ≤ 255), or the reason it
 * is unusable. The service that moves the money stores the key with a hash of the request, so the
 * same key and body answer the first response again and another body under it is 409.
 */
export function idempotencyKeyOf(headers: IncomingMessage['headers']): string {
  const raw = headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  const problem = !value
    ? 'is required on this operation: send a unique key per intended action and reuse it only to retry'
    : value.length > MAX_LENGTH
      ? `must be at most ${MAX_LENGTH} characters`
      : !PRINTABLE.test(value)
        ? 'must be printable ASCII'
        : null;
  if (problem)
    throw new CodedError('VALIDATION_FAILED', undefined, [
      { in: 'header', path: IDEMPOTENCY_KEY_HEADER, message: `${IDEMPOTENCY_KEY_HEADER} ${problem}` },
    ]);
  return value!;
}

/** The request's required `Idempotency-Key` (422 VALIDATION_FAILED when absent or unusable). */
export const IdempotencyKey = createParamDecorator((_: unknown, ctx: ExecutionContext): string =>
  idempotencyKeyOf(ctx.switchToHttp().getRequest<IncomingMessage>().headers),
);
