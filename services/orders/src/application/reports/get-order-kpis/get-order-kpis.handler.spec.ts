import { randomUUID } from 'node:crypto';
import type { OrderCaller } from '@prescriptchain/contracts';
import { Clock } from '../../orders/clock';
import { type KpiRange, type OrderKpiFigures, OrderKpisQuery } from '../../ports/order-kpis-query';
import { GetOrderKpisHandler } from './get-order-kpis.handler';

class FakeKpisQuery extends OrderKpisQuery {
  ranges: KpiRange[] = [];
  answer: OrderKpiFigures = {
    ordersCreated: 9,
    activePractitioners: 4,
    ordersPaid: 3,
    paidTotalCents: 12_345,
    paidSinceFulfilled: 2,
    ordersFulfilled: 5,
    fulfilledMarginCents: -250,
    avgFulfillmentSeconds: 3 * 3600 + 1234,
    activePharmacies: 2,
  };
  async figures(range: KpiRange) {
    this.ranges.push(range);
    return this.answer;
  }
}

const caller = (role: OrderCaller['role']): OrderCaller => ({ userId: randomUUID(), role, clinicIds: [] });
const NOW = new Date('2026-11-22T10:30:00.000Z');

describe(GetOrderKpisHandler.name, () => {
  let query: FakeKpisQuery;
  let sut: GetOrderKpisHandler;
  beforeEach(() => {
    query = new FakeKpisQuery();
    sut = new GetOrderKpisHandler(query, { now: () => new Date(NOW) } as Clock);
  });

  it('reports the figures with the cohort fulfillment rate to 4 places and hours to 2', async () => {
    const kpis = await sut.execute(caller('admin'), {});
    expect(kpis).toMatchObject({
      ordersTotal: 9,
      ordersPaid: 3,
      ordersFulfilled: 5,
      gtvCents: 12_345,
      grossMarginCents: -250,
      fulfillmentRate: 0.6667,
      avgFulfillmentHours: 3.34,
      activePractitioners: 4,
      activePharmacies: 2,
      currency: 'NZD',
    });
  });

  it('covers the 30 days up to now by default', async () => {
    const kpis = await sut.execute(caller('admin'), {});
    expect(query.ranges).toEqual([{ from: new Date('2026-10-23T10:30:00.000Z'), to: NOW }]);
    expect([kpis.from, kpis.to]).toEqual(['2026-10-23T10:30:00.000Z', NOW.toISOString()]);
  });

  it('reads bare dates as whole UTC days, the end day included', async () => {
    await sut.execute(caller('admin'), { from: '2026-11-01', to: '2026-11-15' });
    expect(query.ranges).toEqual([
      { from: new Date('2026-11-01T00:00:00.000Z'), to: new Date('2026-11-16T00:00:00.000Z') },
    ]);
  });

  it('counts 30 days back from a given end when only `to` is given', async () => {
    await sut.execute(caller('admin'), { to: '2026-11-15T00:00:00+13:00' });
    expect(query.ranges).toEqual([
      { from: new Date('2026-10-15T11:00:00.000Z'), to: new Date('2026-11-14T11:00:00.000Z') },
    ]);
  });

  it('says null rather than dividing by zero when nothing was paid or fulfilled', async () => {
    query.answer = { ...query.answer, ordersPaid: 0, paidSinceFulfilled: 0, avgFulfillmentSeconds: null };
    expect(await sut.execute(caller('admin'), {})).toMatchObject({
      fulfillmentRate: null,
      avgFulfillmentHours: null,
    });
  });

  it('refuses an empty or inverted range as VALIDATION_FAILED without querying', async () => {
    await expect(
      sut.execute(caller('admin'), { from: '2026-11-02', to: '2026-11-01' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(query.ranges).toEqual([]);
  });

  it('answers admins only', async () => {
    for (const role of ['practitioner', 'pharmacy_operator'] as const) {
      await expect(sut.execute(caller(role), {})).rejects.toMatchObject({ code: '1003' });
    }
    expect(query.ranges).toEqual([]);
  });
});
