import { CheckOrderHandler } from '../../src/application/orders/check-order/check-order.handler';
import { type OrdersKit, createOrdersKit, operator, practitioner } from './orders-test-kit';

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code?: string }) => e.code,
  );

describe(CheckOrderHandler.name, () => {
  let kit: OrdersKit;
  beforeAll(async () => {
    kit = await createOrdersKit('orders_check');
  });
  afterAll(async () => {
    await kit?.close();
  });

  const counts = async () => ({
    orders: (await kit.sql<{ n: string }>('SELECT count(*)::text AS n FROM orders'))[0].n,
    outbox: (await kit.sql<{ n: string }>('SELECT count(*)::text AS n FROM outbox_message'))[0].n,
  });

  it('prices the formula exactly as an order would, and stores and sends nothing', async () => {
    const before = await counts();
    const request = kit.request();
    const checked = await kit.check.execute({
      caller: request.caller,
      clinicId: request.clinicId,
      items: request.items,
      packs: request.packs,
      pregnant: false,
    });
    // 当归 10.25 g × 7 packs at 0.14/g + 白芍 9 g × 7 at 0.10/g = 1005 + 630 cents (the kit's formula).
    expect(checked).toMatchObject({
      packs: 7,
      totalCents: 1635,
      currency: 'NZD',
      safety: [],
      items: [
        { medicineId: kit.medicine('RAW-DANGGUI'), quantity: '10.25', totalPriceCents: 1005 },
        { medicineId: kit.medicine('RAW-BAISHAO'), quantity: '9', totalPriceCents: 630 },
      ],
    });
    const order = await kit.create.execute(kit.request());
    expect(order.totalCents).toBe(checked.totalCents);
    expect(order.items.map((i) => i.totalPriceCents)).toEqual(checked.items.map((i) => i.totalPriceCents));
    const after = await counts();
    // Only the order placed above was written (and its debit request), none by the check.
    expect(Number(after.orders) - Number(before.orders)).toBe(1);
    expect(Number(after.outbox) - Number(before.outbox)).toBe(1);
  });

  it('lists 甘草 with 甘遂 as an overridable 十八反 finding instead of refusing it', async () => {
    const [gancao, gansui] = [kit.medicine('RAW-GANCAO'), kit.medicine('RAW-GANSUI')];
    const checked = await kit.check.execute({
      caller: kit.owner,
      clinicId: kit.clinicId,
      items: [
        { medicineId: gancao, quantity: '6' },
        { medicineId: gansui, quantity: '1' },
      ],
      packs: 3,
      pregnant: false,
    });
    expect(checked.safety).toEqual([
      expect.objectContaining({
        rule: 'EIGHTEEN_INCOMPATIBLE',
        medicineIds: [gancao, gansui],
        overridable: true,
      }),
    ]);
    expect(checked.safety[0].message).toMatch(/甘草/);
    expect(checked.totalCents).toBeGreaterThan(0);
  });

  it('shows an NZ-restricted herb as a finding that cannot be overridden, and pregnancy cautions only when pregnant', async () => {
    const mahuang = kit.medicine('RAW-MAHUANG');
    const formula = { caller: kit.owner, clinicId: kit.clinicId, packs: 1 };
    const restricted = await kit.check.execute({
      ...formula,
      items: [{ medicineId: mahuang, quantity: '6' }],
      pregnant: false,
    });
    expect(restricted.safety.map((s) => [s.rule, s.overridable])).toEqual([['NZ_RESTRICTED', false]]);

    const sanleng = kit.medicine('RAW-SANLENG');
    const notPregnant = await kit.check.execute({
      ...formula,
      items: [{ medicineId: sanleng, quantity: '6' }],
      pregnant: false,
    });
    expect(notPregnant.safety).toEqual([]);
    const pregnant = await kit.check.execute({
      ...formula,
      items: [{ medicineId: sanleng, quantity: '6' }],
      pregnant: true,
    });
    expect(pregnant.safety.map((s) => s.rule)).toEqual(['PREGNANCY']);
  });

  it('refuses an invalid formula with the same VALIDATION_FAILED as an order', async () => {
    await expect(
      codeOf(
        kit.check.execute({
          caller: kit.owner,
          clinicId: kit.clinicId,
          items: [{ medicineId: kit.medicine('RAW-DANGGUI'), quantity: '-1' }],
          packs: 1,
          pregnant: false,
        }),
      ),
    ).resolves.toBe('VALIDATION_FAILED');
  });

  it('lets only a practitioner of the clinic check for it', async () => {
    const items = [{ medicineId: kit.medicine('RAW-DANGGUI'), quantity: '10' }];
    const base = { clinicId: kit.clinicId, items, packs: 1, pregnant: false };
    await expect(codeOf(kit.check.execute({ ...base, caller: practitioner([]) }))).resolves.toBe('1003');
    await expect(
      codeOf(kit.check.execute({ ...base, caller: operator(kit.clinicId) })),
    ).resolves.toBe('1003');
  });
});
