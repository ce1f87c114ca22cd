import { randomUUID } from 'node:crypto';
import { ClaimForReviewHandler } from '../../src/application/orders/claim-for-review/claim-for-review.handler';
import { type OrdersKit, admin, createOrdersKit, operator, practitioner } from './orders-test-kit';

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code?: string }) => e.code,
  );

describe(ClaimForReviewHandler.name, () => {
  let kit: OrdersKit;
  beforeAll(async () => {
    kit = await createOrdersKit('orders_fulfil');
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('lets exactly one of two pharmacies racing for an order win, over 20 rounds', async () => {
    const replica = kit.replica(); // the second pharmacy's request lands on another instance
    for (let round = 0; round < 20; round++) {
      const order = await kit.paidOrder();
      const [a, b] = [randomUUID(), randomUUID()];
      const results = await Promise.allSettled([
        kit.claim.execute({ orderId: order.id, pharmacyId: a, payoutCents: 900 }),
        replica.claim.execute({ orderId: order.id, pharmacyId: b, payoutCents: 950 }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost.map((r) => r.reason.code)).toEqual(['2003']);
      const winner = (won[0] as PromiseFulfilledResult<{ pharmacyId: string }>).value.pharmacyId;
      const [row] = await kit.sql('SELECT status, assigned_pharmacy_id FROM orders WHERE id = $1', [
        order.id,
      ]);
      expect(row).toEqual({ status: 'PENDING_REVIEW', assigned_pharmacy_id: winner });
      const claims = await kit.messages('orders.order.pending_review', order.id);
      expect(claims.map((m) => m.payload)).toEqual([
        { orderId: order.id, pharmacyId: winner, payoutCents: winner === a ? 900 : 950 },
      ]);
    }
  });

  it('approves to FULFILLED with orders.order.fulfilled carrying the payout fixed at the claim', async () => {
    const order = await kit.paidOrder();
    const pharmacyId = randomUUID();
    const reviewerId = randomUUID();
    await kit.claim.execute({ orderId: order.id, pharmacyId, payoutCents: 1210 });
    await kit.claim.execute({ orderId: order.id, pharmacyId, payoutCents: 1210 }); // a resubmitted request
    expect(await kit.messages('orders.order.pending_review', order.id)).toHaveLength(1);
    await expect(kit.review.execute({ orderId: order.id, decision: 'approve', reviewerId })).resolves.toEqual(
      {
        orderId: order.id,
        status: 'FULFILLED',
      },
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

  it('rejects back to the same pharmacy, which may resubmit while another may not', async () => {
    const order = await kit.paidOrder();
    const [mine, other] = [randomUUID(), randomUUID()];
    await kit.claim.execute({ orderId: order.id, pharmacyId: mine, payoutCents: 800 });
    await kit.review.execute({
      orderId: order.id,
      decision: 'reject',
      reviewerId: randomUUID(),
      comments: 'Blurry photo',
    });
    expect((await kit.messages('orders.order.rejected', order.id))[0].payload).toMatchObject({
      pharmacyId: mine,
      comments: 'Blurry photo',
    });
    await expect(
      codeOf(kit.claim.execute({ orderId: order.id, pharmacyId: other, payoutCents: 1 })),
    ).resolves.toBe('2003');
    await expect(
      kit.claim.execute({ orderId: order.id, pharmacyId: mine, payoutCents: 820 }),
    ).resolves.toMatchObject({
      status: 'PENDING_REVIEW',
    });
  });

  it('refuses to claim an order that is not paid', async () => {
    const pending = await kit.create.execute(kit.request());
    await expect(
      codeOf(kit.claim.execute({ orderId: pending.id, pharmacyId: randomUUID(), payoutCents: 1 })),
    ).resolves.toBe('2003');
    await expect(
      codeOf(kit.claim.execute({ orderId: randomUUID(), pharmacyId: randomUUID(), payoutCents: 1 })),
    ).resolves.toBe('2001');
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
      await kit.claim.execute({ orderId: b1.id, pharmacyId: pharmacy, payoutCents: 500 });

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
