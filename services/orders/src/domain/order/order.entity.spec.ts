import {
  ORDER_MOVES,
  ORDER_STATUSES,
  Order,
  claimPayoutCents,
  isHeld,
  type OrderLine,
  type OrderStatus,
  canMove,
} from './order.entity';
import { paymentAttemptOf } from '@prescriptchain/contracts';
import { lineTotalCents } from './order-money';

const T0 = new Date('2026-11-22T00:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const DEADLINE = at(1);
const PRACTITIONER = '11111111-1111-4111-8111-111111111111';
const PHARMACY_A = '22222222-2222-4222-8222-222222222222';
const PHARMACY_B = '33333333-3333-4333-8333-333333333333';
const ADMIN = '44444444-4444-4444-8444-444444444444';
const HOLD = (from: Date) => new Date(from.getTime() + 72 * 3_600_000);

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
    return (
      o.markPaymentFailed(at(2), 'INSUFFICIENT_FUNDS'),
      o.cancel(at(3), PRACTITIONER, 'no', { asAdmin: false }),
      o
    );
  o.markPaid(at(2), credential());
  if (status === 'PAID') return o;
  if (status === 'EXPIRED') return (o.expire(at(60 * 24 * 31)), o);
  o.claim(at(3), PHARMACY_A, 500, HOLD(at(3)));
  if (status === 'DISPENSING') return o;
  o.submitForReview(at(4), PHARMACY_A);
  if (status === 'PENDING_REVIEW') return o;
  if (status === 'FULFILLED') return (o.review(at(5), 'approve', ADMIN, null, HOLD(at(5))), o);
  o.review(at(5), 'reject', ADMIN, 'blurry photo', HOLD(at(5)));
  return o; // REJECTED
}

/** Attempts one move with the entity method that makes it. */
function attempt(o: Order, to: OrderStatus): void {
  // Expiry needs a time past the credential's expiry (or the hold); everything else happens while it is valid.
  const now = to === 'EXPIRED' ? at(60 * 24 * 40) : at(10);
  switch (to) {
    case 'PENDING_PAYMENT':
      return o.requestPayment(now, now, PRACTITIONER);
    case 'PAID':
      // Back from DISPENSING is the holder's release; otherwise accounts' debit.
      return o.status === 'DISPENSING'
        ? o.release(now, ADMIN, 'patient went elsewhere', null)
        : o.markPaid(now, credential());
    case 'DISPENSING':
      return void o.claim(now, PHARMACY_B, 100, HOLD(now));
    case 'PAYMENT_FAILED':
      return o.markPaymentFailed(now, 'INSUFFICIENT_FUNDS');
    case 'CANCELLED':
      // An admin: the prescriber is refused earlier (2002) for a claimed order, tested below.
      return void o.cancel(now, ADMIN, 'changed my mind', { asAdmin: true });
    case 'EXPIRED':
      // A claimed order expires when its hold lapses; a PAID one when its credential does.
      return void (o.status === 'DISPENSING' || o.status === 'REJECTED' ? o.lapseHold(now) : o.expire(now));
    case 'PENDING_REVIEW':
      // The holder's proof (the holder, where there is one; a repeat by it is a no-op, tested below).
      return void o.submitForReview(
        now,
        o.status === 'PENDING_REVIEW' ? PHARMACY_B : (o.assignedPharmacyId ?? PHARMACY_B),
      );
    case 'FULFILLED':
      return o.review(now, 'approve', ADMIN, null, HOLD(now));
    case 'REJECTED':
      return o.review(now, 'reject', ADMIN, null, HOLD(now));
    case 'DRAFT':
      throw Object.assign(new Error('no way back to DRAFT'), { code: '2003' });
  }
}

describe(Order.name, () => {
  describe('state machine', () => {
    const pairs = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to] as const));

    it('allows exactly the moves of the contract and nothing else', () => {
      expect(ORDER_MOVES).toEqual({
        DRAFT: ['PENDING_PAYMENT'],
        PENDING_PAYMENT: ['PAID', 'PAYMENT_FAILED'],
        PAYMENT_FAILED: ['PENDING_PAYMENT', 'CANCELLED'],
        PAID: ['DISPENSING', 'CANCELLED', 'EXPIRED'],
        DISPENSING: ['PENDING_REVIEW', 'PAID', 'EXPIRED'],
        PENDING_REVIEW: ['FULFILLED', 'REJECTED'],
        REJECTED: ['PENDING_REVIEW', 'CANCELLED', 'EXPIRED'],
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

    // A move towards a pharmacy's hold by a pharmacy that does not hold the order is refused as
    // ORDER_ALREADY_CLAIMED (4003) before the state machine is asked; everything else is 2003.
    it.each(pairs.filter(([from, to]) => !canMove(from, to)))(
      'refuses %s → %s with INVALID_ORDER_STATUS (or ORDER_ALREADY_CLAIMED for a non-holder)',
      (from, to) => {
        const o = orderIn(from);
        const history = [...o.snapshot.history];
        const code = to === 'PENDING_REVIEW' || (to === 'DISPENSING' && isHeld(from)) ? '4003' : '2003';
        expect(() => attempt(o, to)).toThrow(expect.objectContaining({ code }));
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
      expect(o.cancel(at(5), PRACTITIONER, 'patient recovered', { asAdmin: false })).toBe(true);
      expect(o.requestRefund(at(6))).toBe(false);
    });

    it('does not refund cancelling an order that was never paid', () => {
      expect(orderIn('PAYMENT_FAILED').cancel(at(5), PRACTITIONER, 'never mind', { asAdmin: false })).toBe(
        false,
      );
    });

    it('refunds a cancelled REJECTED order (it had been paid)', () => {
      expect(orderIn('REJECTED').cancel(at(5), ADMIN, 'pharmacy gave up', { asAdmin: true })).toBe(true);
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

    it('counts its payment attempts as its history counts them (what the gateway matches outcomes with)', () => {
      const o = orderIn('PAYMENT_FAILED');
      expect([o.snapshot.paymentAttempts, paymentAttemptOf(o.snapshot.history)]).toEqual([1, 1]);
      o.requestPayment(at(3), at(4), PRACTITIONER);
      o.markPaymentFailed(at(5), 'INSUFFICIENT_FUNDS');
      o.requestPayment(at(6), at(7), PRACTITIONER);
      expect([o.snapshot.paymentAttempts, paymentAttemptOf(o.snapshot.history)]).toEqual([3, 3]);
    });
  });

  describe('what a debit success means', () => {
    it('pays a PENDING_PAYMENT order', () =>
      expect(orderIn('PENDING_PAYMENT').debitSucceededOutcome()).toBe('pay'));
    it.each(['PAID', 'DISPENSING', 'PENDING_REVIEW', 'REJECTED', 'FULFILLED', 'EXPIRED'] as const)(
      'is a duplicate for a %s order',
      (s) => expect(orderIn(s).debitSucceededOutcome()).toBe('duplicate'),
    );
    it.each(['CANCELLED', 'PAYMENT_FAILED'] as const)(
      'asks for a refund for a %s order that was never paid',
      (s) => expect(orderIn(s).debitSucceededOutcome()).toBe('refund'),
    );
  });

  describe('claims (one pharmacy holds the order)', () => {
    it('goes to the first pharmacy; a second one is refused with ORDER_ALREADY_CLAIMED', () => {
      const o = orderIn('PAID');
      expect(o.claim(at(5), PHARMACY_A, 700, HOLD(at(5)))).toBe('claimed');
      expect(() => o.claim(at(5), PHARMACY_B, 700, HOLD(at(5)))).toThrow(
        expect.objectContaining({ code: '4003' }),
      );
      expect(o.snapshot).toMatchObject({
        status: 'DISPENSING',
        assignedPharmacyId: PHARMACY_A,
        payoutCents: 700,
        claimedAt: at(5),
        holdExpiresAt: HOLD(at(5)),
      });
    });

    it('answers the same claim when its holder claims again, changing nothing', () => {
      const o = orderIn('DISPENSING');
      const before = structuredClone(o.snapshot);
      expect(o.claim(at(9), PHARMACY_A, 1, HOLD(at(9)))).toBe('already-held');
      expect(o.snapshot).toEqual(before);
    });

    it('fixes the payout at the claim, never above what the clinic paid', () => {
      const o = orderIn('PAID');
      o.claim(at(5), PHARMACY_A, 1_000_000, HOLD(at(5)));
      expect(o.payoutCents).toBe(o.totalCents);
      expect(claimPayoutCents(99, 1195)).toBe(99);
      expect(() => claimPayoutCents(-1, 1195)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      );
    });

    it('refuses an expired credential even before the expiry job ran', () => {
      const o = orderIn('PAID');
      expect(() => o.claim(at(60 * 24 * 31), PHARMACY_A, 1, HOLD(at(60 * 24 * 31)))).toThrow(
        expect.objectContaining({ code: '2003' }),
      );
    });

    it('is released to PAID by its holder or an admin, never by another pharmacy', () => {
      expect(() => orderIn('DISPENSING').release(at(6), PHARMACY_B, 'no', PHARMACY_B)).toThrow(
        expect.objectContaining({ code: '4003' }),
      );
      const o = orderIn('DISPENSING');
      o.release(at(6), `pharmacy:${PHARMACY_A}`, 'out of 黄芪', PHARMACY_A);
      expect(o.snapshot).toMatchObject({
        status: 'PAID',
        assignedPharmacyId: null,
        payoutCents: null,
        claimedAt: null,
        holdExpiresAt: null,
      });
      expect(o.snapshot.history.at(-1)).toMatchObject({
        from: 'DISPENSING',
        to: 'PAID',
        reason: 'out of 黄芪',
      });
      expect(o.claim(at(7), PHARMACY_B, 300, HOLD(at(7)))).toBe('claimed');
      expect(() => orderIn('PENDING_REVIEW').release(at(6), ADMIN, 'x', null)).toThrow(
        expect.objectContaining({ code: '2003' }),
      );
    });

    it('takes proof only from its holder; a repeat is a no-op', () => {
      expect(() => orderIn('PAID').submitForReview(at(6), PHARMACY_A)).toThrow(
        expect.objectContaining({ code: '4003' }),
      );
      expect(() => orderIn('DISPENSING').submitForReview(at(6), PHARMACY_B)).toThrow(
        expect.objectContaining({ code: '4003' }),
      );
      expect(() => orderIn('REJECTED').submitForReview(at(6), PHARMACY_B)).toThrow(
        expect.objectContaining({ code: '4003' }),
      );
      const o = orderIn('DISPENSING');
      expect(o.submitForReview(at(6), PHARMACY_A)).toBe(true);
      expect(o.holdExpiresAt).toBeNull();
      expect(o.submitForReview(at(7), PHARMACY_A)).toBe(false);
      const r = orderIn('REJECTED');
      expect(r.submitForReview(at(8), PHARMACY_A)).toBe(true);
      expect(r.payoutCents).toBe(500); // fixed at the claim, not re-fixed by a resubmission
    });

    it.each(['DISPENSING', 'PENDING_REVIEW', 'REJECTED'] as const)(
      'cannot be cancelled by its prescriber while %s (ORDER_CANNOT_BE_MODIFIED)',
      (status) => {
        const o = orderIn(status);
        expect(() => o.cancel(at(9), PRACTITIONER, 'changed my mind', { asAdmin: false })).toThrow(
          expect.objectContaining({ code: '2002' }),
        );
        expect(o.status).toBe(status);
      },
    );

    it('restarts the hold at a rejection', () => {
      expect(orderIn('REJECTED').holdExpiresAt).toEqual(HOLD(at(5)));
    });

    it('lapses to EXPIRED with one refund once the hold passed, not before', () => {
      const o = orderIn('DISPENSING');
      expect(() => o.lapseHold(at(60))).toThrow(expect.objectContaining({ code: '2003' }));
      expect(o.lapseHold(HOLD(at(3)))).toBe(true);
      expect(o.status).toBe('EXPIRED');
      expect(() => o.lapseHold(HOLD(at(3)))).toThrow(expect.objectContaining({ code: '2003' }));
      expect(o.requestRefund(at(60 * 24 * 4))).toBe(false);
      const r = orderIn('REJECTED');
      expect(r.lapseHold(HOLD(at(5)))).toBe(true);
      expect(() => orderIn('PENDING_REVIEW').lapseHold(at(60 * 24 * 10))).toThrow(
        expect.objectContaining({ code: '2003' }),
      );
    });
  });

  // The platform never pays out more than it took: whatever a pharmacy declares (even prices far
  // above the catalogue's), the payout fixed at the claim is min(declared, total) ≤ the order total.
  it('never fixes a payout above the order total, over random formulas and declared prices (property)', () => {
    let seed = 72;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let run = 0; run < 2000; run++) {
      const packs = 1 + rand(30);
      const lines = Array.from({ length: 1 + rand(12) }, () => {
        const quantityMg = BigInt(1 + rand(60_000));
        const unitPriceCents = 1 + rand(3000);
        return {
          ...line(0),
          quantityMg,
          unitPriceCents,
          totalCents: lineTotalCents(unitPriceCents, quantityMg, packs),
        };
      });
      const o = Order.create({ ...draft().snapshot, packs, lines, safetyOverride: null }, T0);
      o.requestPayment(at(1), DEADLINE, PRACTITIONER);
      o.markPaid(at(2), credential());
      // Σ quantity × packs × a declared wholesale price per gram, anywhere from 0 to 100× the catalogue's.
      const declared = lines.reduce(
        (sum, l) => sum + lineTotalCents(rand(l.unitPriceCents * 100 + 1), l.quantityMg, packs),
        0,
      );
      o.claim(at(3), PHARMACY_A, declared, HOLD(at(3)));
      expect(o.payoutCents).toBeLessThanOrEqual(o.totalCents);
      expect(o.payoutCents).toBe(Math.min(declared, o.totalCents));
    }
  });
});
