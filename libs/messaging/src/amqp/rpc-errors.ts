import { CodedError, ERRORS, type ErrorKey, type RpcError, errorByCode, isCodedError } from '@prescriptchain/contracts';

const KEY_BY_CODE = new Map<string, ErrorKey>(
  (Object.keys(ERRORS) as ErrorKey[]).map((key) => [ERRORS[key].code as string, key]),
);

/** The wire form of a handler failure: a CodedError keeps code/message/details, anything else is generic. */
export function toRpcError(err: unknown): RpcError {
  if (isCodedError(err)) {
    const out: RpcError = { code: err.code, message: err.message };
    if (err.details !== undefined) out.details = err.details;
    return out;
  }
  return { code: ERRORS.INTERNAL_ERROR.code, message: ERRORS.INTERNAL_ERROR.message };
}

/** The CodedError a caller re-throws for an `{ ok: false }` reply; an unknown code becomes INTERNAL_ERROR. */
export function fromRpcError(error: RpcError): CodedError {
  const key = errorByCode(error.code) ? KEY_BY_CODE.get(error.code) : undefined;
  if (!key) return new CodedError('INTERNAL_ERROR', ERRORS.INTERNAL_ERROR.message, { code: error.code, message: error.message });
  return new CodedError(key, error.message, error.details);
}
