import { ClinicAccount, type ClinicAccountState } from './clinic-account.entity';

const CLINIC = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e55';

const account = (state: Partial<ClinicAccountState> = {}) =>
  ClinicAccount.restore({
    clinicId: CLINIC,
    balanceCents: 0,
    creditLimitCents: 0,
    usedCreditCents: 0,
    status: 'active',
    ...state,
  });

const keyOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as { key: string }).key;
  }
  return 'ok';
};

describe(ClinicAccount.name, () => {
  it('opens empty, without credit, active', () => {
    expect(ClinicAccount.open(CLINIC).snapshot()).toEqual({
      clinicId: CLINIC,
      balanceCents: 0,
      creditLimitCents: 0,
      usedCreditCents: 0,
      status: 'active',
    });
  });

  it('computes available as balance + creditLimit − usedCredit', () => {
    expect(
      account({ balanceCents: 1000, creditLimitCents: 5000, usedCreditCents: 1500 }).availableCents,
    ).toBe(4500);
  });

  describe('debit', () => {
    it('takes the balance first, then credit, and records the after-values', () => {
      const sut = account({ balanceCents: 5000, creditLimitCents: 10_000 });
      const movement = sut.debit(8450);
      expect(movement).toEqual({
        type: 'debit',
        amountCents: -8450,
        balanceAfterCents: 0,
        usedCreditAfterCents: 3450,
        split: { balanceCents: 5000, creditCents: 3450 },
      });
      expect(sut.snapshot()).toMatchObject({ balanceCents: 0, usedCreditCents: 3450 });
    });

    it('touches no credit while the balance covers the amount', () => {
      const sut = account({ balanceCents: 5000, creditLimitCents: 10_000 });
      expect(sut.debit(5000).split).toEqual({ balanceCents: 5000, creditCents: 0 });
      expect(sut.usedCreditCents).toBe(0);
    });

    it('may spend exactly everything available, and not one cent more', () => {
      const sut = account({ balanceCents: 100, creditLimitCents: 200, usedCreditCents: 50 });
      expect(keyOf(() => sut.debit(251))).toBe('INSUFFICIENT_FUNDS');
      expect(sut.snapshot()).toMatchObject({ balanceCents: 100, usedCreditCents: 50 });
      sut.debit(250);
      expect(sut.snapshot()).toMatchObject({ balanceCents: 0, usedCreditCents: 200 });
      expect(sut.availableCents).toBe(0);
    });

    it('refuses a suspended account even when funds suffice', () => {
      const sut = account({ balanceCents: 10_000, status: 'suspended' });
      expect(keyOf(() => sut.debit(100))).toBe('ACCOUNT_SUSPENDED');
      expect(sut.balanceCents).toBe(10_000);
    });

    it.each([0, -1, 1.5, Number.NaN, 1e15])('refuses %p cents', (amount) => {
      expect(keyOf(() => account({ balanceCents: 10_000 }).debit(amount))).toBe('VALIDATION_FAILED');
    });
  });

  describe('refund', () => {
    it('restores credit first, then the balance', () => {
      const sut = account({ balanceCents: 5000, creditLimitCents: 10_000 });
      sut.debit(8450); // 5000 from balance, 3450 from credit
      expect(sut.refund(8450)).toEqual({
        type: 'refund',
        amountCents: 8450,
        balanceAfterCents: 5000,
        usedCreditAfterCents: 0,
        split: { creditCents: 3450, balanceCents: 5000 },
      });
    });

    it('puts a partial refund back on the credit line before any balance', () => {
      const sut = account({ balanceCents: 0, creditLimitCents: 10_000, usedCreditCents: 3000 });
      expect(sut.refund(1000).split).toEqual({ creditCents: 1000, balanceCents: 0 });
      expect(sut.snapshot()).toMatchObject({ balanceCents: 0, usedCreditCents: 2000 });
    });

    it('records a zero refund without moving money, also on a suspended account', () => {
      const sut = account({ balanceCents: 700, status: 'suspended' });
      expect(sut.refund(0)).toMatchObject({
        amountCents: 0,
        balanceAfterCents: 700,
        usedCreditAfterCents: 0,
      });
    });
  });

  describe('top-up', () => {
    it('repays used credit first, then adds to the balance', () => {
      const sut = account({ balanceCents: 0, creditLimitCents: 5000, usedCreditCents: 2000 });
      expect(sut.topUp(5000)).toEqual({
        type: 'topup',
        amountCents: 5000,
        balanceAfterCents: 3000,
        usedCreditAfterCents: 0,
        split: { creditCents: 2000, balanceCents: 3000 },
      });
    });

    it('refuses a top-up that would overflow the balance column', () => {
      expect(keyOf(() => account({ balanceCents: 999_999_999_999 }).topUp(1))).toBe('VALIDATION_FAILED');
    });
  });

  describe('adjustment', () => {
    it('takes a negative adjustment off the balance only', () => {
      const sut = account({ balanceCents: 1000, creditLimitCents: 5000 });
      expect(sut.adjust(-400)).toMatchObject({
        type: 'adjustment',
        amountCents: -400,
        balanceAfterCents: 600,
        usedCreditAfterCents: 0,
      });
    });

    it('refuses an adjustment that would take the balance below zero (credit is not drawn)', () => {
      const sut = account({ balanceCents: 1000, creditLimitCents: 5000 });
      expect(keyOf(() => sut.adjust(-1001))).toBe('INSUFFICIENT_FUNDS');
      expect(sut.balanceCents).toBe(1000);
    });

    it('may bring the balance to exactly zero', () => {
      expect(account({ balanceCents: 1000 }).adjust(-1000).balanceAfterCents).toBe(0);
    });

    it('pays a positive adjustment in like a top-up', () => {
      const sut = account({ creditLimitCents: 5000, usedCreditCents: 300 });
      expect(sut.adjust(500)).toMatchObject({
        amountCents: 500,
        balanceAfterCents: 200,
        usedCreditAfterCents: 0,
      });
    });

    it('refuses a zero adjustment', () => {
      expect(keyOf(() => account().adjust(0))).toBe('VALIDATION_FAILED');
    });
  });

  describe('credit limit and status', () => {
    it('refuses a credit limit below the credit in use', () => {
      const sut = account({ creditLimitCents: 5000, usedCreditCents: 3000 });
      expect(keyOf(() => sut.changeCreditLimit(2999))).toBe('VALIDATION_FAILED');
      sut.changeCreditLimit(3000);
      expect(sut.availableCents).toBe(0);
    });

    it('a suspended account still takes refunds and top-ups', () => {
      const sut = account({ balanceCents: 100 });
      sut.changeStatus('suspended');
      sut.topUp(100);
      sut.refund(50);
      expect(sut.snapshot()).toMatchObject({ balanceCents: 250, status: 'suspended' });
    });
  });

  it('refuses to restore a state that breaks its invariants', () => {
    expect(() => account({ creditLimitCents: 100, usedCreditCents: 101 })).toThrow(/inconsistent/);
    expect(() => account({ balanceCents: -1 })).toThrow(/inconsistent/);
  });

  it('keeps balance − usedCredit equal to the sum of its movements', () => {
    const sut = account({ creditLimitCents: 20_000 });
    const amounts = [
      sut.topUp(3000),
      sut.debit(4500),
      sut.debit(1200),
      sut.refund(1200),
      sut.adjust(250),
      sut.topUp(10_000),
      sut.adjust(-50),
    ].map((m) => m.amountCents);
    const sum = amounts.reduce((a, b) => a + b, 0);
    expect(sut.balanceCents - sut.usedCreditCents).toBe(sum);
  });
});
