import { linePayoutCents } from './money';
import {
  claimedByOf,
  estimatePayout,
  isExpired,
  isRedeemableBy,
  type OrderLine,
  proofRefusal,
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

  it('is redeemable when PAID, or DISPENSING / REJECTED held by this same pharmacy, and everything is declared', () => {
    const full = { payoutCents: 1, undeclaredMedicineIds: [] };
    expect(isRedeemableBy({ status: 'PAID', assignedPharmacyId: null }, 'p1', full)).toBe(true);
    expect(isRedeemableBy({ status: 'DISPENSING', assignedPharmacyId: 'p1' }, 'p1', full)).toBe(true);
    expect(isRedeemableBy({ status: 'DISPENSING', assignedPharmacyId: 'p2' }, 'p1', full)).toBe(false);
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

  it('says who holds the order: you, another pharmacy, or nobody', () => {
    expect(claimedByOf({ status: 'PAID', assignedPharmacyId: null }, 'p1')).toBeNull();
    expect(claimedByOf({ status: 'DISPENSING', assignedPharmacyId: 'p1' }, 'p1')).toBe('you');
    expect(claimedByOf({ status: 'PENDING_REVIEW', assignedPharmacyId: 'p2' }, 'p1')).toBe('another');
    expect(claimedByOf({ status: 'REJECTED', assignedPharmacyId: 'p2' }, 'p1')).toBe('another');
    expect(claimedByOf({ status: 'FULFILLED', assignedPharmacyId: 'p1' }, 'p1')).toBeNull();
  });

  it('lets only the holder submit proof; an unclaimed order must be claimed first', () => {
    expect(proofRefusal({ status: 'DISPENSING', assignedPharmacyId: 'p1' }, 'p1')).toBeNull();
    expect(proofRefusal({ status: 'REJECTED', assignedPharmacyId: 'p1' }, 'p1')).toBeNull();
    expect(proofRefusal({ status: 'PENDING_REVIEW', assignedPharmacyId: 'p1' }, 'p1')).toBeNull();
    expect(proofRefusal({ status: 'DISPENSING', assignedPharmacyId: 'p2' }, 'p1')).toMatchObject({
      code: 'ORDER_ALREADY_CLAIMED',
    });
    expect(proofRefusal({ status: 'PAID', assignedPharmacyId: null }, 'p1')).toMatchObject({
      code: 'ORDER_ALREADY_CLAIMED',
      message: expect.stringMatching(/claim it first/),
    });
    expect(proofRefusal({ status: 'CANCELLED', assignedPharmacyId: null }, 'p1')).toMatchObject({
      code: 'INVALID_ORDER_STATUS',
    });
  });

  // With every declared price at or below the catalogue price (inventory refuses more), the
  // estimate never exceeds what the clinic paid for the same lines, whatever the formula.
  it('never estimates more than the catalogue cost of the formula when prices are within the catalogue (property)', () => {
    let seed = 20261201;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let run = 0; run < 2000; run++) {
      const packs = 1 + rand(30);
      const items: OrderLine[] = [];
      const declared = new Map<string, { priceCents: number; available: boolean }>();
      let catalogueCents = 0;
      for (let i = 0; i < 1 + rand(12); i++) {
        const id = `m${i}`;
        const quantity = `${rand(60)}.${String(rand(1000)).padStart(3, '0')}`.replace(/^0\.000$/, '0.001');
        const catalogue = rand(2000);
        items.push(line(id, quantity, packs));
        declared.set(id, { priceCents: rand(catalogue + 1), available: true });
        catalogueCents += linePayoutCents(quantity, packs, catalogue);
      }
      const { payoutCents } = estimatePayout(items, declared, { requireAvailable: true });
      expect(payoutCents).toBeLessThanOrEqual(catalogueCents);
    }
  });
});
