import { randomUUID } from 'node:crypto';
import {
  PHARMACY_RPC,
  type NearbyPharmaciesView,
  type PharmacyCaller,
  type PharmacyView,
  PharmacyOperatorLinkedV1,
} from '@prescriptchain/contracts';
import { type PharmacyKit, TestClock, createPharmacyKit } from './pharmacy-test-kit';

// Auckland CBD; one degree of latitude is ~111.2 km.
const CENTER = { lat: -36.8485, lng: 174.7633 };
const north = (km: number) => ({ lat: CENTER.lat + km / 111.2, lng: CENTER.lng });
const MONDAY_9_TO_5 = { mon: [{ open: '09:00', close: '17:00' }] };

describe('pharmacy directory, inventory and nearby search', () => {
  let kit: PharmacyKit;
  const clock = new TestClock(new Date('2026-11-22T20:30:00Z'));
  let a: PharmacyView;
  let b: PharmacyView;
  let c: PharmacyView;
  let d: PharmacyView;
  let suspended: PharmacyView;
  let operatorA: PharmacyCaller;
  let operatorB: PharmacyCaller;
  const M1 = randomUUID();
  const M2 = randomUUID();

  const nearby = (query: Record<string, unknown>) =>
    kit.call<NearbyPharmaciesView>(PHARMACY_RPC.nearby, { ...CENTER, ...query });
  const names = (view: NearbyPharmaciesView) => view.pharmacies.map((p) => p.name);

  beforeAll(async () => {
    kit = await createPharmacyKit('pharmacy_nearby', { clock });
    a = await kit.createPharmacy({ name: 'A 0.5 km', location: north(0.5), serviceHours: MONDAY_9_TO_5 });
    b = await kit.createPharmacy({ name: 'B 3 km', location: north(3) });
    c = await kit.createPharmacy({ name: 'C 8 km', location: north(8) });
    d = await kit.createPharmacy({ name: 'D 20 km', location: north(20) });
    suspended = await kit.createPharmacy({ name: 'E 1 km suspended', location: north(1) });
    await kit.call(PHARMACY_RPC.suspendPharmacy, { caller: kit.admin, pharmacyId: suspended.id });
    operatorA = await kit.operatorOf(a.id);
    operatorB = await kit.operatorOf(b.id);
    await kit.call(PHARMACY_RPC.replaceInventory, {
      caller: operatorA,
      pharmacyId: a.id,
      items: [
        { medicineId: M1, wholesalePriceCents: 12, available: true },
        { medicineId: M2, wholesalePriceCents: 30, available: true },
      ],
    });
    await kit.call(PHARMACY_RPC.replaceInventory, {
      caller: operatorB,
      pharmacyId: b.id,
      items: [
        { medicineId: M1, wholesalePriceCents: 11, available: true },
        { medicineId: M2, wholesalePriceCents: 29, available: false },
      ],
    });
  });

  afterAll(async () => {
    await kit?.close();
  });

  it('lists only active pharmacies within the radius, nearest first, with distances in km (2 dp)', async () => {
    const view = await nearby({});
    expect(names(view)).toEqual(['A 0.5 km', 'B 3 km', 'C 8 km']);
    expect(view.pharmacies.map((p) => p.distanceKm)).toEqual([
      expect.closeTo(0.5, 1),
      expect.closeTo(3, 1),
      expect.closeTo(8, 1),
    ]);
    for (const p of view.pharmacies) expect(Math.round(p.distanceKm * 100)).toBe(p.distanceKm * 100);
    expect(view.searchCenter).toEqual(CENTER);
    expect(view.searchRadius).toBe(10);
    expect(view.pharmacies[0]).toMatchObject({
      id: a.id,
      address: a.address,
      location: { lat: expect.closeTo(north(0.5).lat, 6) },
    });
  });

  it('widens with the radius and stops at the limit', async () => {
    expect(names(await nearby({ radiusKm: 25 }))).toEqual(['A 0.5 km', 'B 3 km', 'C 8 km', 'D 20 km']);
    expect(names(await nearby({ radiusKm: 2 }))).toEqual(['A 0.5 km']);
    expect(names(await nearby({ radiusKm: '25', limit: '2' }))).toEqual(['A 0.5 km', 'B 3 km']);
  });

  it('says which pharmacies declare every requested medicine as available', async () => {
    const both = await nearby({ medicineIds: [M1, M2] });
    expect(both.pharmacies.map((p) => [p.name, p.canSupplyAll])).toEqual([
      ['A 0.5 km', true],
      ['B 3 km', false], // declares M2 but not available
      ['C 8 km', false], // declares nothing
    ]);
    const one = await nearby({ medicineIds: `${M1},${M1}` });
    expect(one.pharmacies.map((p) => p.canSupplyAll)).toEqual([true, true, false]);
    expect((await nearby({})).pharmacies.every((p) => p.canSupplyAll)).toBe(true);
  });

  it('computes openNow in Pacific/Auckland time, across the September DST change', async () => {
    // Monday 08:30 NZST (UTC+12): closed. The same UTC time a week later is 09:30 NZDT (UTC+13): open.
    clock.at = new Date('2026-09-20T20:30:00Z');
    expect((await nearby({})).pharmacies[0]).toMatchObject({ name: 'A 0.5 km', openNow: false });
    clock.at = new Date('2026-09-27T20:30:00Z');
    expect((await nearby({})).pharmacies[0]).toMatchObject({ name: 'A 0.5 km', openNow: true });
    // Pharmacies without hours are never reported open.
    expect((await nearby({})).pharmacies[1]).toMatchObject({ name: 'B 3 km', openNow: false });
  });

  it.each([
    [{ lat: 91 }, 'lat'],
    [{ lat: -90.5 }, 'lat'],
    [{ lng: 181 }, 'lng'],
    [{ lng: 'east' }, 'lng'],
    [{ lat: '' }, 'lat'],
    [{ lat: null }, 'lat'],
    [{ radiusKm: 101 }, 'radiusKm'],
    [{ radiusKm: 0 }, 'radiusKm'],
    [{ limit: 51 }, 'limit'],
    [{ medicineIds: ['not-a-uuid'] }, 'medicineIds'],
  ])('refuses bad search input %j with VALIDATION_FAILED naming %s', async (bad, path) => {
    const failure = await kit.failure(PHARMACY_RPC.nearby, { ...CENTER, ...bad });
    expect(failure.code).toBe('VALIDATION_FAILED');
    expect((failure.details as { path: string }[]).map((x) => x.path.split('.')[0])).toContain(path);
  });

  it('asks for coordinates when an address cannot be geocoded (no Mapbox configured)', async () => {
    const failure = await kit.failure(PHARMACY_RPC.createPharmacy, {
      caller: kit.admin,
      name: 'No coordinates',
      address: { street: '2 Queen Street', city: 'Auckland', country: 'NZ', postalCode: '1010' },
      contact: { email: 'x@pharmacy.test' },
    });
    expect(failure).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'location' }] });
    expect(failure.message).toMatch(/coordinates/);
  });

  it('lets only admins manage pharmacies and publishes registered / updated with the current card', async () => {
    const valid = {
      name: 'By an operator',
      address: a.address,
      location: CENTER,
      contact: { email: 'x@pharmacy.test' },
    };
    expect((await kit.failure(PHARMACY_RPC.createPharmacy, { caller: operatorA, ...valid })).code).toBe(
      '1003',
    );
    expect(
      (await kit.failure(PHARMACY_RPC.suspendPharmacy, { caller: operatorA, pharmacyId: a.id })).code,
    ).toBe('1003');
    expect(
      (await kit.failure(PHARMACY_RPC.updatePharmacy, { caller: operatorA, pharmacyId: a.id, name: 'Mine' }))
        .code,
    ).toBe('1003');
    const outbox = await kit.sql<{ type: string; payload: any }>(
      `SELECT type, envelope->'payload' AS payload FROM outbox_message WHERE envelope->'payload'->>'pharmacyId' = $1 ORDER BY id`,
      [suspended.id],
    );
    expect(outbox).toEqual([
      {
        type: 'pharmacy.pharmacy.registered',
        payload: {
          pharmacyId: suspended.id,
          name: 'E 1 km suspended',
          contactEmail: 'orders@pharmacy.test',
          locale: 'en',
        },
      },
      {
        type: 'pharmacy.pharmacy.updated',
        payload: {
          pharmacyId: suspended.id,
          name: 'E 1 km suspended',
          contactEmail: 'orders@pharmacy.test',
          locale: 'en',
          status: 'suspended',
        },
      },
    ]);
    const list = await kit.call(PHARMACY_RPC.listPharmacies, { caller: kit.admin, status: 'suspended' });
    expect(list.items.map((p: PharmacyView) => p.id)).toEqual([suspended.id]);
  });

  it("refuses inventory from anyone but the pharmacy's own operator, and from a suspended pharmacy", async () => {
    const replace = (caller: PharmacyCaller, pharmacyId: string) =>
      kit.failure(PHARMACY_RPC.replaceInventory, { caller, pharmacyId, items: [] });
    expect((await replace(operatorB, a.id)).code).toBe('1003');
    expect((await replace(kit.admin, a.id)).code).toBe('1003');
    const operatorE = await kit.operatorOf(suspended.id);
    expect((await replace(operatorE, suspended.id)).code).toBe('4001');
    // The replaced list is the whole truth: B now declares only M2.
    await kit.call(PHARMACY_RPC.replaceInventory, {
      caller: operatorB,
      pharmacyId: b.id,
      items: [{ medicineId: M2, wholesalePriceCents: 2999, available: true }],
    });
    const inventory = await kit.call(PHARMACY_RPC.getInventory, { caller: operatorB, pharmacyId: b.id });
    expect(inventory.items).toEqual([
      { medicineId: M2, wholesalePriceCents: 2999, available: true, updatedAt: expect.any(String) },
    ]);
    expect(
      await kit.sql('SELECT wholesale_price::text AS p FROM inventory_item WHERE pharmacy_id = $1', [b.id]),
    ).toEqual([{ p: '29.99' }]);
  });

  it("refuses a wholesale price above the medicine's catalogue price, or an unknown medicine, with details", async () => {
    kit.orders.cataloguePrices.set(M2, 45); // NZD 0.45 per gram
    try {
      kit.orders.defaultCataloguePriceCents = null; // only the medicines named above exist
      const refused = await kit.failure(PHARMACY_RPC.replaceInventory, {
        caller: operatorB,
        pharmacyId: b.id,
        items: [
          { medicineId: M2, wholesalePriceCents: 100_000, available: true },
          { medicineId: M1, wholesalePriceCents: 10, available: true },
        ],
      });
      expect(refused).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [
          { path: 'items.0.wholesalePrice', message: '1000.00 is above the catalogue price 0.45 per unit' },
          { path: 'items.1.medicineId', message: `no medicine ${M1} in the catalogue` },
        ],
      });
      // Nothing of the refused list was written; at the catalogue price exactly it is accepted.
      expect(
        await kit.sql('SELECT wholesale_price::text AS p FROM inventory_item WHERE pharmacy_id = $1', [b.id]),
      ).toEqual([{ p: '29.99' }]);
      await kit.call(PHARMACY_RPC.replaceInventory, {
        caller: operatorB,
        pharmacyId: b.id,
        items: [{ medicineId: M2, wholesalePriceCents: 45, available: true }],
      });
    } finally {
      kit.orders.defaultCataloguePriceCents = 1_000_000;
      kit.orders.cataloguePrices.clear();
      await kit.call(PHARMACY_RPC.replaceInventory, {
        caller: operatorB,
        pharmacyId: b.id,
        items: [{ medicineId: M2, wholesalePriceCents: 2999, available: true }],
      });
    }
  });

  it('keeps an operator on the newest link when identity events arrive out of order', async () => {
    const userId = randomUUID();
    await kit.events.publish(
      PharmacyOperatorLinkedV1,
      { userId, pharmacyId: c.id, previousPharmacyId: d.id, linkedBy: kit.admin.userId },
      { occurredAt: new Date('2026-11-22T10:00:00Z') },
    );
    await kit.eventually(
      async () =>
        (await kit.sql('SELECT 1 FROM pharmacy_operator WHERE user_id = $1', [userId])).length === 1,
    );
    await kit.events.publish(
      PharmacyOperatorLinkedV1,
      { userId, pharmacyId: d.id, previousPharmacyId: null, linkedBy: kit.admin.userId },
      { occurredAt: new Date('2026-11-22T09:00:00Z') },
    );
    // Give the late, older event time to be consumed; the link stays on C.
    await kit.eventually(
      async () =>
        (await kit.sql(`SELECT 1 FROM inbox_message WHERE consumer = 'pharmacy.operator-links'`)).length >= 5,
    );
    expect(await kit.sql('SELECT pharmacy_id FROM pharmacy_operator WHERE user_id = $1', [userId])).toEqual([
      { pharmacy_id: c.id },
    ]);
  });
});
