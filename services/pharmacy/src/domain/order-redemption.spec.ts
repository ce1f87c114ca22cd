import {
  claimRefusalReason,
  estimatePayout,
  isExpired,
  isRedeemableBy,
  type OrderLine,
} from './order-redemption';

const line = (medicineId: string, quantity: string, packs = 1): OrderLine => ({
  medicineId,
  name: '当归',
  pinyin: 'dāng guī',
  englishName: 'Angelica',
  unit: 'g',
  quantity,
  packs,
});
const A = 'a';
const B = 'b';

describe('order redemption', () => {
  it('estimates the payout at the pharmacy declared prices and names what it does not declare', () => {
    const items = [line(A, '12.5', 7), line(B, '9', 7)];
    const declared = new Map([[A, { priceCents: 35, available: true }]]);
    expect(estimatePayout(items, declared, { requireAvailable: true })).toEqual({
      payoutCents: 3063,
      undeclaredMedicineIds: [B],
    });
  });

  it('counts a declared but unavailable item as missing only when availability is required', () => {
    const declared = new Map([[A, { priceCents: 10, available: false }]]);
    expect(estimatePayout([line(A, '3')], declared, { requireAvailable: true })).toEqual({
      payoutCents: 30,
      undeclaredMedicineIds: [A],
    });
    expect(estimatePayout([line(A, '3')], declared, { requireAvailable: false })).toEqual({
      payoutCents: 30,
      undeclaredMedicineIds: [],
    });
  });

  it('is redeemable when PAID, or REJECTED for this same pharmacy, and everything is declared', () => {
    const full = { payoutCents: 1, undeclaredMedicineIds: [] };
    expect(isRedeemableBy({ status: 'PAID', assignedPharmacyId: null }, 'p1', full)).toBe(true);
    expect(isRedeemableBy({ status: 'REJECTED', assignedPharmacyId: 'p1' }, 'p1', full)).toBe(true);
    expect(isRedeemableBy({ status: 'REJECTED', assignedPharmacyId: 'p2' }, 'p1', full)).toBe(false);
    expect(isRedeemableBy({ status: 'PENDING_REVIEW', assignedPharmacyId: 'p1' }, 'p1', full)).toBe(false);
    expect(
      isRedeemableBy({ status: 'PAID', assignedPharmacyId: null }, 'p1', {
        payoutCents: 1,
        undeclaredMedicineIds: [A],
      }),
    ).toBe(false);
  });

  it('treats a credential at or past its expiry, or an EXPIRED order, as expired', () => {
    const now = new Date('2026-11-22T00:00:00Z');
    expect(isExpired({ status: 'PAID', expiresAt: new Date('2026-11-22T00:00:01Z') }, now)).toBe(false);
    expect(isExpired({ status: 'PAID', expiresAt: now }, now)).toBe(true);
    expect(isExpired({ status: 'EXPIRED', expiresAt: new Date('2027-01-01T00:00:00Z') }, now)).toBe(true);
  });

  it('refuses a claim locally only for states no lagging event can undo', () => {
    expect(claimRefusalReason({ status: 'PAID', assignedPharmacyId: null }, 'p1')).toBeNull();
    expect(claimRefusalReason({ status: 'REJECTED', assignedPharmacyId: 'p1' }, 'p1')).toBeNull();
    expect(claimRefusalReason({ status: 'REJECTED', assignedPharmacyId: 'p2' }, 'p1')).toMatch(
      /another pharmacy/,
    );
    expect(claimRefusalReason({ status: 'CANCELLED', assignedPharmacyId: null }, 'p1')).toMatch(/cancelled/);
    expect(claimRefusalReason({ status: 'FULFILLED', assignedPharmacyId: 'p1' }, 'p1')).toMatch(/fulfilled/);
  });
});
