import { z } from 'zod';
import { CodedError } from './errors';
import { parseRequest } from './parse-request';

const Schema = z.object({ clinicId: z.string().uuid(), page: z.number().int().default(1), nested: z.object({ n: z.number() }).optional() });

const failure = (data: unknown) => {
  try {
    parseRequest(Schema, data);
  } catch (err) {
    return err as CodedError;
  }
  throw new Error('expected parseRequest to throw');
};

describe('parseRequest', () => {
  it('returns the parsed request, defaults applied', () => {
    const clinicId = '7f3c2f55-32a1-4c1e-9c1b-7a3e9b6f2d10';
    expect(parseRequest(Schema, { clinicId })).toEqual({ clinicId, page: 1 });
  });

  it('throws VALIDATION_FAILED with one { path, message } per violation, nested paths dotted', () => {
    const err = failure({ clinicId: 'nope', nested: { n: 'x' } });
    expect(err).toBeInstanceOf(CodedError);
    expect(err.key).toBe('VALIDATION_FAILED');
    expect(err.details).toEqual([
      { path: 'clinicId', message: expect.any(String) },
      { path: 'nested.n', message: expect.any(String) },
    ]);
  });

  it('reads a missing payload as {} so each required field is named', () => {
    for (const data of [undefined, null]) {
      expect(failure(data).details).toEqual([{ path: 'clinicId', message: expect.any(String) }]);
    }
  });
});
