import { createHash } from 'node:crypto';
import { canonicalJson, requestHash } from './request-hash';

describe('requestHash', () => {
  it('is sha256 over the canonical JSON: keys sorted at every depth', () => {
    const body = { b: 1, a: { y: [2, { d: true, c: 'x' }], x: 'é' } };
    expect(canonicalJson(body)).toBe('{"a":{"x":"é","y":[2,{"c":"x","d":true}]},"b":1}');
    expect(requestHash(body)).toBe(createHash('sha256').update(canonicalJson(body)).digest('hex'));
    expect(requestHash({ a: { x: 'é', y: [2, { c: 'x', d: true }] }, b: 1 })).toBe(requestHash(body));
  });

  it('treats a null field like an absent one (the same request), but keeps positions in arrays', () => {
    expect(requestHash({ settlementId: 's1', reference: null })).toBe(requestHash({ settlementId: 's1' }));
    expect(requestHash({ settlementId: 's1', reference: undefined })).toBe(requestHash({ settlementId: 's1' }));
    expect(canonicalJson([1, null, undefined])).toBe('[1,null,null]');
  });

  it('tells any real difference apart', () => {
    const base = { clinicId: 'c1', amountCents: 1000 };
    expect(requestHash({ ...base, amountCents: 1001 })).not.toBe(requestHash(base));
    expect(requestHash({ ...base, reason: 'x' })).not.toBe(requestHash(base));
    expect(requestHash({ ...base, amountCents: '1000' })).not.toBe(requestHash(base));
    expect(requestHash([1, 2])).not.toBe(requestHash([2, 1]));
  });
});
