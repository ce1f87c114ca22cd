import { z } from 'zod';
import { buildOpenApiDocument } from '../routes/openapi.document';
import { defineRoute } from '../routes/route';
import { formatCents, moneyInput, MoneySchema, parseCents, toWire, wireShape } from './money';

describe('money at the HTTP edge', () => {
  describe(parseCents.name, () => {
    it.each([
      ['0', 0],
      ['0.00', 0],
      ['-0.00', 0],
      ['12', 1200],
      ['12.5', 1250],
      ['12.50', 1250],
      ['0.07', 7],
      ['-12.50', -1250],
      ['+3.10', 310],
      // Values a float parse gets wrong: 0.29 * 100 = 28.999999999999996, 1.005 rounds down.
      ['0.29', 29],
      ['1.15', 115],
      ['9999999999.99', 999_999_999_999],
      ['-9999999999.99', -999_999_999_999],
    ])('reads %j as %d cents', (text, cents) => {
      expect(parseCents(text)).toBe(cents);
      expect(Object.is(parseCents(text), -0)).toBe(false);
    });

    it.each([
      '',
      '.5',
      '12.',
      '12.345',
      '1e3',
      '0x10',
      '1,000.00',
      ' 12.00',
      '12.00 ',
      '--1',
      'NaN',
      'Infinity',
      '12345678901',
    ])('refuses %j', (text) => {
      expect(parseCents(text)).toBeNull();
    });
  });

  describe(formatCents.name, () => {
    it.each([
      [0, '0.00'],
      [7, '0.07'],
      [29, '0.29'],
      [1250, '12.50'],
      [-1250, '-12.50'],
      [-7, '-0.07'],
      [999_999_999_999, '9999999999.99'],
      [Number.MAX_SAFE_INTEGER, '90071992547409.91'],
    ])('writes %d cents as %j', (cents, text) => {
      expect(formatCents(cents)).toBe(text);
      expect(MoneySchema.safeParse(text).success).toBe(true);
    });

    it('round-trips every cent value of a wide sample exactly', () => {
      const wrong: number[] = [];
      for (let cents = -100_000; cents <= 100_000; cents += 3)
        if (parseCents(formatCents(cents)) !== cents) wrong.push(cents);
      expect(wrong).toEqual([]);
    });

    it('refuses a float or an unsafe integer instead of rounding it', () => {
      for (const bad of [12.5, 0.1 + 0.2, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
        expect(() => formatCents(bad)).toThrow(RangeError);
      }
    });
  });

  describe(moneyInput.name, () => {
    const topUp = moneyInput({ minCents: 50, maxCents: 99_999_999 });
    const adjustment = moneyInput({ signed: true, maxCents: 999_999_999_999, nonZero: true });
    const messages = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
      r.error?.issues.map((i) => i.message) ?? [];

    it('turns a decimal string into integer cents', () => {
      expect(topUp.parse('25.00')).toBe(2500);
      expect(topUp.parse('0.5')).toBe(50);
      expect(adjustment.parse('-12.50')).toBe(-1250);
    });

    it('refuses JSON numbers, more than two places and a sign where none is allowed', () => {
      for (const bad of [12.5, 1250, '12.345', '1e3', '-5.00', '+5.00', null]) {
        expect([bad, topUp.safeParse(bad).success]).toEqual([bad, false]);
      }
      expect(messages(topUp.safeParse('12.345'))).toEqual([
        'must be a decimal amount as a string, like "12.50", with at most two decimal places',
      ]);
    });

    it('says the bounds in money, not in cents', () => {
      expect(messages(topUp.safeParse('0.49'))).toEqual(['must be at least 0.50']);
      expect(messages(topUp.safeParse('1000000.00'))).toEqual(['must be at most 999999.99']);
      expect(messages(adjustment.safeParse('0.00'))).toEqual(['must not be zero']);
    });

    it('is documented as a string with an example in the OpenAPI document', () => {
      const doc = buildOpenApiDocument([
        defineRoute({
          id: 'pay',
          method: 'post',
          path: '/api/v1/pay',
          access: 'public',
          summary: 'pay',
          tags: ['t'],
          body: z.object({ amount: topUp }),
          response: { status: 200, data: MoneySchema },
        }),
      ]) as Record<string, any>;
      const amount =
        doc.paths['/api/v1/pay'].post.requestBody.content['application/json'].schema.properties.amount;
      expect(amount).toMatchObject({ type: 'string', example: '12.50' });
    });
  });
});

describe('contract views in their HTTP form', () => {
  const View = z.object({
    id: z.string(),
    totalCents: z.number().int().meta({ description: 'The total.' }),
    payoutCents: z.number().int().nullable(),
    items: z.array(z.object({ unitPriceCents: z.number().int(), name: z.string() })),
    untouched: z.object({ a: z.string() }),
  });

  it('turns every <name>Cents field into a <name> money string, in place, keeping the rest', () => {
    const shape = wireShape(View, { totalCents: 'totalAmount' });
    expect(Object.keys(shape.shape)).toEqual(['id', 'totalAmount', 'payout', 'items', 'untouched']);
    expect(shape.shape.untouched).toBe(View.shape.untouched);
    expect(z.globalRegistry.get(shape.shape.totalAmount as z.ZodType)?.description).toBe('The total.');
    const wire = toWire(
      { id: 'x', totalCents: 1250, payoutCents: null, items: [{ unitPriceCents: 7, name: 'n' }], untouched: { a: 'b' } },
      { totalCents: 'totalAmount' },
    );
    expect(wire).toEqual({
      id: 'x',
      totalAmount: '12.50',
      payout: null,
      items: [{ unitPrice: '0.07', name: 'n' }],
      untouched: { a: 'b' },
    });
    expect(shape.parse(wire)).toEqual(wire);
  });

  it('refuses a money field that is not a number of cents', () => {
    expect(() => wireShape(z.object({ priceCents: z.string() }))).toThrow(TypeError);
  });
});
