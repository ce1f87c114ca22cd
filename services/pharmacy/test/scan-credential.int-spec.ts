import { randomInt, randomUUID } from 'node:crypto';
import {
  CROCKFORD_ALPHABET,
  OrderCancelledV1,
  PHARMACY_RPC,
  type PharmacyCaller,
  generatePlatformOrderId,
  type ScanResultView,
} from '@prescriptchain/contracts';
import { type PharmacyKit, TestClock, createPharmacyKit } from './pharmacy-test-kit';
import { type MintedOrder, newCredentialKey } from './support/orders-standin';

const M1 = randomUUID();
const M2 = randomUUID();
// 12.5 g × 7 packs × 35 c/g = 3062.5 → 3063; 9 g × 7 × 18 c/g = 1134.
const ITEMS = [
  { medicineId: M1, quantity: '12.5', packs: 7 },
  { medicineId: M2, quantity: '9', packs: 7 },
];
const FULL_PRICES = [
  { medicineId: M1, wholesalePriceCents: 35, available: true },
  { medicineId: M2, wholesalePriceCents: 18, available: true },
];

/** The same platformOrderId with its first body symbol changed: the check character no longer matches. */
function typo(platformOrderId: string): string {
  const i = 3; // PC-[X]XXX-XXXX-C
  const next =
    CROCKFORD_ALPHABET[(CROCKFORD_ALPHABET.indexOf(platformOrderId[i]) + 1) % CROCKFORD_ALPHABET.length];
  return platformOrderId.slice(0, i) + next + platformOrderId.slice(i + 1);
}

describe('scanning a prescription credential', () => {
  let kit: PharmacyKit;
  const clock = new TestClock();
  let operator: PharmacyCaller;
  let order: MintedOrder;

  const scan = (caller: PharmacyCaller, body: Record<string, unknown>) =>
    kit.call<ScanResultView>(PHARMACY_RPC.scanCredential, { caller, ...body });
  const scanFailure = (caller: PharmacyCaller, body: Record<string, unknown>) =>
    kit.failure(PHARMACY_RPC.scanCredential, { caller, ...body });

  /** A linked operator of a new active pharmacy with the given declared prices. */
  async function pharmacyWith(prices: typeof FULL_PRICES): Promise<PharmacyCaller> {
    const pharmacy = await kit.createPharmacy();
    const op = await kit.operatorOf(pharmacy.id);
    await kit.call(PHARMACY_RPC.replaceInventory, { caller: op, pharmacyId: pharmacy.id, items: prices });
    return op;
  }

  async function mint(options: Parameters<PharmacyKit['orders']['paidOrder']>[1] = {}): Promise<MintedOrder> {
    const minted = await kit.orders.paidOrder(ITEMS, options);
    await kit.orderVisible(minted.orderId);
    return minted;
  }

  beforeAll(async () => {
    kit = await createPharmacyKit('pharmacy_scan', {
      clock,
      env: { SCAN_CODE_MAX_FAILURES_PER_PHARMACY: '8' },
    });
    await kit.eventually(
      async () =>
        (await kit.sql('SELECT 1 FROM credential_key WHERE kid = $1', [kit.orders.kid])).length === 1,
    );
    operator = await pharmacyWith(FULL_PRICES);
    order = await mint();
  });

  afterAll(async () => {
    await kit?.close();
  });

  it('verifies a real EdDSA-signed QR token and answers the order with the payout at declared prices', async () => {
    const result = await scan(operator, { qrCodeData: order.qrCodeData });
    expect(result).toEqual({
      order: {
        id: order.orderId,
        platformOrderId: order.platformOrderId,
        status: 'PAID',
        items: [
          expect.objectContaining({ medicineId: M1, quantity: '12.5', packs: 7, name: '当归' }),
          expect.objectContaining({ medicineId: M2, quantity: '9', packs: 7 }),
        ],
        patientName: 'Mere Tane',
        expiresAt: order.expiresAt.toISOString(),
      },
      estimatedPayoutCents: 4197,
      currency: 'NZD',
      redeemable: true,
      undeclaredMedicineIds: [],
      claimedBy: null,
    });
    const log = await kit.sql(
      `SELECT operator_id, order_id, method, outcome FROM scan_log WHERE order_id = $1`,
      [order.orderId],
    );
    expect(log).toEqual([
      { operator_id: operator.userId, order_id: order.orderId, method: 'qr', outcome: 'verified' },
    ]);
  });

  it('keeps the patient name encrypted at rest in the read model', async () => {
    const [row] = await kit.sql('SELECT patient_name_enc FROM order_view WHERE order_id = $1', [
      order.orderId,
    ]);
    expect(row.patient_name_enc).not.toContain('Mere');
    expect(row.patient_name_enc.split(':')).toHaveLength(4);
  });

  it('refuses a tampered token: claims swapped under the old signature, or an altered signature', async () => {
    const other = await mint();
    const [header, , signature] = order.qrCodeData.split('.');
    const [, otherClaims] = other.qrCodeData.split('.');
    const swapped = `${header}.${otherClaims}.${signature}`;
    const flipped = `${header}.${order.qrCodeData.split('.')[1]}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    for (const qrCodeData of [swapped, flipped, 'not.a.token', order.qrCodeData.slice(0, -3)]) {
      expect(await scanFailure(operator, { qrCodeData })).toMatchObject({ code: '4002' });
    }
    expect(
      await kit.sql(
        `SELECT count(*)::int AS n FROM scan_log WHERE outcome = 'invalid_credential' AND method = 'qr'`,
      ),
    ).toEqual([{ n: 4 }]);
  });

  it('refuses a token signed by a key orders never published', async () => {
    const stranger = await newCredentialKey();
    const forged = await kit.orders.sign(
      { oid: order.orderId, pid: order.platformOrderId },
      order.expiresAt,
      stranger,
    );
    expect(await scanFailure(operator, { qrCodeData: forged })).toMatchObject({ code: '4002' });
  });

  it('refuses an expired token and an order past its credential expiry', async () => {
    const shortToken = await kit.orders.sign(
      { oid: order.orderId, pid: order.platformOrderId },
      new Date(clock.now().getTime() + 60_000),
    );
    expect((await scan(operator, { qrCodeData: shortToken })).redeemable).toBe(true);
    clock.advanceSeconds(61);
    expect(await scanFailure(operator, { qrCodeData: shortToken })).toMatchObject({ code: '4002' });

    const expiring = await mint({ expiresAt: new Date(clock.now().getTime() + 3_600_000) });
    clock.advanceSeconds(3_600);
    expect(await scanFailure(operator, { qrCodeData: expiring.qrCodeData })).toMatchObject({ code: '4002' });
    expect(
      await scanFailure(operator, {
        platformOrderId: expiring.platformOrderId,
        verificationCode: expiring.verificationCode,
      }),
    ).toMatchObject({
      code: '4002',
    });
  });

  it('accepts the typed platformOrderId with its 6-digit code, in any reasonable spelling', async () => {
    const spelled = order.platformOrderId.toLowerCase().replace(/-/g, ' ');
    const result = await scan(operator, {
      platformOrderId: spelled,
      verificationCode: order.verificationCode,
    });
    expect(result.order.id).toBe(order.orderId);
    expect(result.redeemable).toBe(true);
  });

  it('refuses a platformOrderId with a wrong check character and an unknown one', async () => {
    expect(
      await scanFailure(operator, {
        platformOrderId: typo(order.platformOrderId),
        verificationCode: order.verificationCode,
      }),
    ).toMatchObject({
      code: '4002',
    });
    const unknown = generatePlatformOrderId(() => randomInt(32));
    expect(
      await scanFailure(operator, { platformOrderId: unknown, verificationCode: order.verificationCode }),
    ).toMatchObject({ code: '4002' });
  });

  it('locks the order for 15 minutes after 5 wrong codes, even for the right code, then lets it through', async () => {
    // A pharmacy of its own, so the per-pharmacy limit of other tests' wrong codes stays out of it.
    const typist = await pharmacyWith(FULL_PRICES);
    const target = await mint();
    const wrong = String((Number(target.verificationCode) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i++) {
      expect(
        await scanFailure(typist, { platformOrderId: target.platformOrderId, verificationCode: wrong }),
      ).toMatchObject({ code: '4002' });
    }
    const locked = await scanFailure(typist, {
      platformOrderId: target.platformOrderId,
      verificationCode: target.verificationCode,
    });
    expect(locked).toMatchObject({ code: '5002', details: { retryAfterSeconds: 900 } });
    // Another pharmacy is locked out of this order too: the lock is per order.
    const other = await pharmacyWith(FULL_PRICES);
    expect(
      (
        await scanFailure(other, {
          platformOrderId: target.platformOrderId,
          verificationCode: target.verificationCode,
        })
      ).code,
    ).toBe('5002');
    // The QR path is not a guessing channel and stays open.
    expect((await scan(typist, { qrCodeData: target.qrCodeData })).order.id).toBe(target.orderId);

    clock.advanceSeconds(15 * 60 - 1);
    expect(
      (
        await scanFailure(typist, {
          platformOrderId: target.platformOrderId,
          verificationCode: target.verificationCode,
        })
      ).code,
    ).toBe('5002');
    clock.advanceSeconds(1);
    expect(
      (
        await scan(typist, {
          platformOrderId: target.platformOrderId,
          verificationCode: target.verificationCode,
        })
      ).order.id,
    ).toBe(target.orderId);

    const attempts = await kit.sql<{ outcome: string; n: number }>(
      `SELECT outcome, count(*)::int AS n FROM scan_log WHERE order_id = $1 AND method = 'code' GROUP BY outcome ORDER BY outcome`,
      [target.orderId],
    );
    expect(attempts).toEqual([
      { outcome: 'invalid_credential', n: 5 },
      { outcome: 'locked', n: 3 },
      { outcome: 'verified', n: 1 },
    ]);
  });

  it('rate-limits a pharmacy that keeps typing wrong codes, whatever the orders', async () => {
    const guesser = await pharmacyWith(FULL_PRICES);
    const targets = await Promise.all([mint(), mint()]);
    for (let i = 0; i < 8; i++) {
      const t = targets[i % 2];
      expect(
        (
          await scanFailure(guesser, {
            platformOrderId: t.platformOrderId,
            verificationCode: '000000' === t.verificationCode ? '000001' : '000000',
          })
        ).code,
      ).toBe('4002');
    }
    const limited = await scanFailure(guesser, {
      platformOrderId: targets[0].platformOrderId,
      verificationCode: targets[0].verificationCode,
    });
    expect(limited).toMatchObject({ code: '5002', details: { retryAfterSeconds: expect.any(Number) } });
    const outcomes = await kit.sql(
      `SELECT outcome, count(*)::int AS n FROM scan_log WHERE operator_id = $1 GROUP BY outcome ORDER BY outcome`,
      [guesser.userId],
    );
    expect(outcomes).toEqual([
      { outcome: 'invalid_credential', n: 8 },
      { outcome: 'rate_limited', n: 1 },
    ]);
    // Others are not affected.
    expect(
      (
        await scan(operator, {
          platformOrderId: targets[0].platformOrderId,
          verificationCode: targets[0].verificationCode,
        })
      ).redeemable,
    ).toBe(true);
  });

  it('cannot be raced past: N parallel wrong codes from one pharmacy over different orders stop at its limit', async () => {
    const guesser = await pharmacyWith(FULL_PRICES);
    // Three real orders (four wrong codes each, under the per-order lock of 5) and eight unknown
    // numbers: 20 wrong codes at once against a limit of 8 per pharmacy.
    const targets = await Promise.all([mint(), mint(), mint()]);
    const wrong = (code: string) => (code === '000000' ? '000001' : '000000');
    const attempts = [
      ...targets.flatMap((t) =>
        Array.from({ length: 4 }, () => ({
          platformOrderId: t.platformOrderId,
          verificationCode: wrong(t.verificationCode),
        })),
      ),
      ...Array.from({ length: 8 }, () => ({
        platformOrderId: generatePlatformOrderId(() => randomInt(32)),
        verificationCode: '123456',
      })),
    ];
    const codes = (await Promise.all(attempts.map((a) => scanFailure(guesser, a)))).map((f) => f.code);
    expect(codes.filter((c) => c === '4002')).toHaveLength(8);
    expect(codes.filter((c) => c === '5002')).toHaveLength(12);
    const outcomes = await kit.sql(
      `SELECT outcome, count(*)::int AS n FROM scan_log WHERE operator_id = $1 GROUP BY outcome ORDER BY outcome`,
      [guesser.userId],
    );
    expect(outcomes).toEqual([
      { outcome: 'invalid_credential', n: 8 },
      { outcome: 'rate_limited', n: 12 },
    ]);
  });

  it('is not redeemable for a pharmacy that does not declare every item, nor once the order is cancelled', async () => {
    const partial = await pharmacyWith([FULL_PRICES[0]]);
    const result = await scan(partial, { qrCodeData: order.qrCodeData });
    expect(result).toMatchObject({
      redeemable: false,
      estimatedPayoutCents: 3063,
      undeclaredMedicineIds: [M2],
    });

    const cancelled = await mint();
    await kit.events.publish(OrderCancelledV1, {
      orderId: cancelled.orderId,
      clinicId: randomUUID(),
      practitionerId: randomUUID(),
      cancelledBy: randomUUID(),
      reason: 'patient changed their mind',
      refundRequested: true,
      cancelledAt: new Date().toISOString(),
    });
    await kit.orderVisible(cancelled.orderId, 'CANCELLED');
    expect(await scan(operator, { qrCodeData: cancelled.qrCodeData })).toMatchObject({
      redeemable: false,
      order: { status: 'CANCELLED' },
    });
  });

  it('refuses callers who are not operators of an active pharmacy', async () => {
    expect((await scanFailure(kit.admin, { qrCodeData: order.qrCodeData })).code).toBe('1003');
    const unlinked: PharmacyCaller = { userId: randomUUID(), role: 'pharmacy_operator' };
    expect((await scanFailure(unlinked, { qrCodeData: order.qrCodeData })).code).toBe('4001');
    // A token naming another pharmacy than the link identity told us about.
    expect(
      (await scanFailure({ ...operator, pharmacyId: randomUUID() }, { qrCodeData: order.qrCodeData })).code,
    ).toBe('4001');
  });
});

describe('credential keys on a fresh read model', () => {
  let kit: PharmacyKit;

  beforeAll(async () => {
    // The key-published event is never sent: pharmacy must ask orders for its JWKS at start-up.
    kit = await createPharmacyKit('pharmacy_jwks', { publishKey: false });
  });

  afterAll(async () => {
    await kit?.close();
  });

  it('fetches orders.credentials.jwks over RPC when it knows no key, and verifies tokens with it', async () => {
    await kit.eventually(async () => (await kit.sql('SELECT kid FROM credential_key')).length === 1, 15_000);
    const pharmacy = await kit.createPharmacy();
    const operator = await kit.operatorOf(pharmacy.id);
    const minted = await kit.orders.paidOrder(ITEMS);
    await kit.orderVisible(minted.orderId);
    const result = await kit.call<ScanResultView>(PHARMACY_RPC.scanCredential, {
      caller: operator,
      qrCodeData: minted.qrCodeData,
    });
    expect(result).toMatchObject({
      order: { id: minted.orderId },
      redeemable: false,
      undeclaredMedicineIds: [M1, M2],
    });
  });
});
