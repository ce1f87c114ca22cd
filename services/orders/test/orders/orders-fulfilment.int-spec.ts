import { randomUUID } from 'node:crypto';
import { ClaimOrderHandler } from '../../src/application/orders/claim-order/claim-order.handler';
import { type OrdersKit, admin, createOrdersKit, operator, practitioner } from './orders-test-kit';

const HOUR = 3_600_000;

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code?: string }) => e.code,
  );

describe(ClaimOrderHandler.name, () => {
  let kit: OrdersKit;
  beforeAll(async () => {
    kit = await createOrdersKit('orders_fulfil');
  });
  afterAll(async () => {
    await kit?.close();
  });
  beforeEach(() => {
    kit.clock.at = new Date();
  });

  const claim = (orderId: string, pharmacyId: string, declaredPayoutCents = 900) =>
    kit.claim.execute({ orderId, pharmacyId, declaredPayoutCents });

  it('lets exactly one of two pharmacies claiming an order at once win, over 20 rounds', async () => {
    const replica = kit.replica(); // the second pharmacy's request lands on another instance
    for (let round = 0; round < 20; round++) {
      const order = await kit.paidOrder();
      const [a, b] = [randomUUID(), randomUUID()];
      const results = await Promise.allSettled([
        kit.claim.execute({ orderId: order.id, pharmacyId: a, declaredPayoutCents: 900 }),
        replica.claim.execute({ orderId: order.id, pharmacyId: b, declaredPayoutCents: 950 }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost.map((r) => r.reason.code)).toEqual(['4003']);
      const winner = (won[0] as PromiseFulfilledResult<{ pharmacyId: string }>).value.pharmacyId;
      const [row] = await kit.sql(
        'SELECT status, assigned_pharmacy_id, payout_amount::text AS payout FROM orders WHERE id = $1',
        [order.id],
      );
      expect(row).toEqual({
        status: 'DISPENSING',
        assigned_pharmacy_id: winner,
        payout: winner === a ? '9.00' : '9.50',
      });
      const claims = await kit.messages('orders.order.dispensing', order.id);
      expect(claims.map((m) => m.payload.pharmacyId)).toEqual([winner]);
      // The loser cannot submit proof for it either.
      const loser = winner === a ? b : a;
      await expect(
        codeOf(kit.submitForReview.execute({ orderId: order.id, pharmacyId: loser })),
      ).resolves.toBe('4003');
    }
  });

  it('answers the holder claiming again with the same claim (no second event)', async () => {
    const order = await kit.paidOrder();
    const pharmacyId = randomUUID();
    const first = await claim(order.id, pharmacyId, 700);
    expect(first).toMatchObject({
      orderId: order.id,
      platformOrderId: order.platformOrderId,
      pharmacyId,
      status: 'DISPENSING',
      payoutCents: 700,
      alreadyHeld: false,
    });
    expect(Date.parse(first.holdExpiresAt!) - Date.parse(first.claimedAt)).toBe(72 * HOUR);
    kit.clock.advanceMs(60_000);
    await expect(claim(order.id, pharmacyId, 1)).resolves.toEqual({ ...first, alreadyHeld: true });
    expect(await kit.messages('orders.order.dispensing', order.id)).toHaveLength(1);
  });

  it('caps the payout at what the clinic paid, whatever the declared prices', async () => {
    const order = await kit.paidOrder(); // 1635 cents
    await expect(claim(order.id, randomUUID(), 5_000_000)).resolves.toMatchObject({ payoutCents: 1635 });
  });

  it('fulfils with orders.order.fulfilled carrying the payout fixed at the claim', async () => {
    const order = await kit.paidOrder();
    const pharmacyId = randomUUID();
    const reviewerId = randomUUID();
    await claim(order.id, pharmacyId, 1210);
    await kit.submitForReview.execute({ orderId: order.id, pharmacyId });
    await kit.submitForReview.execute({ orderId: order.id, pharmacyId }); // a resubmitted request
    expect(await kit.messages('orders.order.pending_review', order.id)).toHaveLength(1);
    await expect(kit.review.execute({ orderId: order.id, decision: 'approve', reviewerId })).resolves.toEqual(
      { orderId: order.id, status: 'FULFILLED' },
    );
    const [fulfilled] = await kit.messages('orders.order.fulfilled', order.id);
    expect(fulfilled.payload).toEqual({
      orderId: order.id,
      clinicId: kit.clinicId,
      pharmacyId,
      payoutCents: 1210,
      fulfilledAt: expect.any(String),
    });
    await expect(
      codeOf(kit.review.execute({ orderId: order.id, decision: 'reject', reviewerId })),
    ).resolves.toBe('2003');
  });

  it('rejects back to the holder, which may resubmit (payout unchanged) while another may not', async () => {
    const order = await kit.paidOrder();
    const [mine, other] = [randomUUID(), randomUUID()];
    await claim(order.id, mine, 800);
    await kit.submitForReview.execute({ orderId: order.id, pharmacyId: mine });
    await kit.review.execute({
      orderId: order.id,
      decision: 'reject',
      reviewerId: randomUUID(),
      comments: 'Blurry photo',
    });
    const [rejected] = await kit.messages('orders.order.rejected', order.id);
    expect(rejected.payload).toMatchObject({ pharmacyId: mine, comments: 'Blurry photo' });
    expect(Date.parse(rejected.payload.holdExpiresAt)).toBe(kit.clock.now().getTime() + 72 * HOUR);
    await expect(codeOf(claim(order.id, other))).resolves.toBe('4003');
    await expect(codeOf(kit.submitForReview.execute({ orderId: order.id, pharmacyId: other }))).resolves.toBe(
      '4003',
    );
    await expect(kit.submitForReview.execute({ orderId: order.id, pharmacyId: mine })).resolves.toMatchObject(
      {
        status: 'PENDING_REVIEW',
        payoutCents: 800,
      },
    );
  });

  it('refuses a prescriber cancelling a claimed order (DISPENSING, PENDING_REVIEW) with 2002', async () => {
    const order = await kit.paidOrder();
    const pharmacyId = randomUUID();
    await claim(order.id, pharmacyId);
    await expect(codeOf(kit.cancel.execute(kit.owner, order.id, 'changed my mind'))).resolves.toBe('2002');
    await kit.submitForReview.execute({ orderId: order.id, pharmacyId });
    await expect(codeOf(kit.cancel.execute(kit.owner, order.id, 'changed my mind'))).resolves.toBe('2002');
    expect(await kit.messages('accounts.refund.requested', order.id)).toEqual([]);
  });

  it('releases to PAID (holder or admin only), after which another pharmacy can claim it', async () => {
    const order = await kit.paidOrder();
    const [a, b] = [randomUUID(), randomUUID()];
    await claim(order.id, a, 900);
    await expect(
      codeOf(
        kit.release.execute({ orderId: order.id, pharmacyId: b, releasedBy: `pharmacy:${b}`, reason: 'x' }),
      ),
    ).resolves.toBe('4003');
    await expect(
      kit.release.execute({
        orderId: order.id,
        pharmacyId: a,
        releasedBy: `pharmacy:${a}`,
        reason: 'out of stock',
      }),
    ).resolves.toMatchObject({ orderId: order.id, pharmacyId: a, status: 'PAID', holdExpiresAt: null });
    const [released] = await kit.messages('orders.order.released', order.id);
    expect(released.payload).toMatchObject({
      pharmacyId: a,
      releasedBy: `pharmacy:${a}`,
      reason: 'out of stock',
    });
    const [row] = await kit.sql(
      'SELECT status, assigned_pharmacy_id, payout_amount FROM orders WHERE id = $1',
      [order.id],
    );
    expect(row).toEqual({ status: 'PAID', assigned_pharmacy_id: null, payout_amount: null });
    await expect(claim(order.id, b, 950)).resolves.toMatchObject({ pharmacyId: b, payoutCents: 950 });
    const adminId = randomUUID();
    await kit.release.execute({
      orderId: order.id,
      pharmacyId: null,
      releasedBy: adminId,
      reason: 'patient asked',
    });
    expect((await kit.get.execute(admin(), order.id)).history.at(-1)).toMatchObject({
      from: 'DISPENSING',
      to: 'PAID',
      by: adminId,
      reason: 'patient asked',
    });
    await expect(
      codeOf(
        kit.release.execute({ orderId: order.id, pharmacyId: null, releasedBy: adminId, reason: 'again' }),
      ),
    ).resolves.toBe('2003');
  });

  it('expires a lapsed hold (from the claim, or from the rejection) with exactly one refund', async () => {
    const held = await kit.paidOrder();
    const rejected = await kit.paidOrder();
    const reviewing = await kit.paidOrder();
    const pharmacyId = randomUUID();
    const t0 = kit.clock.now().getTime();
    await claim(held.id, pharmacyId);
    await claim(rejected.id, pharmacyId);
    await claim(reviewing.id, pharmacyId);
    await kit.submitForReview.execute({ orderId: reviewing.id, pharmacyId });
    kit.clock.at = new Date(t0 + 48 * HOUR);
    await kit.submitForReview.execute({ orderId: rejected.id, pharmacyId });
    await kit.review.execute({ orderId: rejected.id, decision: 'reject', reviewerId: randomUUID() });

    kit.clock.at = new Date(t0 + 72 * HOUR - 1);
    await kit.deadlines.execute();
    expect((await kit.get.execute(admin(), held.id)).status).toBe('DISPENSING');

    kit.clock.at = new Date(t0 + 72 * HOUR);
    expect((await kit.deadlines.execute()).holdsLapsed).toBe(1);
    expect((await kit.get.execute(admin(), held.id)).status).toBe('EXPIRED');
    expect((await kit.get.execute(admin(), rejected.id)).status).toBe('REJECTED'); // its hold restarted

    kit.clock.at = new Date(t0 + 120 * HOUR);
    await kit.deadlines.execute();
    expect((await kit.get.execute(admin(), rejected.id)).status).toBe('EXPIRED');
    expect((await kit.get.execute(admin(), reviewing.id)).status).toBe('PENDING_REVIEW'); // no hold in review
    for (const id of [held.id, rejected.id]) {
      expect(await kit.messages('accounts.refund.requested', id)).toHaveLength(1);
      const [expired] = await kit.messages('orders.order.expired', id);
      expect(expired.payload).toMatchObject({ reason: 'hold_lapsed', pharmacyId });
    }
  });

  it('refunds a lapsed hold exactly once when the job runs in two replicas at the same instant', async () => {
    const replica = kit.replica();
    const orders = await Promise.all(Array.from({ length: 6 }, () => kit.paidOrder()));
    const pharmacyId = randomUUID();
    for (const o of orders) await claim(o.id, pharmacyId);
    kit.clock.advanceMs(73 * HOUR);
    const runs = await Promise.all([kit.deadlines.execute(), replica.deadlines.execute()]);
    expect(runs[0].holdsLapsed + runs[1].holdsLapsed).toBe(orders.length);
    for (const o of orders) {
      expect(await kit.messages('accounts.refund.requested', o.id)).toHaveLength(1);
      expect(await kit.messages('orders.order.expired', o.id)).toHaveLength(1);
    }
  });

  it('refuses to claim an order that is not paid, and an unknown one', async () => {
    const pending = await kit.create.execute(kit.request());
    await expect(codeOf(claim(pending.id, randomUUID(), 1))).resolves.toBe('2003');
    await expect(codeOf(claim(randomUUID(), randomUUID(), 1))).resolves.toBe('2001');
  });

  describe('who sees what', () => {
    it("scopes get and list: own orders, the pharmacy's claimed ones, everything for admins", async () => {
      const clinicId = randomUUID();
      const alice = practitioner([clinicId]);
      const bob = practitioner([clinicId]);
      const pharmacy = randomUUID();
      const a1 = await kit.paidOrder({ caller: alice, clinicId });
      const a2 = await kit.create.execute(kit.request({ caller: alice, clinicId, draft: true }));
      const b1 = await kit.paidOrder({ caller: bob, clinicId });
      await kit.claim.execute({ orderId: b1.id, pharmacyId: pharmacy, declaredPayoutCents: 500 });

      const ids = async (caller: Parameters<typeof kit.list.execute>[0], query = {}) =>
        (await kit.list.execute(caller, { page: 1, limit: 100, sort: 'createdAt:asc', ...query })).items
          .map((o) => o.id)
          .sort();
      expect(await ids(alice)).toEqual([a1.id, a2.id].sort());
      expect(await ids(alice, { status: 'DRAFT' })).toEqual([a2.id]);
      expect(await ids(bob)).toEqual([b1.id]);
      expect(await ids(operator(pharmacy))).toEqual([b1.id]);
      expect(await ids(operator(randomUUID()))).toEqual([]);
      expect(await ids(admin())).toEqual(expect.arrayContaining([a1.id, a2.id, b1.id]));

      await expect(codeOf(kit.get.execute(bob, a1.id))).resolves.toBe('2001');
      await expect(codeOf(kit.get.execute(operator(pharmacy), a1.id))).resolves.toBe('2001');
      const seenByPharmacy = await kit.get.execute(operator(pharmacy), b1.id);
      expect(seenByPharmacy.patientInfo).toEqual({ name: 'Mere Tane' });
      expect(seenByPharmacy.credential).not.toHaveProperty('qrCodeData');
      expect((await kit.get.execute(admin(), a1.id)).patientInfo).toMatchObject({ phone: '+64 21 555 0101' });
    });

    it('paginates and filters by date', async () => {
      const clinicId = randomUUID();
      const carol = practitioner([clinicId]);
      const start = new Date('2026-01-10T12:00:00Z');
      for (let day = 0; day < 5; day++) {
        kit.clock.at = new Date(start.getTime() + day * 24 * 60 * 60 * 1000);
        await kit.create.execute(kit.request({ caller: carol, clinicId, draft: true, packs: day + 1 }));
      }
      kit.clock.at = new Date();
      const page = await kit.list.execute(carol, { page: 2, limit: 2, sort: 'createdAt:asc' });
      expect(page.total).toBe(5);
      expect(page.items.map((o) => o.packs)).toEqual([3, 4]);
      const window = await kit.list.execute(carol, {
        page: 1,
        limit: 10,
        sort: 'createdAt:desc',
        dateFrom: '2026-01-11',
        dateTo: '2026-01-13',
      });
      expect(window.items.map((o) => o.packs)).toEqual([4, 3, 2]);
      const dear = await kit.list.execute(carol, { page: 1, limit: 1, sort: 'totalAmount:desc' });
      expect(dear.items[0].packs).toBe(5);
    });
  });

  it('keeps personal health information out of the raw database row', async () => {
    const order = await kit.paidOrder({
      patientInfo: {
        name: 'Wiremu Unique-Patient',
        phone: '+64 27 999 4242',
        email: 'wiremu@example.nz',
        pregnant: false,
      },
      notes: 'History of reflux: avoid 黄连',
    });
    const rows = await kit.sql('SELECT * FROM orders WHERE id = $1', [order.id]);
    const raw = JSON.stringify(rows);
    for (const secret of ['Wiremu', 'Unique-Patient', '999 4242', 'wiremu@example.nz', 'reflux']) {
      expect(raw).not.toContain(secret);
    }
    expect(rows[0].patient_info_enc).toMatch(/^dev:/); // key id first: rotatable
    expect((await kit.get.execute(kit.owner, order.id)).patientInfo).toMatchObject({
      name: 'Wiremu Unique-Patient',
    });
  });

  it('renders the credential as a QR PNG and a PDF with the CJK font embedded', async () => {
    const order = await kit.paidOrder();
    const png = Buffer.from((await kit.render.png(kit.owner, order.id)).base64, 'base64');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const file = await kit.render.pdf(kit.owner, order.id);
    expect(file).toMatchObject({ contentType: 'application/pdf', fileName: `${order.platformOrderId}.pdf` });
    const pdf = Buffer.from(file.base64, 'base64').toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+WenQuanYiMicroHei/);
    expect(pdf).toContain('/FontFile2');
    await expect(codeOf(kit.render.pdf(practitioner([kit.clinicId]), order.id))).resolves.toBe('2001');
  });
});
