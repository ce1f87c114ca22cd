import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { CodedError, ERRORS, type ErrorKey } from '@prescriptchain/contracts';
import type { Logger } from '@prescriptchain/messaging';
import type { ServerResponse } from 'node:http';
import { LOGGER } from '../logger.token';
import type { ErrorEnvelope } from './envelope';
import { contextOf, type GatewayRequest } from './request-context.middleware';

/** When a 429 does not say (RFC 9110 wants the header on every 429 we send): a minute, the shortest window. */
const DEFAULT_RETRY_AFTER_SECONDS = 60;

/** `details.retryAfterSeconds` of a RATE_LIMIT_EXCEEDED (ours or identity's sign-in lockout). */
function retryAfterOf(details: unknown): number {
  const value = (details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof value === 'number' && Number.isFinite(value) && value > 0
    ? Math.ceil(value)
    : DEFAULT_RETRY_AFTER_SECONDS;
}

/** Framework and body-parser statuses → catalogue entries (a wrong content type is a 400 here). */
const KEY_BY_STATUS: Record<number, ErrorKey> = {
  400: 'MALFORMED_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'INSUFFICIENT_PERMISSIONS',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'MALFORMED_REQUEST',
  422: 'VALIDATION_FAILED',
  429: 'RATE_LIMIT_EXCEEDED',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

interface Mapped {
  key: ErrorKey;
  message: string;
  details?: unknown;
}

function map(exception: unknown): Mapped {
  if (exception instanceof CodedError) {
    // An internal error of a service says nothing more to the client than ours does.
    if (exception.key === 'INTERNAL_ERROR')
      return { key: 'INTERNAL_ERROR', message: ERRORS.INTERNAL_ERROR.message };
    return { key: exception.key, message: exception.message, details: exception.details };
  }
  if (exception instanceof HttpException) {
    const key =
      KEY_BY_STATUS[exception.getStatus()] ??
      (exception.getStatus() < 500 ? 'MALFORMED_REQUEST' : 'INTERNAL_ERROR');
    return { key, message: ERRORS[key].message };
  }
  return { key: 'INTERNAL_ERROR', message: ERRORS.INTERNAL_ERROR.message };
}

/**
 * The one place an error becomes HTTP: every failure leaves as the error envelope (gateway/docs/api.md),
 * with the request's trace id; an unexpected one is a bare 500 INTERNAL_ERROR, logged in full here.
 */
@Catch()
export class ErrorEnvelopeFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<GatewayRequest>();
    const res = http.getResponse<ServerResponse & { status(code: number): { json(body: unknown): void } }>();
    const { traceId } = contextOf(req);
    const { key, message, details } = map(exception);
    const { status, code } = ERRORS[key];
    if (key === 'INTERNAL_ERROR')
      this.logger.error({ err: exception, trace_id: traceId }, 'unexpected error');
    else if (status >= 500) this.logger.warn({ code, trace_id: traceId }, message);
    if (res.headersSent) {
      // Too late for an envelope; cut the response so the client sees it incomplete.
      res.destroy();
      return;
    }
    if (key === 'RATE_LIMIT_EXCEEDED') res.setHeader('Retry-After', String(retryAfterOf(details)));
    const body: ErrorEnvelope = {
      success: false,
      error: {
        code,
        message,
        ...(details !== undefined && { details }),
        timestamp: new Date().toISOString(),
        traceId,
      },
    };
    res.status(status).json(body);
  }
}
