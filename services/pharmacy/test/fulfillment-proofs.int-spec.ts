import { randomUUID } from 'node:crypto';
import {
  type ClaimPageView,
  type ClaimResultView,
  PHARMACY_RPC,
  type PharmacyCaller,
  type ProofPageView,
  type ProofView,
  type ScanResultView,
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

/**
 * Redemption as pharmacy runs it, against the orders stand-in: claim (by QR or typed code) →
 * proof by the holder only → review; release; one file, one proof; the crash-safe proof submission.
 */
describe('claims and fulfillment proofs', () => {
  let kit: PharmacyKit;
  const clock = new TestClock();
  let p1: { id: string; operator: PharmacyCaller };
  let p2: { id: string; operator: PharmacyCaller };

  const claim = (who: typeof p1, order: MintedOrder) =>
    kit.call<ClaimResultView>(PHARMACY_RPC.claimOrder, {
      caller: who.operator,
      qrCodeData: order.qrCodeData,
    });
  const claimFailure = (who: typeof p1, body: Record<string, unknown>) =>
    kit.failure(PHARMACY_RPC.claimOrder, { caller: who.operator, ...body });
  const release = (caller: PharmacyCaller, orderId: string, reason = 'The patient went elsewhere') =>
    kit.call<ClaimResultView>(PHARMACY_RPC.releaseClaim, { caller, orderId, reason });
  const scan = (who: typeof p1, order: MintedOrder) =>
    kit.call<ScanResultView>(PHARMACY_RPC.scanCredential, {
      caller: who.operator,
      qrCodeData: order.qrCodeData,
    });
  /** Each proof with a new photo, unless given: a file backs one proof only. */
  const submit = async (who: typeof p1, orderId: string, fileIds?: string[]) =>
    kit.call<ProofView>(PHARMACY_RPC.submitProof, {
      caller: who.operator,
      orderId,
      fileIds: fileIds ?? [await confirmedFile(kit.rpc, who.operator)],
      notes: 'dispensed at the counter',
    });
  const submitFailure = async (who: typeof p1, orderId: string, fileIds?: string[]) =>
    kit.failure(PHARMACY_RPC.submitProof, {
      caller: who.operator,
      orderId,
      fileIds: fileIds ?? [await confirmedFile(kit.rpc, who.operator)],
    });
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
    return { id: created.id, operator };
  }

  async function mint(options: { totalCents?: number } = {}): Promise<MintedOrder> {
    const minted = await kit.orders.paidOrder(ITEMS, options);
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

  describe('claims', () => {
    it('claims by QR: the order is held, the payout fixed, the read model and claim list know it at once', async () => {
      const order = await mint();
      const claimed = await claim(p1, order);
      expect(claimed).toEqual({
        orderId: order.orderId,
        platformOrderId: order.platformOrderId,
        pharmacyId: p1.id,
        status: 'DISPENSING',
        payoutCents: 4197,
        currency: 'NZD',
        holdExpiresAt: expect.any(String),
        claimedAt: expect.any(String),
        alreadyHeld: false,
      });
      expect(await kit.orders.status(order.orderId)).toMatchObject({
        status: 'DISPENSING',
        pharmacy_id: p1.id,
      });
      const list = await kit.call<ClaimPageView>(PHARMACY_RPC.listClaims, {
        caller: p1.operator,
        pharmacyId: p1.id,
      });
      expect(list.items.find((c) => c.orderId === order.orderId)).toEqual({
        orderId: order.orderId,
        platformOrderId: order.platformOrderId,
        status: 'DISPENSING',
        payoutCents: 4197,
        currency: 'NZD',
        holdExpiresAt: claimed.holdExpiresAt,
        claimedAt: claimed.claimedAt,
      });
      // The holder claiming again gets the same claim; the scan says who holds it.
      expect(await claim(p1, order)).toEqual({ ...claimed, alreadyHeld: true });
      expect(await scan(p1, order)).toMatchObject({ claimedBy: 'you', redeemable: true });
      expect(await scan(p2, order)).toMatchObject({ claimedBy: 'another', redeemable: false });
      expect(
        (await kit.failure(PHARMACY_RPC.listClaims, { caller: p2.operator, pharmacyId: p1.id })).code,
      ).toBe('1003');
    });

    it('claims by typed number + code, checked against the keyed digest orders publishes', async () => {
      const order = await mint();
      const wrong = order.verificationCode === '000000' ? '000001' : '000000';
      expect(
        await claimFailure(p1, { platformOrderId: order.platformOrderId, verificationCode: wrong }),
      ).toMatchObject({ code: '4002' });
      expect(await kit.orders.status(order.orderId)).toMatchObject({ status: 'PAID', claims: 0 });
      const claimed = await kit.call<ClaimResultView>(PHARMACY_RPC.claimOrder, {
        caller: p1.operator,
        platformOrderId: order.platformOrderId.toLowerCase(),
        verificationCode: order.verificationCode,
      });
      expect(claimed).toMatchObject({ orderId: order.orderId, status: 'DISPENSING', pharmacyId: p1.id });
    });

    it('lets exactly one of two pharmacies claiming at once hold the order; the loser cannot submit proof', async () => {
      for (let round = 0; round < 10; round++) {
        const order = await mint();
        const results = await Promise.allSettled([claim(p1, order), claim(p2, order)]);
        const won = results.filter(
          (r) => r.status === 'fulfilled',
        ) as PromiseFulfilledResult<ClaimResultView>[];
        const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
        expect(won).toHaveLength(1);
        expect(lost.map((r) => (r.reason as { code: string }).code)).toEqual(['4003']);
        const winner = won[0].value.pharmacyId;
        expect(await kit.orders.status(order.orderId)).toMatchObject({ pharmacy_id: winner, claims: 1 });
        const loser = winner === p1.id ? p2 : p1;
        expect((await submitFailure(loser, order.orderId)).code).toBe('4003');
      }
    });

    it('refuses a pharmacy that does not declare every item (4001 naming it), an unpaid order (2003), a forged QR (4002)', async () => {
      const order = await mint();
      const partial = await pharmacy(35, 18);
      await kit.call(PHARMACY_RPC.replaceInventory, {
        caller: partial.operator,
        pharmacyId: partial.id,
        items: prices(35, 18).slice(0, 1),
      });
      expect(await claimFailure(partial, { qrCodeData: order.qrCodeData })).toMatchObject({
        code: '4001',
        details: [{ path: 'items', message: expect.stringContaining(M2) }],
      });
      // Orders cancelled it; the cancelled event has not reached pharmacy yet: orders decides.
      await kit.pool.query(`UPDATE standin_order SET status = 'CANCELLED' WHERE order_id = $1`, [
        order.orderId,
      ]);
      expect((await claimFailure(p1, { qrCodeData: order.qrCodeData })).code).toBe('2003');
      expect((await claimFailure(p1, { qrCodeData: `${order.qrCodeData.slice(0, -4)}AAAA` })).code).toBe(
        '4002',
      );
    });

    it("caps the payout at the order's total, whatever the declared prices", async () => {
      const order = await mint({ totalCents: 1_500 });
      expect((await claim(p1, order)).payoutCents).toBe(1_500);
    });

    it('is released to PAID by its holder or an admin (never another pharmacy); then another pharmacy can claim it', async () => {
      const order = await mint();
      await claim(p1, order);
      expect(
        (
          await kit.failure(PHARMACY_RPC.releaseClaim, {
            caller: p2.operator,
            orderId: order.orderId,
            reason: 'x',
          })
        ).code,
      ).toBe('4003');
      const released = await release(p1.operator, order.orderId);
      expect(released).toMatchObject({ orderId: order.orderId, status: 'PAID', holdExpiresAt: null });
      expect(await kit.orders.status(order.orderId)).toMatchObject({ status: 'PAID', pharmacy_id: null });
      expect(await scan(p2, order)).toMatchObject({ claimedBy: null, redeemable: true });
      expect(await claim(p2, order)).toMatchObject({ pharmacyId: p2.id, payoutCents: 3885 });
      expect(await release(kit.admin, order.orderId, 'Patient asked')).toMatchObject({ status: 'PAID' });
      expect(
        (
          await kit.failure(PHARMACY_RPC.releaseClaim, {
            caller: kit.admin,
            orderId: order.orderId,
            reason: 'x',
          })
        ).code,
      ).toBe('2003');
      const list = await kit.call<ClaimPageView>(PHARMACY_RPC.listClaims, {
        caller: p2.operator,
        pharmacyId: p2.id,
      });
      expect(list.items.map((c) => c.orderId)).not.toContain(order.orderId);
    });
  });

  describe('proofs', () => {
    it('takes proof from the holder only, with the payout fixed at the claim, and announces it', async () => {
      const order = await mint();
      expect(await submitFailure(p1, order.orderId)).toMatchObject({
        code: '4003',
        message: expect.stringMatching(/claim it first/),
      });
      await claim(p1, order);
      // Prices changed after the claim do not move the payout.
      await kit.call(PHARMACY_RPC.replaceInventory, {
        caller: p1.operator,
        pharmacyId: p1.id,
        items: prices(99, 99),
      });
      const fileId = await confirmedFile(kit.rpc, p1.operator);
      const proof = await submit(p1, order.orderId, [fileId]);
      await kit.call(PHARMACY_RPC.replaceInventory, {
        caller: p1.operator,
        pharmacyId: p1.id,
        items: prices(35, 18),
      });
      expect(proof).toMatchObject({
        orderId: order.orderId,
        pharmacyId: p1.id,
        reviewStatus: 'pending',
        payoutCents: 4197,
        currency: 'NZD',
        notes: 'dispensed at the counter',
        files: [{ fileId, contentType: 'image/jpeg', size: 256 }],
        submittedBy: p1.operator.userId,
      });
      expect(await kit.orders.status(order.orderId)).toMatchObject({
        status: 'PENDING_REVIEW',
        pharmacy_id: p1.id,
        payout_cents: 4197,
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
    });

    it('refuses a file that already backs another proof (CONFLICT), writing nothing', async () => {
      const [a, b] = [await mint(), await mint()];
      await claim(p1, a);
      await claim(p1, b);
      const fileId = await confirmedFile(kit.rpc, p1.operator);
      await submit(p1, a.orderId, [fileId]);
      const second = await submitFailure(p1, b.orderId, [fileId]);
      expect(second).toMatchObject({
        code: 'CONFLICT',
        details: [{ path: 'fileIds', message: expect.stringContaining(fileId) }],
      });
      expect(await kit.sql('SELECT 1 FROM fulfillment_proof WHERE order_id = $1', [b.orderId])).toEqual([]);
      expect(await kit.orders.status(b.orderId)).toMatchObject({ status: 'DISPENSING' });
      expect((await submit(p1, b.orderId)).reviewStatus).toBe('pending');
    });

    it('lets the holder resubmit after a rejection, and nobody else; approval then fulfils the order', async () => {
      const order = await mint();
      await claim(p1, order);
      const first = await submit(p1, order.orderId);
      const rejected = await review(first.id, 'reject', 'The photo does not show the label.');
      expect(rejected).toMatchObject({
        reviewStatus: 'rejected',
        reviewerId: kit.admin.userId,
        reviewComments: 'The photo does not show the label.',
      });
      expect(rejected.reviewedAt).toEqual(expect.any(String));
      expect(await kit.orders.status(order.orderId)).toMatchObject({
        status: 'REJECTED',
        pharmacy_id: p1.id,
      });
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

      expect((await submitFailure(p2, order.orderId)).code).toBe('4003');
      expect((await claimFailure(p2, { qrCodeData: order.qrCodeData })).code).toBe('4003');
      // The rejected proof's photo cannot back the resubmission: it needs new evidence.
      expect(
        (
          await submitFailure(
            p1,
            order.orderId,
            first.files.map((f) => f.fileId),
          )
        ).code,
      ).toBe('CONFLICT');
      const second = await submit(p1, order.orderId, [await confirmedFile(kit.rpc, p1.operator, JPEG(512))]);
      expect(second).toMatchObject({ reviewStatus: 'pending', payoutCents: 4197 });
      expect((await review(second.id, 'approve')).reviewStatus).toBe('approved');
      expect(await kit.orders.status(order.orderId)).toMatchObject({ status: 'FULFILLED' });
      // A reviewed proof cannot be reviewed again; an operator cannot review.
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
      await claim(p2, order);
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
      expect((await kit.failure(PHARMACY_RPC.getFile, { token: `${token.slice(0, -2)}xx` })).code).toBe(
        '1001',
      );
      // A download token is not an upload token.
      expect(
        (await kit.failure(PHARMACY_RPC.putFile, { token, base64: JPEG(10).toString('base64') })).code,
      ).toBe('1001');
      expect((await kit.failure(PHARMACY_RPC.listProofs, { caller: p2.operator })).code).toBe('1003');
    });

    it('refuses unconfirmed or foreign files and unknown orders', async () => {
      const order = await mint();
      await claim(p1, order);
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
      expect((await submitFailure(p1, order.orderId, [await confirmedFile(kit.rpc, p2.operator)])).code).toBe(
        'NOT_FOUND',
      );
      expect((await submitFailure(p1, randomUUID())).code).toBe('2001');
      expect(await kit.orders.status(order.orderId)).toMatchObject({ status: 'DISPENSING' });
    });

    it('fails a proof orders refuses (the hold ended meanwhile), freeing its files for a later valid proof', async () => {
      const order = await mint();
      await claim(p1, order);
      // An admin released it and p2 claimed it; those events have not reached pharmacy yet.
      await kit.pool.query(`UPDATE standin_order SET pharmacy_id = $2 WHERE order_id = $1`, [
        order.orderId,
        p2.id,
      ]);
      const fileId = await confirmedFile(kit.rpc, p1.operator);
      expect((await submitFailure(p1, order.orderId, [fileId])).code).toBe('4003');
      expect(
        await kit.sql('SELECT status, last_claim_error FROM fulfillment_proof WHERE order_id = $1', [
          order.orderId,
        ]),
      ).toEqual([{ status: 'failed', last_claim_error: expect.stringMatching(/^4003/) }]);
      expect(await outbox('pharmacy.proof.submitted', order.orderId)).toEqual([]);
      // Back with p1: the refused proof's photo may back the real one.
      await kit.pool.query(`UPDATE standin_order SET pharmacy_id = $2 WHERE order_id = $1`, [
        order.orderId,
        p1.id,
      ]);
      expect((await submit(p1, order.orderId, [fileId])).reviewStatus).toBe('pending');
    });

    it('finishes a proof a crash left behind: the sweeper asks orders again and announces the proof', async () => {
      const order = await mint();
      await claim(p1, order);
      const proofId = randomUUID();
      const fileId = await confirmedFile(kit.rpc, p1.operator);
      // What tx1 leaves when the process dies before asking orders.
      await kit.pool.query(
        `INSERT INTO fulfillment_proof (id, order_id, pharmacy_id, submitted_by, status, payout, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'claiming', 41.97, $5, $5)`,
        [proofId, order.orderId, p1.id, p1.operator.userId, new Date(clock.now().getTime() - 60_000)],
      );
      await kit.pool.query('INSERT INTO proof_file (proof_id, file_id, position) VALUES ($1, $2, 0)', [
        proofId,
        fileId,
      ]);
      // Meanwhile another pharmacy cannot submit over it.
      expect((await submitFailure(p2, order.orderId)).code).toBe('4003');

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

    it('recovers a proof whose answer was lost: orders did accept it, so the retry accepts the proof', async () => {
      const order = await mint();
      await claim(p1, order);
      kit.orders.claimDelayMs = 2_500; // longer than pharmacy's 2 s deadline for orders' RPCs
      const lost = await submitFailure(p1, order.orderId);
      kit.orders.claimDelayMs = 0;
      expect(lost).toMatchObject({ code: '5001', details: { proofId: expect.any(String) } });
      // It did land in orders; its pending_review event reaches the read model.
      await kit.orderVisible(order.orderId, 'PENDING_REVIEW');
      expect(
        await kit.sql('SELECT status FROM fulfillment_proof WHERE id = $1', [lost.details.proofId]),
      ).toEqual([{ status: 'claiming' }]);
      // Submitting again resumes the same proof.
      const resumed = await submit(p1, order.orderId);
      expect(resumed).toMatchObject({ id: lost.details.proofId, reviewStatus: 'pending' });
      expect(await outbox('pharmacy.proof.submitted', order.orderId)).toHaveLength(1);
    });
  });
});
