import {
  ORDER_MOVES,
  ORDER_STATUSES,
  Order,
  type OrderLine,
  type OrderStatus,
  canMove,
} from './order.entity';

const T0 = new Date('2026-11-22T00:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const DEADLINE = at(1);
const PRACTITIONER = '11111111-1111-4111-8111-111111111111';
const PHARMACY_A = '22222222-2222-4222-8222-222222222222';
const PHARMACY_B = '33333333-3333-4333-8333-333333333333';
const ADMIN = '44444444-4444-4444-8444-444444444444';

const line = (totalCents: number): OrderLine => ({
  medicineId: '55555555-5555-4555-8555-555555555555',
  name: '当归',
  pinyin: 'dāng guī',
  englishName: 'Chinese Angelica Root',
  unit: 'g',
  quantityMg: 10_000n,
  unitPriceCents: 12,
  totalCents,
  processing: null,
  decoctionMethod: null,
  dosageInstructions: null,
});

const credential = (expiresAt = at(60 * 24 * 30)) => ({
  platformOrderId: 'PC-0000-0000-0',
  token: 'token',
  kid: 'kid',
  verificationCodeHash: 'hash',
  verificationCodeSalt: 'salt',
  verificationCodeEnc: 'enc',
  issuedAt: T0,
  expiresAt,
});

const draft = () =>
  Order.create(
    {
      id: '66666666-6666-4666-8666-666666666666',
      practitionerId: PRACTITIONER,
      clinicId: '77777777-7777-4777-8777-777777777777',
      patient: { name: 'Mere Tane' },
      notes: null,
      packs: 7,
      lines: [line(840), line(355)],
      safetyOverride: null,
    },
    T0,
  );

/** An order driven along legal moves to `status`. */
function orderIn(status: OrderStatus): Order {
  const o = draft();
  if (status === 'DRAFT') return o;
  o.requestPayment(at(1), DEADLINE, PRACTITIONER);
  if (status === 'PENDING_PAYMENT') return o;
  if (status === 'PAYMENT_FAILED') return (o.markPaymentFailed(at(2), 'INSUFFICIENT_FUNDS'), o);
  if (status === 'CANCELLED')
    return (o.markPaymentFailed(at(2), 'INSUFFICIENT_FUNDS'), o.cancel(at(3), PRACTITIONER, 'no'), o);
  o.markPaid(at(2), credential());
  if (status === 'PAID') return o;
  if (status === 'EXPIRED') return (o.expire(at(60 * 24 * 31)), o);
  o.claimForReview(at(3), PHARMACY_A, 500);
  if (status === 'PENDING_REVIEW') return o;
  if (status === 'FULFILLED') return (o.review(at(4), 'approve', ADMIN, null), o);
  o.review(at(4), 'reject', ADMIN, 'blurry photo');
  return o; // REJECTED
}

/** Attempts one move with the entity method that makes it. */
function attempt(o: Order, to: OrderStatus): void {
  // Expiry needs a time past the credential's expiry; everything else happens while it is valid.
  const now = to === 'EXPIRED' ? at(60 * 24 * 40) : at(10);
  switch (to) {
    case 'PENDING_PAYMENT':
      return o.requestPayment(now, now, PRACTITIONER);
    case 'PAID':
      return o.markPaid(now, credential());
    case 'PAYMENT_FAILED':
      return o.markPaymentFailed(now, 'INSUFFICIENT_FUNDS');
    case 'CANCELLED':
      return void o.cancel(now, PRACTITIONER, 'changed my mind');
    case 'EXPIRED':
      return void o.expire(now);
    case 'PENDING_REVIEW':
      // The pharmacy that may legally claim: the rejected one again, otherwise any (a second one here).
      return void o.claimForReview(now, o.status === 'REJECTED' ? o.assignedPharmacyId! : PHARMACY_B, 100);
    case 'FULFILLED':
      return o.review(now, 'approve', ADMIN, null);
    case 'REJECTED':
      return o.review(now, 'reject', ADMIN, null);
    case 'DRAFT':
      throw Object.assign(new Error('no way back to DRAFT'), { code: '2003' });
  }
}

describe(Order.name, () => {
  describe('state machine', () => {
    const pairs = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to] as const));

    it('allows exactly the moves of api-v1 and nothing else', () => {
      expect(ORDER_MOVES).toEqual({
        DRAFT: ['PENDING_PAYMENT'],
        PENDING_PAYMENT: ['PAID', 'PAYMENT_FAILED'],
        PAYMENT_FAILED: ['PENDING_PAYMENT', 'CANCELLED'],
        PAID: ['PENDING_REVIEW', 'CANCELLED', 'EXPIRED'],
        PENDING_REVIEW: ['FULFILLED', 'REJECTED'],
        REJECTED: ['PENDING_REVIEW', 'CANCELLED'],
        FULFILLED: [],
        CANCELLED: [],
        EXPIRED: [],
      });
    });

    it.each(pairs.filter(([from, to]) => canMove(from, to)))(
      'moves %s → %s and records it in the history',
      (from, to) => {
        const o = orderIn(from);
        const before = o.snapshot.history.length;
        attempt(o, to);
        expect(o.status).toBe(to);
        expect(o.snapshot.history).toHaveLength(before + 1);
        expect(o.snapshot.history.at(-1)).toMatchObject({ from, to });
      },
    );

    it.each(pairs.filter(([from, to]) => !canMove(from, to)))(
      'refuses %s → %s with INVALID_ORDER_STATUS',
      (from, to) => {
        const o = orderIn(from);
        const history = [...o.snapshot.history];
        expect(() => attempt(o, to)).toThrow(expect.objectContaining({ code: '2003' }));
        expect(o.status).toBe(from);
        expect(o.snapshot.history).toEqual(history);
      },
    );
  });

  it('records every move with from, to, at, by and reason', () => {
    const o = orderIn('CANCELLED');
    expect(o.snapshot.history).toEqual([
      { from: null, to: 'DRAFT', at: T0, by: PRACTITIONER, reason: null },
      { from: 'DRAFT', to: 'PENDING_PAYMENT', at: at(1), by: PRACTITIONER, reason: null },
      {
        from: 'PENDING_PAYMENT',
        to: 'PAYMENT_FAILED',
        at: at(2),
        by: 'accounts',
        reason: 'INSUFFICIENT_FUNDS',
      },
      { from: 'PAYMENT_FAILED', to: 'CANCELLED', at: at(3), by: PRACTITIONER, reason: 'no' },
    ]);
  });

  it('totals its lines in cents', () => {
    expect(draft().totalCents).toBe(1195);
  });

  it('lets only a DRAFT be modified (ORDER_CANNOT_BE_MODIFIED otherwise)', () => {
    const d = draft();
    d.revise([line(100)], null, at(1));
    expect(d.totalCents).toBe(100);
    for (const status of ORDER_STATUSES.filter((s) => s !== 'DRAFT')) {
      expect(() => orderIn(status).revise([line(100)], null, at(9))).toThrow(
        expect.objectContaining({ code: '2002' }),
      );
    }
  });

  it('keeps a safety override reason in the history of its creation', () => {
    const o = Order.create(
      {
        ...draft().snapshot,
        safetyOverride: {
          reason: 'Classical formula, monitored',
          violations: [{ rule: 'EIGHTEEN_INCOMPATIBLE', medicineIds: ['a', 'b'], message: '甘草 and 甘遂' }],
          by: PRACTITIONER,
          at: T0,
        },
      },
      T0,
    );
    expect(o.snapshot.history[0].reason).toBe(
      'safety override (EIGHTEEN_INCOMPATIBLE): Classical formula, monitored',
    );
  });

  describe('refunds', () => {
    it('refunds a cancelled paid order, once', () => {
      const o = orderIn('PAID');
      expect(o.cancel(at(5), PRACTITIONER, 'patient recovered')).toBe(true);
      expect(o.requestRefund(at(6))).toBe(false);
    });

    it('does not refund cancelling an order that was never paid', () => {
      expect(orderIn('PAYMENT_FAILED').cancel(at(5), PRACTITIONER, 'never mind')).toBe(false);
    });

    it('refunds a cancelled REJECTED order (it had been paid)', () => {
      expect(orderIn('REJECTED').cancel(at(5), ADMIN, 'pharmacy gave up')).toBe(true);
    });

    it('refunds an expired credential', () => {
      const o = orderIn('PAID');
      expect(o.expire(at(60 * 24 * 31))).toBe(true);
      expect(o.status).toBe('EXPIRED');
    });

    it('does not expire a credential before its expiry', () => {
      expect(() => orderIn('PAID').expire(at(60))).toThrow(expect.objectContaining({ code: '2003' }));
    });

    it('fails a timed-out payment with TIMEOUT and refunds, and then refuses a retry', () => {
      const o = orderIn('PENDING_PAYMENT');
      expect(o.timeOutPayment(at(2))).toBe(true);
      expect(o.snapshot).toMatchObject({ status: 'PAYMENT_FAILED', paymentFailureReason: 'TIMEOUT' });
      expect(() => o.requestPayment(at(3), at(4), PRACTITIONER)).toThrow(
        expect.objectContaining({ code: '2003' }),
      );
    });

    it('lets a rejected payment be retried', () => {
      const o = orderIn('PAYMENT_FAILED');
      o.requestPayment(at(3), at(4), PRACTITIONER);
      expect(o.snapshot).toMatchObject({
        status: 'PENDING_PAYMENT',
        paymentAttempts: 2,
        paymentFailureReason: null,
      });
    });
  });

  describe('what a debit success means', () => {
    it('pays a PENDING_PAYMENT order', () =>
      expect(orderIn('PENDING_PAYMENT').debitSucceededOutcome()).toBe('pay'));
    it.each(['PAID', 'PENDING_REVIEW', 'REJECTED', 'FULFILLED', 'EXPIRED'] as const)(
      'is a duplicate for a %s order',
      (s) => expect(orderIn(s).debitSucceededOutcome()).toBe('duplicate'),
    );
    it.each(['CANCELLED', 'PAYMENT_FAILED'] as const)(
      'asks for a refund for a %s order that was never paid',
      (s) => expect(orderIn(s).debitSucceededOutcome()).toBe('refund'),
    );
  });

  describe('claim for review', () => {
    it('goes to the first pharmacy; a second one is refused', () => {
      const o = orderIn('PAID');
      expect(o.claimForReview(at(5), PHARMACY_A, 700)).toBe(true);
      expect(() => o.claimForReview(at(5), PHARMACY_B, 700)).toThrow(
        expect.objectContaining({ code: '2003' }),
      );
      expect(o.snapshot).toMatchObject({ assignedPharmacyId: PHARMACY_A, payoutCents: 700 });
    });

    it('is a no-op when the same pharmacy claims again', () => {
      const o = orderIn('PENDING_REVIEW');
      expect(o.claimForReview(at(5), PHARMACY_A, 500)).toBe(false);
    });

    it('after a rejection, lets only the same pharmacy resubmit', () => {
      expect(() => orderIn('REJECTED').claimForReview(at(5), PHARMACY_B, 1)).toThrow(
        expect.objectContaining({ code: '2003' }),
      );
      const o = orderIn('REJECTED');
      expect(o.claimForReview(at(5), PHARMACY_A, 650)).toBe(true);
      expect(o.snapshot).toMatchObject({ status: 'PENDING_REVIEW', payoutCents: 650 });
    });

    it('refuses an expired credential even before the expiry job ran', () => {
      const o = orderIn('PAID');
      expect(() => o.claimForReview(at(60 * 24 * 31), PHARMACY_A, 1)).toThrow(
        expect.objectContaining({ code: '2003' }),
      );
    });
  });
});
