import { PaymentSession } from './payment-session.entity';

const open = () =>
  PaymentSession.open({
    id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    clinicId: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e55',
    method: 'alipay',
    provider: 'sandbox',
    amountCents: 12_345,
    requestedBy: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    at: new Date('2026-12-01T10:00:00Z'),
    ttlMinutes: 15,
  });
const payment = (over: Partial<{ amountCents: number; currency: string }> = {}) => ({
  providerTradeNo: '2026120122001',
  amountCents: 12_345,
  currency: 'NZD',
  paidAt: new Date('2026-12-01T10:05:00Z'),
  ...over,
});

describe(PaymentSession.name, () => {
  it('opens pending, expiring after the TTL, with a 32-character order number from its id', () => {
    const s = open();
    expect(s.status).toBe('pending');
    expect(s.expiresAt.toISOString()).toBe('2026-12-01T10:15:00.000Z');
    expect(s.outTradeNo).toBe('0a1b2c3d4e5f4a6b8c7d9e0f1a2b3c4d');
    expect(s.isExpiredAt(new Date('2026-12-01T10:14:59Z'))).toBe(false);
    expect(s.isExpiredAt(new Date('2026-12-01T10:15:00Z'))).toBe(true);
  });

  it('is paid once: the first matching payment credits, every later report is a duplicate', () => {
    const s = open();
    expect(s.paymentReported(payment())).toEqual({ kind: 'credit' });
    expect(s.status).toBe('paid');
    expect(s.paymentReported(payment())).toEqual({ kind: 'duplicate' });
    expect(s.cancel(new Date())).toBe(false);
    expect(s.expire(new Date())).toBe(false);
  });

  it('refuses a payment of another amount or currency, whatever its state', () => {
    const s = open();
    expect(s.paymentReported(payment({ amountCents: 12_346 }))).toMatchObject({ kind: 'mismatch', expectedCents: 12_345 });
    expect(s.paymentReported(payment({ currency: 'CNY' }))).toMatchObject({ kind: 'mismatch' });
    expect(s.status).toBe('pending');
  });

  it('refunds (never credits) a payment reported after it was cancelled or expired, once', () => {
    for (const close of ['cancel', 'expire'] as const) {
      const s = open();
      expect(s[close](new Date())).toBe(true);
      expect(s.paymentReported(payment())).toEqual({ kind: 'refund', refundNo: 'R0a1b2c3d4e5f4a6b8c7d9e0f1a2b3c4', amountCents: 12_345 });
      expect(s.refundStatus).toBe('pending');
      expect(s.paymentReported(payment())).toEqual({ kind: 'duplicate' });
      s.refunded(new Date());
      expect(s.refundStatus).toBe('refunded');
      expect(s.status).toBe(close === 'cancel' ? 'cancelled' : 'expired');
    }
  });

  it('refuses a non-positive or fractional amount', () => {
    expect(() => PaymentSession.open({ id: 'x', clinicId: 'c', method: 'wechat', provider: 'p', amountCents: 0, requestedBy: 'r', at: new Date(), ttlMinutes: 15 })).toThrow();
    expect(() => PaymentSession.open({ id: 'x', clinicId: 'c', method: 'wechat', provider: 'p', amountCents: 10.5, requestedBy: 'r', at: new Date(), ttlMinutes: 15 })).toThrow();
  });
});
