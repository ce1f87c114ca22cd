/**
 * The error-code catalogue of the HTTP contract (its table: gateway/docs/api.md, "Error codes"). Services throw
 * errors carrying one of these keys; each transport maps it once (HTTP status here, RPC reply on the
 * wire). `code` is what clients see in `error.code`.
 */
export const ERRORS = {
  MALFORMED_REQUEST: {
    status: 400,
    code: 'MALFORMED_REQUEST',
    message: 'The request body is not valid JSON.',
  },
  VALIDATION_FAILED: { status: 422, code: 'VALIDATION_FAILED', message: 'The request is not valid.' },
  UNAUTHENTICATED: { status: 401, code: 'UNAUTHENTICATED', message: 'Authentication is required.' },
  INVALID_CREDENTIALS: { status: 401, code: '1001', message: 'The credentials are not valid.' },
  TOKEN_EXPIRED: { status: 401, code: '1002', message: 'The token has expired or was revoked.' },
  INSUFFICIENT_PERMISSIONS: { status: 403, code: '1003', message: 'You are not allowed to do this.' },
  ACCOUNT_NOT_APPROVED: { status: 403, code: '1004', message: 'Your account is not approved.' },
  NOT_FOUND: { status: 404, code: 'NOT_FOUND', message: 'Not found.' },
  ORDER_NOT_FOUND: { status: 404, code: '2001', message: 'Order not found.' },
  ORDER_CANNOT_BE_MODIFIED: { status: 409, code: '2002', message: 'The order can no longer be modified.' },
  INVALID_ORDER_STATUS: {
    status: 409,
    code: '2003',
    message: 'The order is not in a state that allows this.',
  },
  CONFLICT: { status: 409, code: 'CONFLICT', message: 'The resource conflicts with an existing one.' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    code: 'IDEMPOTENCY_KEY_REUSED',
    message: 'This Idempotency-Key was used with a different request.',
  },
  INSUFFICIENT_FUNDS: { status: 402, code: '3002', message: 'The clinic account has insufficient funds.' },
  ACCOUNT_SUSPENDED: { status: 402, code: 'PAY_002', message: 'The clinic account is suspended.' },
  PAYMENT_ALREADY_PROCESSED: { status: 409, code: '3003', message: 'This payment was already processed.' },
  PAYMENT_FAILED: { status: 502, code: '3001', message: 'The payment provider refused or failed.' },
  PHARMACY_NOT_AVAILABLE: { status: 409, code: '4001', message: 'The pharmacy is not available.' },
  INVALID_CREDENTIAL: { status: 422, code: '4002', message: 'The prescription credential is not valid.' },
  ORDER_ALREADY_CLAIMED: {
    status: 409,
    code: '4003',
    message: 'Another pharmacy holds this order (it is being dispensed there).',
  },
  PRESCRIPTION_SAFETY: {
    status: 422,
    code: 'PRESCRIPTION_SAFETY',
    message: 'The formula failed safety checks.',
  },
  EXTERNAL_SERVICE_ERROR: {
    status: 502,
    code: '5001',
    message: 'A dependency failed; the request may be retried.',
  },
  RATE_LIMIT_EXCEEDED: { status: 429, code: '5002', message: 'Too many requests.' },
  PAYLOAD_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.' },
  SERVICE_UNAVAILABLE: {
    status: 503,
    code: 'SERVICE_UNAVAILABLE',
    message: 'A backing service did not answer in time.',
  },
  GATEWAY_TIMEOUT: {
    status: 504,
    code: 'GATEWAY_TIMEOUT',
    message: 'A backing service did not answer in time.',
  },
  INTERNAL_ERROR: { status: 500, code: 'INTERNAL_ERROR', message: 'Something went wrong on our side.' },
} as const;

export type ErrorKey = keyof typeof ERRORS;
export type ErrorCode = (typeof ERRORS)[ErrorKey]['code'];

const byCode = new Map<string, (typeof ERRORS)[ErrorKey]>(Object.values(ERRORS).map((e) => [e.code, e]));

/** The catalogue entry for a wire code (`'2001'`, `'NOT_FOUND'`), or undefined for an unknown one. */
export const errorByCode = (code: string) => byCode.get(code);

/**
 * An error with a stable code from the catalogue. It survives a process boundary as
 * `{ code, message, details }` (instanceof does not), so compare codes, not classes.
 */
export class CodedError extends Error {
  constructor(
    readonly key: ErrorKey,
    message?: string,
    readonly details?: unknown,
  ) {
    super(message ?? ERRORS[key].message);
    this.name = 'CodedError';
  }
  get code(): ErrorCode {
    return ERRORS[this.key].code;
  }
  get status(): number {
    return ERRORS[this.key].status;
  }
}

/** A CodedError, also one from another copy of this module (compare codes, not classes). */
export function isCodedError(err: unknown): err is CodedError {
  if (err instanceof CodedError) return true;
  const e = err as { name?: unknown; key?: unknown } | null;
  return !!e && e.name === 'CodedError' && typeof e.key === 'string' && e.key in ERRORS;
}
