import { randomUUID } from 'node:crypto';
import {
  PHARMACY_RPC,
  type PharmacyCaller,
  type ProofPageView,
  type ProofView,
} from '@prescriptchain/contracts';
import { type PharmacyKit, TestClock, createPharmacyKit } from './pharmacy-test-kit';
import type { MintedOrder } from './support/orders-standin';
import { JPEG, confirmedFile, tokenOf } from './support/proof-files';

const M1 = randomUUID();
const M2 = randomUUID();
const ITEMS = [
  { medicineId: M1, quantity: '12.5', packs: 7 },
  { medicineId: M2, quantity: '9', packs: 7 },
];
const prices = (m1: number, m2: number) => [
  { medicineId: M1, wholesalePriceCents: m1, available: true },
  { medicineId: M2, wholesalePriceCents: m2, available: true },
];

describe('fulfilment proofs', () => {
  let kit: PharmacyKit;
  const clock = new TestClock();
  let p1: { id: string; operator: PharmacyCaller; fileId: string };
  let p2: { id: string; operator: PharmacyCaller; fileId: string };

  const submit = (who: typeof p1, orderId: string, fileIds = [who.fileId]) =>
    kit.call<ProofView>(PHARMACY_RPC.submitProof, {
      caller: who.operator,
      orderId,
      fileIds,
      notes: 'dispensed at the counter',
    });
  const submitFailure = (who: typeof p1, orderId: string, fileIds = [who.fileId]) =>
    kit.failure(PHARMACY_RPC.submitProof, { caller: who.operator, orderId, fileIds });
  const review = (proofId: string, decision: 'approve' | 'reject', comments?: string) =>
    kit.call<ProofView>(PHARMACY_RPC.reviewProof, { caller: kit.admin, proofId, decision, comments });
  const outbox = (type: string, orderId: string) =>
    kit.sql<{ payload: any }>(
      `SELECT envelope->'payload' AS payload FROM outbox_message WHERE type = $1 AND envelope->'payload'->>'orderId' = $2 ORDER BY id`,
      [type, orderId],
    );

  async function pharmacy(m1: number, m2: number) {
    const created = await kit.createPharmacy();
    const operator = await kit.operatorOf(created.id);
    await kit.call(PHARMACY_RPC.replaceInventory, {
      caller: operator,
      pharmacyId: created.id,
      items: prices(m1, m2),
    });
    return { id: created.id, operator, fileId: await confirmedFile(kit.rpc, operator) };
  }

  async function mint(): Promise<MintedOrder> {
    const minted = await kit.orders.paidOrder(ITEMS);
    await kit.orderVisible(minted.orderId);
    return minted;
  }

  beforeAll(async () => {
    kit = await createPharmacyKit('pharmacy_proofs', { clock });
    p1 = await pharmacy(35, 18); // 3063 + 1134 = 4197
    p2 = await pharmacy(30, 20); // 2625 + 1260 = 3885
  });

  afterAll(async () => {
    await kit?.close();
  });

  it('claims the order through orders, fixes the payout from the declared prices at submission, and announces it', async () => {
    const order = await mint();
    const proof = await submit(p1, order.orderId);
    expect(proof).toMatchObject({
      orderId: order.orderId,
      pharmacyId: p1.id,
      reviewStatus: 'pending',
      payoutCents: 4197,
      currency: 'NZD',
      notes: 'dispensed at the counter',
      files: [{ fileId: p1.fileId, contentType: 'image/jpeg', size: 256 }],
      submittedBy: p1.operator.userId,
    });
    expect(await kit.orders.status(order.orderId)).toMatchObject({
      status: 'PENDING_REVIEW',
      pharmacy_id: p1.id,
      payout_cents: 4197,
      claims: 1,
    });
    expect(await outbox('pharmacy.proof.submitted', order.orderId)).toEqual([
      {
        payload: {
          proofId: proof.id,
          orderId: order.orderId,
          pharmacyId: p1.id,
          payoutCents: 4197,
          fileCount: 1,
        },
      },
    ]);
    // Prices changed afterwards do not move a payout already fixed.
    await kit.call(PHARMACY_RPC.replaceInventory, {
      caller: p1.operator,
      pharmacyId: p1.id,
      items: prices(99, 99),
    });
    const listed = await kit.call<ProofPageView>(PHARMACY_RPC.listProofs, {
      caller: kit.admin,
      status: 'pending',
    });
    expect(listed.items.find((p) => p.id === proof.id)?.payoutCents).toBe(4197);
    await kit.call(PHARMACY_RPC.replaceInventory, {
      caller: p1.operator,
      pharmacyId: p1.id,
      items: prices(35, 18),
    });
  });

  it('lets exactly one of two pharmacies racing for the same order win, 50 times out of 50', async () => {
    const winners: string[] = [];
    for (let round = 0; round < 50; round++) {
      const order = await mint();
      const [a, b] = await Promise.allSettled([submit(p1, order.orderId), submit(p2, order.orderId)]);
      const won = [a, b].filter((r) => r.status === 'fulfilled') as PromiseFulfilledResult<ProofView>[];
      const lost = [a, b].filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      expect(won).toHaveLength(1);
      expect(lost.map((r) => (r.reason as { code: string }).code)).toEqual(['2003']);
      const standIn = await kit.orders.status(order.orderId);
      expect(standIn).toMatchObject({
        status: 'PENDING_REVIEW',
        pharmacy_id: won[0].value.pharmacyId,
        claims: 1,
      });
      expect(standIn.payout_cents).toBe(won[0].value.pharmacyId === p1.id ? 4197 : 3885);
      const live = await kit.sql(
        `SELECT pharmacy_id FROM fulfillment_proof WHERE order_id = $1 AND status = 'pending'`,
        [order.orderId],
      );
      expect(live).toEqual([{ pharmacy_id: won[0].value.pharmacyId }]);
      winners.push(won[0].value.pharmacyId);
    }
    expect(winners).toHaveLength(50);
  });

  it('lets the same pharmacy resubmit after a rejection, and nobody else; approval then fulfils the order', async () => {
    const order = await mint();
    const first = await submit(p1, order.orderId);
    const rejected = await review(first.id, 'reject', 'The photo does not show the label.');
    expect(rejected).toMatchObject({
      reviewStatus: 'rejected',
      reviewerId: kit.admin.userId,
      reviewComments: 'The photo does not show the label.',
    });
    expect(rejected.reviewedAt).toEqual(expect.any(String));
    expect(await kit.orders.status(order.orderId)).toMatchObject({ status: 'REJECTED', pharmacy_id: p1.id });
    expect(await outbox('pharmacy.proof.reviewed', order.orderId)).toEqual([
      {
        payload: {
          proofId: first.id,
          orderId: order.orderId,
          pharmacyId: p1.id,
          decision: 'rejected',
          comments: 'The photo does not show the label.',
          reviewerId: kit.admin.userId,
        },
      },
    ]);
    await kit.orderVisible(order.orderId, 'REJECTED');

    expect((await submitFailure(p2, order.orderId)).code).toBe('2003');
    const second = await submit(p1, order.orderId, [await confirmedFile(kit.rpc, p1.operator, JPEG(512))]);
    expect(second).toMatchObject({ reviewStatus: 'pending', payoutCents: 4197 });
    expect((await review(second.id, 'approve')).reviewStatus).toBe('approved');
    expect(await kit.orders.status(order.orderId)).toMatchObject({ status: 'FULFILLED' });
    // A reviewed proof cannot be reviewed again.
    expect(
      (
        await kit.failure(PHARMACY_RPC.reviewProof, {
          caller: kit.admin,
          proofId: second.id,
          decision: 'reject',
        })
      ).code,
    ).toBe('2003');
    expect(
      (
        await kit.failure(PHARMACY_RPC.reviewProof, {
          caller: p1.operator,
          proofId: second.id,
          decision: 'approve',
        })
      ).code,
    ).toBe('1003');
  });

  it('lists proofs for admins with signed download URLs that serve the files', async () => {
    const order = await mint();
    const bytes = JPEG(1024);
    const fileId = await confirmedFile(kit.rpc, p2.operator, bytes);
    const proof = await submit(p2, order.orderId, [fileId]);
    const page = await kit.call<ProofPageView>(PHARMACY_RPC.listProofs, {
      caller: kit.admin,
      status: 'pending',
      pharmacyId: p2.id,
    });
    const listed = page.items.find((p) => p.id === proof.id)!;
    expect(listed.files).toEqual([
      {
        fileId,
        fileName: 'dispensed.jpg',
        contentType: 'image/jpeg',
        size: 1024,
        downloadUrl: expect.stringMatching(/^\/api\/v1\/files\/download\//),
        expiresIn: 900,
      },
    ]);
    const token = tokenOf(listed.files[0].downloadUrl!);
    const served = await kit.call(PHARMACY_RPC.getFile, { token });
    expect(served).toMatchObject({
      fileId,
      contentType: 'image/jpeg',
      size: 1024,
      fileName: 'dispensed.jpg',
    });
    expect(Buffer.from(served.base64, 'base64')).toEqual(bytes);
    expect((await kit.failure(PHARMACY_RPC.getFile, { token: `${token.slice(0, -2)}xx` })).code).toBe('1001');
    // A download token is not an upload token.
    expect(
      (await kit.failure(PHARMACY_RPC.putFile, { token, base64: JPEG(10).toString('base64') })).code,
    ).toBe('1001');
    expect((await kit.failure(PHARMACY_RPC.listProofs, { caller: p2.operator })).code).toBe('1003');
  });

  it('refuses unconfirmed or foreign files and orders with items the pharmacy does not price', async () => {
    const order = await mint();
    const pending = await kit.call(PHARMACY_RPC.createUploadUrl, {
      caller: p1.operator,
      fileName: 'x.jpg',
      contentType: 'image/jpeg',
      size: 10,
      purpose: 'fulfillment_proof',
    });
    expect(await submitFailure(p1, order.orderId, [pending.fileId])).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect((await submitFailure(p1, order.orderId, [p2.fileId])).code).toBe('NOT_FOUND');
    const partial = await pharmacy(35, 18);
    await kit.call(PHARMACY_RPC.replaceInventory, {
      caller: partial.operator,
      pharmacyId: partial.id,
      items: prices(35, 18).slice(0, 1),
    });
    expect(await submitFailure(partial, order.orderId)).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ message: expect.stringContaining(M2) }],
    });
    expect((await submitFailure(p1, randomUUID())).code).toBe('2001');
    expect(await kit.orders.status(order.orderId)).toMatchObject({ status: 'PAID', claims: 0 });
  });

  it('fails a proof orders refuses, answering 2003, without blocking a later valid claim', async () => {
    const order = await mint();
    // Orders cancelled it; the cancelled event has not reached pharmacy yet.
    await kit.pool.query(`UPDATE standin_order SET status = 'CANCELLED' WHERE order_id = $1`, [
      order.orderId,
    ]);
    expect((await submitFailure(p1, order.orderId)).code).toBe('2003');
    expect(
      await kit.sql('SELECT status, last_claim_error FROM fulfillment_proof WHERE order_id = $1', [
        order.orderId,
      ]),
    ).toEqual([{ status: 'failed', last_claim_error: expect.stringMatching(/^2003/) }]);
    expect(await outbox('pharmacy.proof.submitted', order.orderId)).toEqual([]);
    await kit.pool.query(`UPDATE standin_order SET status = 'PAID' WHERE order_id = $1`, [order.orderId]);
    expect((await submit(p2, order.orderId)).reviewStatus).toBe('pending');
  });

  it('finishes a claim a crash left behind: the sweeper asks orders again and announces the proof', async () => {
    const order = await mint();
    const proofId = randomUUID();
    // What tx1 leaves when the process dies before asking orders.
    await kit.pool.query(
      `INSERT INTO fulfillment_proof (id, order_id, pharmacy_id, submitted_by, status, payout, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'claiming', 41.97, $5, $5)`,
      [proofId, order.orderId, p1.id, p1.operator.userId, new Date(clock.now().getTime() - 60_000)],
    );
    await kit.pool.query('INSERT INTO proof_file (proof_id, file_id, position) VALUES ($1, $2, 0)', [
      proofId,
      p1.fileId,
    ]);
    // Meanwhile another pharmacy cannot claim over it.
    expect((await submitFailure(p2, order.orderId)).code).toBe('2003');

    await kit.sweep();
    expect(
      await kit.sql('SELECT status, claim_attempts FROM fulfillment_proof WHERE id = $1', [proofId]),
    ).toEqual([{ status: 'pending', claim_attempts: 1 }]);
    expect(await kit.orders.status(order.orderId)).toMatchObject({
      status: 'PENDING_REVIEW',
      pharmacy_id: p1.id,
      payout_cents: 4197,
    });
    expect(await outbox('pharmacy.proof.submitted', order.orderId)).toEqual([
      { payload: { proofId, orderId: order.orderId, pharmacyId: p1.id, payoutCents: 4197, fileCount: 1 } },
    ]);
  });

  it('recovers a claim whose answer was lost: orders did claim, so the retry promotes the proof instead of failing it', async () => {
    const order = await mint();
    kit.orders.claimDelayMs = 2_500; // longer than pharmacy's 2 s deadline for orders' RPCs
    const lost = await submitFailure(p1, order.orderId);
    kit.orders.claimDelayMs = 0;
    expect(lost).toMatchObject({ code: '5001', details: { proofId: expect.any(String) } });
    // The claim did land in orders; its pending_review event reaches the read model.
    await kit.orderVisible(order.orderId, 'PENDING_REVIEW');
    expect(
      await kit.sql('SELECT status FROM fulfillment_proof WHERE id = $1', [lost.details.proofId]),
    ).toEqual([{ status: 'claiming' }]);

    // Submitting again resumes the same proof (orders now says 2003: it is ours, by the read model).
    const resumed = await submit(p1, order.orderId);
    expect(resumed).toMatchObject({ id: lost.details.proofId, reviewStatus: 'pending' });
    expect(await kit.orders.status(order.orderId)).toMatchObject({ claims: 1 });
    expect(await outbox('pharmacy.proof.submitted', order.orderId)).toHaveLength(1);
  });
});
