import { Settlement } from './settlement.entity';

const opened = () =>
  Settlement.open({
    id: '3e4f5a6b-7c8d-4e9f-8a1b-2c3d4e5f6a77',
    orderId: '7e1d2c3b-4a5f-4e6d-8c7b-9a0f1e2d3c44',
    clinicId: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e55',
    pharmacyId: '2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f66',
    amountCents: 5230,
    at: new Date('2026-11-22T02:00:00Z'),
  });

describe(Settlement.name, () => {
  it('opens unpaid for the payout', () => {
    expect(opened().snapshot()).toMatchObject({ status: 'pending_payment', amountCents: 5230, paidAt: null });
  });

  it('is marked paid with the reference and who paid it', () => {
    const sut = opened();
    const at = new Date('2026-11-23T00:00:00Z');
    sut.markPaid({ reference: 'ANZ-1', paidBy: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', at });
    expect(sut.snapshot()).toMatchObject({ status: 'paid', reference: 'ANZ-1', paidAt: at });
  });

  it('refuses to be paid twice', () => {
    const sut = opened();
    sut.markPaid({ reference: null, paidBy: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', at: new Date() });
    expect(() =>
      sut.markPaid({ reference: 'again', paidBy: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', at: new Date() }),
    ).toThrow(expect.objectContaining({ key: 'PAYMENT_ALREADY_PROCESSED' }));
    expect(sut.snapshot().reference).toBeNull();
  });

  it('refuses a negative payout', () => {
    expect(() =>
      Settlement.open({
        id: 'x',
        orderId: 'y',
        clinicId: 'z',
        pharmacyId: 'p',
        amountCents: -1,
        at: new Date(),
      }),
    ).toThrow(expect.objectContaining({ key: 'VALIDATION_FAILED' }));
  });
});
