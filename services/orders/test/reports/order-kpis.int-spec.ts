import { randomUUID } from 'node:crypto';
import { PrismaOrderKpisQuery } from '../../src/adapters/outbound/prisma/prisma-order-kpis.query';
import { GetOrderKpisHandler } from '../../src/application/reports/get-order-kpis/get-order-kpis.handler';
import { type OrdersKit, admin, createOrdersKit, practitioner } from '../orders/orders-test-kit';

const HOUR = 3600_000;
const T0 = new Date('2026-10-01T00:00:00.000Z');
/** kit.request(): 当归 10.25 g + 白芍 9 g, 7 packs. */
const TOTAL = 1635;

/**
 * The KPI report over orders placed, paid, claimed and fulfilled at chosen times around one day
 * (the range), against the real database: what "in the range" means for each figure.
 */
describe(GetOrderKpisHandler.name, () => {
  let kit: OrdersKit;
  let sut: GetOrderKpisHandler;
  const [p1, p2, p3, p4] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const at = (hours: number) => {
    kit.clock.at = new Date(T0.getTime() + hours * HOUR);
  };

  /** Created and paid at `paidAt` hours; claimed and fulfilled at the given hours when given. */
  async function order(
    paidAt: number,
    claim?: { at: number; pharmacy: string; payout: number },
    fulfilAt?: number,
  ) {
    at(paidAt);
    const paid = await kit.paidOrder();
    if (claim) {
      at(claim.at);
      await kit.claim.execute({
        orderId: paid.id,
        pharmacyId: claim.pharmacy,
        declaredPayoutCents: claim.payout,
      });
      await kit.submitForReview.execute({ orderId: paid.id, pharmacyId: claim.pharmacy });
    }
    if (fulfilAt !== undefined) {
      at(fulfilAt);
      await kit.review.execute({ orderId: paid.id, decision: 'approve', reviewerId: randomUUID() });
    }
    return paid.id;
  }

  beforeAll(async () => {
    kit = await createOrdersKit('orders_kpis');
    sut = new GetOrderKpisHandler(new PrismaOrderKpisQuery(kit.prisma), kit.clock);

    // In the range [T0, T0 + 24 h):
    await order(1, { at: 2, pharmacy: p1, payout: 900 }, 5); // A: paid, claimed, fulfilled after 4 h
    await order(2, { at: 3, pharmacy: p2, payout: 700 }); // B: paid and claimed, awaiting review
    await order(4, { at: 26, pharmacy: p4, payout: 800 }, 30); // F: paid inside, fulfilled after the range
    at(6);
    await kit.create.execute(kit.request({ caller: practitioner([kit.clinicId]), draft: true })); // C: a draft
    const d = await kit.create.execute(kit.request()); // D: payment refused
    await kit.debitResult.rejected(kit.debitRejected(d.id, TOTAL));
    // Before the range: E paid and claimed at T0 − 2 h / − 1 h, fulfilled inside it after 6 h.
    await order(-2, { at: -1, pharmacy: p3, payout: 1000 }, 4);
    // After it: nothing of G counts.
    await order(25, { at: 25.5, pharmacy: p2, payout: 100 }, 26);
  });

  afterAll(async () => {
    await kit?.close();
  });

  it('counts each figure by when its move happened, with money in cents and rates as a cohort', async () => {
    const kpis = await sut.execute(admin(), { from: '2026-10-01', to: '2026-10-01' });
    expect(kpis).toEqual({
      from: '2026-10-01T00:00:00.000Z',
      to: '2026-10-02T00:00:00.000Z',
      ordersTotal: 4, // A, B, F, D (the draft C is not an order yet; E was created before)
      ordersPaid: 3, // A, B, F
      ordersFulfilled: 2, // A, E
      gtvCents: 3 * TOTAL,
      grossMarginCents: TOTAL - 900 + (TOTAL - 1000),
      fulfillmentRate: 0.6667, // of A, B, F: A and F fulfilled by now
      avgFulfillmentHours: 5, // A 4 h, E 6 h
      activePractitioners: 2, // the owner and C's prescriber
      activePharmacies: 2, // p1 (A), p2 (B); p3 claimed before, p4 after
      currency: 'NZD',
    });
  });

  it('defaults to the 30 days up to now, and answers an empty range with zeros and nulls', async () => {
    kit.clock.at = new Date('2027-06-01T12:00:00.000Z');
    expect(await sut.execute(admin(), {})).toEqual({
      from: '2027-05-02T12:00:00.000Z',
      to: '2027-06-01T12:00:00.000Z',
      ordersTotal: 0,
      ordersPaid: 0,
      ordersFulfilled: 0,
      gtvCents: 0,
      grossMarginCents: 0,
      fulfillmentRate: null,
      avgFulfillmentHours: null,
      activePractitioners: 0,
      activePharmacies: 0,
      currency: 'NZD',
    });
  });

  it('takes instants as half-open bounds', async () => {
    const kpis = await sut.execute(admin(), {
      from: new Date(T0.getTime() + 1 * HOUR).toISOString(),
      to: new Date(T0.getTime() + 4 * HOUR).toISOString(),
    });
    // Paid at 1 h and 2 h (A, B); F's payment at 4 h is outside; E fulfilled at 4 h is too.
    expect(kpis).toMatchObject({
      ordersPaid: 2,
      gtvCents: 2 * TOTAL,
      ordersFulfilled: 0,
      activePharmacies: 2,
    });
  });
});
