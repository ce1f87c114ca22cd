import { randomUUID } from 'node:crypto';
import { isValidPlatformOrderId, paymentAttemptOf } from '@prescriptchain/contracts';
import { decodeProtectedHeader, decodeJwt } from 'jose';
import { CreateOrderHandler } from '../../src/application/orders/create-order/create-order.handler';
import { FaultInjectingStore, type TransactionStep } from './fault-injecting.store';
import { type OrdersKit, createOrdersKit, practitioner } from './orders-test-kit';

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code?: string }) => e.code,
  );

describe(CreateOrderHandler.name, () => {
  let kit: OrdersKit;
  beforeAll(async () => {
    kit = await createOrdersKit('orders_saga');
  });
  afterAll(async () => {
    await kit?.close();
  });

  describe('create', () => {
    it('stores the order PENDING_PAYMENT and outboxes accounts.debit.requested for its exact total', async () => {
      const order = await kit.create.execute(kit.request());
      expect(order).toMatchObject({ status: 'PENDING_PAYMENT', totalCents: 1635, currency: 'NZD', packs: 7 });
      expect(
        order.items.map((i) => [i.name, i.quantity, i.unitPriceCents, i.totalPriceCents, i.decoctionMethod]),
      ).toEqual([
        ['当归', '10.25', 14, 1005, '后下'],
        ['白芍', '9', 10, 630, null],
      ]);
      expect(order.history.map((h) => [h.from, h.to])).toEqual([
        [null, 'DRAFT'],
        ['DRAFT', 'PENDING_PAYMENT'],
      ]);
      const debits = await kit.messages('accounts.debit.requested', order.id);
      expect(debits.map((m) => m.payload)).toEqual([
        { orderId: order.id, clinicId: kit.clinicId, amountCents: 1635 },
      ]);
      const [row] = await kit.sql('SELECT status, total_amount::text AS total FROM orders WHERE id = $1', [
        order.id,
      ]);
      expect(row).toEqual({ status: 'PENDING_PAYMENT', total: '16.35' });
    });

    it('refuses an unsafe formula before anything is written (no order, no debit)', async () => {
      const before = await kit.sql('SELECT count(*)::int AS n FROM orders');
      const outboxBefore = await kit.sql('SELECT count(*)::int AS n FROM outbox_message');
      const unsafe = kit.request({
        items: [
          { medicineId: kit.medicine('RAW-GANCAO'), quantity: '6' },
          { medicineId: kit.medicine('RAW-HAIZAO'), quantity: '9' },
        ],
      });
      await expect(kit.create.execute(unsafe)).rejects.toMatchObject({
        code: 'PRESCRIPTION_SAFETY',
        details: [expect.objectContaining({ rule: 'EIGHTEEN_INCOMPATIBLE' })],
      });
      expect(await kit.sql('SELECT count(*)::int AS n FROM orders')).toEqual(before);
      expect(await kit.sql('SELECT count(*)::int AS n FROM outbox_message')).toEqual(outboxBefore);
    });

    it('never lets a restricted herb through, even with an override reason', async () => {
      const ephedra = kit.request({
        items: [{ medicineId: kit.medicine('RAW-MAHUANG'), quantity: '6' }],
        safetyOverrideReason: 'I know what I am doing',
      });
      await expect(kit.create.execute(ephedra)).rejects.toMatchObject({
        code: 'PRESCRIPTION_SAFETY',
        details: [expect.objectContaining({ rule: 'NZ_RESTRICTED', overridable: false })],
      });
    });

    it('accepts an overridable violation with a reason and keeps it in the history and the audit field', async () => {
      const order = await kit.create.execute(
        kit.request({
          items: [
            { medicineId: kit.medicine('RAW-GANCAO'), quantity: '6' },
            { medicineId: kit.medicine('RAW-HAIZAO'), quantity: '9' },
          ],
          safetyOverrideReason: 'Classical 海藻玉壶汤 variant, monitored weekly',
        }),
      );
      expect(order.safetyOverride).toEqual({
        reason: 'Classical 海藻玉壶汤 variant, monitored weekly',
        rules: ['EIGHTEEN_INCOMPATIBLE'],
      });
      expect(order.history[0].reason).toContain('Classical 海藻玉壶汤 variant, monitored weekly');
      const [row] = await kit.sql('SELECT safety_override FROM orders WHERE id = $1', [order.id]);
      expect(row.safety_override).toMatchObject({
        reason: 'Classical 海藻玉壶汤 variant, monitored weekly',
        by: kit.owner.userId,
        violations: [expect.objectContaining({ rule: 'EIGHTEEN_INCOMPATIBLE' })],
      });
    });

    it('checks pregnancy cautions only for a pregnant patient', async () => {
      const items = [{ medicineId: kit.medicine('RAW-HONGHUA'), quantity: '6' }];
      await expect(kit.create.execute(kit.request({ items }))).resolves.toMatchObject({
        status: 'PENDING_PAYMENT',
      });
      await expect(
        kit.create.execute(kit.request({ items, patientInfo: { name: 'Aroha', pregnant: true } })),
      ).rejects.toMatchObject({
        code: 'PRESCRIPTION_SAFETY',
        details: [expect.objectContaining({ rule: 'PREGNANCY' })],
      });
    });

    it('refuses unknown or retired medicines, bad quantities and unknown decoction methods, naming each item', async () => {
      const retired = kit.medicine('RAW-CHUANXIONG');
      await kit.sql(`UPDATE medicines SET status = 'retired' WHERE id = $1`, [retired]);
      const bad = kit.request({
        items: [
          { medicineId: randomUUID(), quantity: '5' },
          { medicineId: retired, quantity: '5' },
          { medicineId: kit.medicine('RAW-DANGGUI'), quantity: '0' },
          { medicineId: kit.medicine('RAW-BAISHAO'), quantity: '1.2345' },
          { medicineId: kit.medicine('RAW-GANCAO'), quantity: '3', decoctionMethod: 'stir fry' },
        ],
      });
      const error = await kit.create.execute(bad).catch((e) => e);
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details.map((d: { path: string }) => d.path).sort()).toEqual([
        'items[0].medicineId',
        'items[1].medicineId',
        'items[2].quantity',
        'items[3].quantity',
        'items[4].decoctionMethod',
      ]);
    });

    it('refuses a total beyond what NUMERIC(12,2) holds instead of failing in the database', async () => {
      const dear = kit.medicine('RAW-GUIZHI');
      await kit.sql(`UPDATE medicines SET price_per_unit = 9999999.99 WHERE id = $1`, [dear]);
      const huge = kit.request({ items: [{ medicineId: dear, quantity: '10' }], packs: 365 });
      await expect(kit.create.execute(huge)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ path: 'items', message: expect.stringContaining('exceeds') }],
      });
    });

    it('lets a practitioner prescribe only for a clinic they belong to', async () => {
      await expect(codeOf(kit.create.execute(kit.request({ clinicId: randomUUID() })))).resolves.toBe('1003');
      const pharmacist = {
        userId: randomUUID(),
        role: 'pharmacy_operator' as const,
        clinicIds: [kit.clinicId],
      };
      await expect(codeOf(kit.create.execute(kit.request({ caller: pharmacist })))).resolves.toBe('1003');
    });

    it('stores a draft without asking for money, and submitting it requests the debit', async () => {
      const draft = await kit.create.execute(kit.request({ draft: true }));
      expect(draft.status).toBe('DRAFT');
      expect(await kit.messages('accounts.debit.requested', draft.id)).toEqual([]);
      const submitted = await kit.submit.execute(kit.owner, draft.id);
      expect(submitted.status).toBe('PENDING_PAYMENT');
      expect(
        (await kit.messages('accounts.debit.requested', draft.id)).map((m) => m.payload.amountCents),
      ).toEqual([1635]);
      await expect(codeOf(kit.submit.execute(kit.owner, draft.id))).resolves.toBe('2003');
    });
  });

  describe('idempotency', () => {
    it('returns the first order for the same key and body, and creates one order and one debit', async () => {
      const key = `key-${randomUUID()}`;
      const first = await kit.create.execute(kit.request({ idempotencyKey: key }));
      const again = await kit.create.execute(kit.request({ idempotencyKey: key }));
      expect(again.id).toBe(first.id);
      expect(await kit.messages('accounts.debit.requested', first.id)).toHaveLength(1);
    });

    it('answers IDEMPOTENCY_KEY_REUSED for the same key with another body', async () => {
      const key = `key-${randomUUID()}`;
      await kit.create.execute(kit.request({ idempotencyKey: key }));
      await expect(codeOf(kit.create.execute(kit.request({ idempotencyKey: key, packs: 3 })))).resolves.toBe(
        'IDEMPOTENCY_KEY_REUSED',
      );
    });

    it('holds under concurrency: ten simultaneous requests with one key make one order', async () => {
      const key = `key-${randomUUID()}`;
      const results = await Promise.all(
        Array.from({ length: 10 }, () => kit.create.execute(kit.request({ idempotencyKey: key }))),
      );
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
      const rows = await kit.sql('SELECT order_id FROM order_idempotency_keys WHERE key = $1', [key]);
      expect(rows).toHaveLength(1);
      expect(await kit.messages('accounts.debit.requested', results[0].id)).toHaveLength(1);
    });

    it('scopes keys per practitioner and honours the gateway request hash', async () => {
      const key = `key-${randomUUID()}`;
      const other = practitioner([kit.clinicId]);
      const mine = await kit.create.execute(kit.request({ idempotencyKey: key, requestHash: 'h1' }));
      const theirs = await kit.create.execute(
        kit.request({ caller: other, idempotencyKey: key, requestHash: 'h1' }),
      );
      expect(theirs.id).not.toBe(mine.id);
      await expect(
        codeOf(kit.create.execute(kit.request({ idempotencyKey: key, requestHash: 'h2' }))),
      ).resolves.toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('frees a key after 24 hours', async () => {
      const key = `key-${randomUUID()}`;
      const first = await kit.create.execute(kit.request({ idempotencyKey: key }));
      kit.clock.advanceMs(24 * 60 * 60 * 1000 + 1);
      const later = await kit.create.execute(kit.request({ idempotencyKey: key, packs: 2 }));
      expect(later.id).not.toBe(first.id);
      kit.clock.at = new Date();
    });
  });

  describe('payment results', () => {
    it('on debit.succeeded: PAID with a signed credential, and orders.order.paid', async () => {
      const created = await kit.create.execute(kit.request());
      await kit.debitResult.succeeded(kit.debitSucceeded(created.id, 1635));
      const order = await kit.get.execute(kit.owner, created.id);
      expect(order.status).toBe('PAID');
      expect(isValidPlatformOrderId(order.platformOrderId!)).toBe(true);
      const token = order.credential!.qrCodeData!;
      expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'EdDSA', typ: 'pc-credential+jwt' });
      expect(Object.keys(decodeJwt(token)).sort()).toEqual(['exp', 'oid', 'pid']);
      expect(decodeJwt(token)).toMatchObject({ oid: order.id, pid: order.platformOrderId });
      await expect(kit.credentials.verifyToken(token)).resolves.toMatchObject({ oid: order.id });

      const [paid] = await kit.messages('orders.order.paid', order.id);
      expect(paid.payload).toEqual({
        orderId: order.id,
        platformOrderId: order.platformOrderId,
        clinicId: kit.clinicId,
        practitionerId: kit.owner.userId,
        totalCents: 1635,
        expiresAt: order.credential!.expiresAt,
        // Never in plaintext on a message: encrypted under the PII key pharmacy shares.
        patientName: '',
        patientNameEnc: expect.stringMatching(/^dev:[^:]+:[^:]+:[^:]+$/),
        items: [
          expect.objectContaining({
            name: '当归',
            pinyin: 'dāng guī',
            unit: 'g',
            quantity: '10.25',
            packs: 7,
          }),
          expect.objectContaining({ name: '白芍', quantity: '9', packs: 7 }),
        ],
        credentialKid: decodeProtectedHeader(token).kid,
        verificationCodeHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        // Which payment attempt this outcome ends (the gateway matches it with the order it holds).
        paymentAttempt: 1,
      });
      expect(kit.cipher.decrypt(paid.payload.patientNameEnc)).toBe('Mere Tane');
      expect(JSON.stringify(paid)).not.toContain('Mere Tane');
      const ttl = Date.parse(order.credential!.expiresAt) - Date.parse(order.history.at(-1)!.at);
      expect(ttl).toBe(30 * 24 * 60 * 60 * 1000);
    });

    it('stores the verification code hashed (and encrypted), and shows it to the owner only', async () => {
      const order = await kit.paidOrder();
      const credential = await kit.getCredential.execute(kit.owner, order.id);
      expect(credential.verificationCode).toMatch(/^\d{6}$/);
      const [row] = await kit.sql('SELECT * FROM orders WHERE id = $1', [order.id]);
      expect(JSON.stringify(row)).not.toContain(credential.verificationCode);
      expect(row.verification_code_hash).toMatch(/^[0-9a-f]{64}$/);
      // The keyed digest pharmacy checks typed codes against, as orders.order.paid carries it.
      expect(row.verification_code_hash).toBe(kit.codeHmac.digest(order.id, credential.verificationCode));
      const [paid] = await kit.messages('orders.order.paid', order.id);
      expect(paid.payload.verificationCodeHash).toBe(row.verification_code_hash);
      await expect(codeOf(kit.getCredential.execute(practitioner([kit.clinicId]), order.id))).resolves.toBe(
        '2001',
      );
      await expect(
        kit.verify.execute({
          platformOrderId: order.platformOrderId!.toLowerCase().replace(/-/g, ' '),
          verificationCode: credential.verificationCode,
        }),
      ).resolves.toMatchObject({ orderId: order.id, status: 'PAID' });
      const wrong = String((Number(credential.verificationCode) + 1) % 1_000_000).padStart(6, '0');
      await expect(
        codeOf(kit.verify.execute({ platformOrderId: order.platformOrderId!, verificationCode: wrong })),
      ).resolves.toBe('4002');
      await expect(kit.verify.execute({ qrCodeData: credential.qrCodeData })).resolves.toMatchObject({
        orderId: order.id,
      });
      const forged = `${credential.qrCodeData.slice(0, -4)}AAAA`;
      await expect(codeOf(kit.verify.execute({ qrCodeData: forged }))).resolves.toBe('4002');
    });

    it('on debit.rejected: PAYMENT_FAILED with the reason, orders.order.payment_failed; a retry asks again', async () => {
      const created = await kit.create.execute(kit.request());
      await kit.debitResult.rejected(kit.debitRejected(created.id, 1635, 'INSUFFICIENT_FUNDS'));
      const failed = await kit.get.execute(kit.owner, created.id);
      expect(failed).toMatchObject({ status: 'PAYMENT_FAILED', paymentFailureReason: 'INSUFFICIENT_FUNDS' });
      expect(failed.history.at(-1)).toMatchObject({ to: 'PAYMENT_FAILED', reason: 'INSUFFICIENT_FUNDS' });
      expect((await kit.messages('orders.order.payment_failed', created.id)).map((m) => m.payload)).toEqual([
        {
          orderId: created.id,
          clinicId: kit.clinicId,
          practitionerId: kit.owner.userId,
          reason: 'INSUFFICIENT_FUNDS',
          paymentAttempt: 1,
        },
      ]);
      const retried = await kit.retryPayment.execute(kit.owner, created.id);
      expect(retried.status).toBe('PENDING_PAYMENT');
      expect(paymentAttemptOf(retried.history)).toBe(2);
      expect(await kit.messages('accounts.debit.requested', created.id)).toHaveLength(2);
      await kit.debitResult.succeeded(kit.debitSucceeded(created.id, 1635));
      expect((await kit.get.execute(kit.owner, created.id)).status).toBe('PAID');
      // The retry's outcome names the second attempt: the first one's refusal cannot be taken for it.
      expect(
        (await kit.messages('orders.order.paid', created.id)).map((m) => m.payload.paymentAttempt),
      ).toEqual([2]);
    });

    it('has one effect for a redelivered result and for a second copy of it', async () => {
      const created = await kit.create.execute(kit.request());
      const message = kit.debitSucceeded(created.id, 1635);
      await Promise.all([kit.debitResult.succeeded(message), kit.debitResult.succeeded(message)]);
      await kit.debitResult.succeeded(kit.debitSucceeded(created.id, 1635)); // another message id
      const order = await kit.get.execute(kit.owner, created.id);
      expect(order.history.filter((h) => h.to === 'PAID')).toHaveLength(1);
      expect(await kit.messages('orders.order.paid', created.id)).toHaveLength(1);
      expect(await kit.messages('accounts.refund.requested', created.id)).toHaveLength(0);

      const rejected = await kit.create.execute(kit.request());
      const no = kit.debitRejected(rejected.id, 1635);
      await kit.debitResult.rejected(no);
      await kit.debitResult.rejected(no);
      expect(await kit.messages('orders.order.payment_failed', rejected.id)).toHaveLength(1);
    });
  });

  describe('compensation', () => {
    it('refunds a cancelled paid order exactly once', async () => {
      const order = await kit.paidOrder();
      const cancelled = await kit.cancel.execute(kit.owner, order.id, 'Patient recovered');
      expect(cancelled.status).toBe('CANCELLED');
      await expect(codeOf(kit.cancel.execute(kit.owner, order.id, 'again'))).resolves.toBe('2003');
      await kit.debitResult.succeeded(kit.debitSucceeded(order.id, 1635)); // a late copy changes nothing
      expect((await kit.messages('accounts.refund.requested', order.id)).map((m) => m.payload)).toEqual([
        { orderId: order.id, clinicId: kit.clinicId, reason: 'ORDER_CANCELLED' },
      ]);
      const [event] = await kit.messages('orders.order.cancelled', order.id);
      expect(event.payload).toMatchObject({
        refundRequested: true,
        reason: 'CANCELLED_BY_PRESCRIBER',
        cancelledBy: kit.owner.userId,
      });
      // The typed reason stays on the order's own history, never on a message.
      expect(JSON.stringify(event)).not.toContain('Patient recovered');
      expect(cancelled.history.at(-1)).toMatchObject({ to: 'CANCELLED', reason: 'Patient recovered' });
    });

    it('lets an admin cancel, but not another practitioner (who is told the order does not exist)', async () => {
      const order = await kit.paidOrder();
      await expect(
        codeOf(kit.cancel.execute(practitioner([kit.clinicId]), order.id, 'mine now')),
      ).resolves.toBe('2001');
      const admin = { userId: randomUUID(), role: 'admin' as const, clinicIds: [] };
      await expect(kit.cancel.execute(admin, order.id, 'fraud check')).resolves.toMatchObject({
        status: 'CANCELLED',
      });
    });

    it('asks for a refund when the debit succeeds after the order was cancelled', async () => {
      const created = await kit.create.execute(kit.request());
      await kit.debitResult.rejected(kit.debitRejected(created.id, 1635));
      await kit.cancel.execute(kit.owner, created.id, 'will pay another way');
      expect(await kit.messages('accounts.refund.requested', created.id)).toHaveLength(0); // nothing was taken
      await kit.debitResult.succeeded(kit.debitSucceeded(created.id, 1635));
      await kit.debitResult.succeeded(kit.debitSucceeded(created.id, 1635));
      expect(await kit.messages('accounts.refund.requested', created.id)).toHaveLength(1);
      expect((await kit.get.execute(kit.owner, created.id)).status).toBe('CANCELLED');
    });

    it('fails a payment nobody answered with TIMEOUT and requests a refund', async () => {
      const created = await kit.create.execute(kit.request());
      kit.clock.advanceMs(kit.cfg.sagaTimeoutMs - 1);
      await kit.deadlines.execute();
      expect((await kit.get.execute(kit.owner, created.id)).status).toBe('PENDING_PAYMENT');
      kit.clock.advanceMs(1);
      await kit.deadlines.execute();
      const order = await kit.get.execute(kit.owner, created.id);
      expect(order).toMatchObject({ status: 'PAYMENT_FAILED', paymentFailureReason: 'TIMEOUT' });
      expect(
        (await kit.messages('orders.order.payment_failed', created.id)).map((m) => m.payload.reason),
      ).toEqual(['TIMEOUT']);
      expect(await kit.messages('accounts.refund.requested', created.id)).toHaveLength(1);
      // A debit arriving after the timeout is already covered by that refund; the order cannot be retried.
      await kit.debitResult.succeeded(kit.debitSucceeded(created.id, 1635));
      expect(await kit.messages('accounts.refund.requested', created.id)).toHaveLength(1);
      await expect(codeOf(kit.retryPayment.execute(kit.owner, created.id))).resolves.toBe('2003');
      kit.clock.at = new Date();
    });

    it('expires a paid credential past its expiry and refunds it', async () => {
      const order = await kit.paidOrder();
      kit.clock.at = new Date(Date.parse(order.credential!.expiresAt) + 1);
      await kit.deadlines.execute();
      expect((await kit.get.execute(kit.owner, order.id)).status).toBe('EXPIRED');
      expect((await kit.messages('orders.order.expired', order.id)).map((m) => m.payload)).toEqual([
        expect.objectContaining({ orderId: order.id, clinicId: kit.clinicId }),
      ]);
      expect(await kit.messages('accounts.refund.requested', order.id)).toHaveLength(1);
      await kit.deadlines.execute();
      expect(await kit.messages('accounts.refund.requested', order.id)).toHaveLength(1);
      kit.clock.at = new Date();
    });

    it('handles each due order exactly once with two job instances running at once', async () => {
      const orders = await Promise.all(Array.from({ length: 12 }, () => kit.create.execute(kit.request())));
      kit.clock.advanceMs(kit.cfg.sagaTimeoutMs + 1);
      const replica = kit.replica();
      await Promise.all([kit.deadlines.execute(), replica.deadlines.execute(), kit.deadlines.execute()]);
      for (const o of orders) {
        expect(await kit.messages('accounts.refund.requested', o.id)).toHaveLength(1);
        expect(await kit.messages('orders.order.payment_failed', o.id)).toHaveLength(1);
      }
      kit.clock.at = new Date();
    });
  });

  describe('a crash inside a saga transaction leaves nothing behind', () => {
    const TABLES = [
      'orders',
      'order_items',
      'order_history',
      'order_idempotency_keys',
      'outbox_message',
      'inbox_message',
    ];
    const counts = async () =>
      Object.fromEntries(
        await Promise.all(
          TABLES.map(async (t) => [t, (await kit.sql(`SELECT count(*)::int AS n FROM ${t}`))[0].n] as const),
        ),
      );

    it.each<TransactionStep>(['holdIdempotencyKey', 'insert', 'publish'])(
      'create: a failure after %s rolls back the key, the order and the debit request; a retry then succeeds',
      async (step) => {
        const key = `key-${randomUUID()}`;
        const before = await counts();
        const faulty = kit.useCases(new FaultInjectingStore(kit.store, step));
        await expect(faulty.create.execute(kit.request({ idempotencyKey: key }))).rejects.toThrow(
          `injected failure after ${step}`,
        );
        expect(await counts()).toEqual(before);

        const order = await kit.create.execute(kit.request({ idempotencyKey: key }));
        expect(order.status).toBe('PENDING_PAYMENT');
        expect(await kit.messages('accounts.debit.requested', order.id)).toHaveLength(1);
      },
    );

    it.each<TransactionStep>(['claimMessageAndLock', 'save', 'publish'])(
      'debit succeeded: a failure after %s leaves the order unpaid and the message unconsumed, so redelivery pays it',
      async (step) => {
        const created = await kit.create.execute(kit.request());
        const message = kit.debitSucceeded(created.id, 1635);
        const before = await counts();
        const faulty = kit.useCases(new FaultInjectingStore(kit.store, step));
        await expect(faulty.debitResult.succeeded(message)).rejects.toThrow(`injected failure after ${step}`);
        expect(await counts()).toEqual(before);
        const [row] = await kit.sql('SELECT status, platform_order_id FROM orders WHERE id = $1', [
          created.id,
        ]);
        expect(row).toEqual({ status: 'PENDING_PAYMENT', platform_order_id: null });

        await kit.debitResult.succeeded(message); // the broker redelivers the same message
        expect((await kit.get.execute(kit.owner, created.id)).status).toBe('PAID');
        expect(await kit.messages('orders.order.paid', created.id)).toHaveLength(1);
      },
    );
  });
});
