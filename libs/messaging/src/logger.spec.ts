import { CodedError } from '@prescriptchain/contracts';
import { describeError } from './logger';

describe(describeError.name, () => {
  it('describes an error on one bounded line without its stack', () => {
    const line = describeError(new Error(`boom\n${'x'.repeat(2_000)}`), 100);
    expect(line.startsWith('Error: boom')).toBe(true);
    expect(line).toHaveLength(100);
    expect(line).not.toMatch(/\n\s+at /);
  });

  it('names the code of a coded error', () => {
    expect(describeError(new CodedError('ORDER_NOT_FOUND'))).toBe('CodedError [2001]: Order not found.');
  });

  it('serialises non-errors', () => {
    expect(describeError({ status: 'error', message: 'Internal server error' })).toBe('{"status":"error","message":"Internal server error"}');
  });
});
