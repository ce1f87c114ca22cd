import { requestIdFrom } from './request-context.middleware';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe(requestIdFrom.name, () => {
  it('keeps an id a proxy or client sent when it is short and plain', () => {
    expect(requestIdFrom('abc-123_x.y:z')).toBe('abc-123_x.y:z');
    expect(requestIdFrom(['first-id', 'second'])).toBe('first-id');
  });

  it('replaces a missing, oversized or unsafe id with a uuid', () => {
    for (const bad of [undefined, '', 'x'.repeat(129), 'a b', 'line\nbreak', '"quoted"', '<tag>']) {
      expect(requestIdFrom(bad)).toMatch(UUID);
    }
  });
});
