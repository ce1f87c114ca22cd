import { CodedError, ERRORS, isCodedError } from '@prescriptchain/contracts';
import { fromRpcError, toRpcError } from './rpc-errors';

describe('RPC error mapping', () => {
  it('keeps a CodedError code, message and details on the wire and re-creates it on the caller', () => {
    const wire = toRpcError(new CodedError('INSUFFICIENT_FUNDS', 'Balance too low.', { shortfallCents: 1250 }));
    expect(wire).toEqual({ code: '3002', message: 'Balance too low.', details: { shortfallCents: 1250 } });
    const back = fromRpcError(JSON.parse(JSON.stringify(wire)));
    expect(back).toBeInstanceOf(CodedError);
    expect(back).toMatchObject({ key: 'INSUFFICIENT_FUNDS', code: '3002', status: 402, message: 'Balance too low.', details: { shortfallCents: 1250 } });
  });

  it('hides anything that is not a CodedError behind the generic INTERNAL_ERROR', () => {
    expect(toRpcError(new Error('connection string postgres://admin:secret@db'))).toEqual({
      code: 'INTERNAL_ERROR',
      message: ERRORS.INTERNAL_ERROR.message,
    });
    expect(toRpcError({ status: 'error', message: 'Internal server error' })).toEqual({
      code: 'INTERNAL_ERROR',
      message: ERRORS.INTERNAL_ERROR.message,
    });
  });

  it('maps an unknown wire code to INTERNAL_ERROR, keeping what was received as details', () => {
    const err = fromRpcError({ code: 'NO_SUCH_CODE', message: 'weird' });
    expect(err).toMatchObject({ key: 'INTERNAL_ERROR', details: { code: 'NO_SUCH_CODE', message: 'weird' } });
  });

  it('recognises a CodedError from another copy of the contracts module by its shape', () => {
    const foreign = Object.assign(new Error('x'), { name: 'CodedError', key: 'NOT_FOUND', code: 'NOT_FOUND' });
    expect(isCodedError(foreign)).toBe(true);
    expect(isCodedError(Object.assign(new Error('x'), { name: 'CodedError', key: 'NOPE' }))).toBe(false);
  });
});
