import { normalizeIp, parseTrustProxy } from './client-ip';

describe(parseTrustProxy.name, () => {
  it('is off unless set: X-Forwarded-For is then ignored', () => {
    for (const off of [undefined, '', ' ', 'false', 'FALSE', '0']) expect(parseTrustProxy(off)).toBe(false);
  });

  it('reads true, a hop count, or a list of trusted proxies', () => {
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('loopback, 10.0.0.0/8')).toBe('loopback, 10.0.0.0/8');
  });
});

describe(normalizeIp.name, () => {
  it('spells an IPv4 client one way whether it came over IPv4 or IPv6', () => {
    expect(normalizeIp('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(normalizeIp('10.1.2.3')).toBe('10.1.2.3');
    expect(normalizeIp('::1')).toBe('::1');
    expect(normalizeIp(undefined)).toBeNull();
  });
});
