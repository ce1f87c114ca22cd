/**
 * Top-ups end to end on the real database with the sandbox provider: the recharge intent, the
 * signed webhook that credits the account exactly once, and the deliveries that must not.
 */
import { randomUUID } from 'node:crypto';
import { TopUpCompletedV1 } from '@prescriptchain/contracts';
import Stripe from 'stripe';
import { type AccountsKit, WEBHOOK_SECRET, createAccountsKit, errorKey, asMember } from './accounts-test-kit';

describe('top-ups through the payment webhook', () => {
  let kit: AccountsKit;
  const member = randomUUID();
  beforeAll(async () => {
    kit = await createAccountsKit('accounts_topups');
  });
  afterAll(async () => {
    await kit?.close();
  });

  /** A recharge intent and the signed success event its payment produces (not delivered yet). */
  async function paidIntent(clinicId: string, amountCents: number) {
    const intent = await kit.recharge.execute({
      clinicId,
      amountCents,
      idempotencyKey: randomUUID(),
      caller: asMember(clinicId, member),
    });
    const [row] = await kit.prisma.sandboxPaymentIntent.findMany({ where: { id: intent.paymentIntentId } });
    const delivery = kit.sandbox.signedSucceededEvent({
      id: row.id,
      amount: row.amount.toFixed(2),
      currency: row.currency,
      metadata: row.metadata as Record<string, string>,
      event_id: row.eventId,
      created_at: row.createdAt,
    });
    return { intent, delivery };
  }

  it('answers a recharge intent with the provider intent and credits nothing until the payment succeeds', async () => {
    const clinicId = await kit.account();
    const intent = await kit.recharge.execute({
      clinicId,
      amountCents: 25_000,
      idempotencyKey: randomUUID(),
      caller: asMember(clinicId, member),
    });

    expect(intent).toEqual({
      topUpId: expect.any(String),
      paymentIntentId: expect.stringMatching(/^pi_sandbox_/),
      clientSecret: expect.stringContaining('_secret_'),
      amountCents: 25_000,
      currency: 'NZD',
    });
    expect((await kit.getAccount.execute({ caller: asMember(clinicId), clinicId })).balanceCents).toBe(0);
    const [topUp] = await kit.sql(`SELECT status, payment_intent_id, provider FROM top_up WHERE id = $1`, [
      intent.topUpId,
    ]);
    expect(topUp).toEqual({
      status: 'pending',
      payment_intent_id: intent.paymentIntentId,
      provider: 'sandbox',
    });
  });

  it('credits the account once when the signed success event is delivered twice', async () => {
    const clinicId = await kit.account();
    const { intent, delivery } = await paidIntent(clinicId, 40_000);

    expect(await kit.webhook.execute({ rawBody: delivery.rawBody, signature: delivery.signature })).toEqual({
      received: true,
      duplicate: false,
    });
    expect(await kit.webhook.execute({ rawBody: delivery.rawBody, signature: delivery.signature })).toEqual({
      received: true,
      duplicate: true,
    });

    expect(await kit.books(clinicId)).toMatchObject({
      balanceCents: 40_000,
      ledgerSumCents: 40_000,
      entries: 1,
    });
    const [entry] = (await kit.listLedger.execute({ caller: asMember(clinicId), clinicId, page: 1, limit: 5 })).items;
    expect(entry).toMatchObject({
      type: 'topup',
      amountCents: 40_000,
      reference: intent.paymentIntentId,
      actorId: member,
    });
    const completed = (await kit.published(TopUpCompletedV1.type)).filter(
      (e) => e.payload.clinicId === clinicId,
    );
    expect(completed.map((e) => e.payload)).toEqual([
      { clinicId, amountCents: 40_000, paymentIntentId: intent.paymentIntentId },
    ]);
    const [topUp] = await kit.sql(`SELECT status, completed_at FROM top_up WHERE id = $1`, [intent.topUpId]);
    expect(topUp.status).toBe('succeeded');
    expect(topUp.completed_at).not.toBeNull();
  });

  it('does not credit twice when the same intent succeeds under another event id', async () => {
    const clinicId = await kit.account();
    const { intent } = await paidIntent(clinicId, 10_000);
    const [row] = await kit.prisma.sandboxPaymentIntent.findMany({ where: { id: intent.paymentIntentId } });
    const sign = (eventId: string) =>
      kit.sandbox.signedSucceededEvent({
        id: row.id,
        amount: row.amount.toFixed(2),
        currency: row.currency,
        metadata: row.metadata as Record<string, string>,
        event_id: eventId,
        created_at: row.createdAt,
      });

    await kit.webhook.execute(sign('evt_first'));
    expect(await kit.webhook.execute(sign('evt_second'))).toEqual({ received: true, duplicate: false });

    expect((await kit.books(clinicId)).balanceCents).toBe(10_000);
  });

  it('refuses a delivery with an invalid signature, credits nothing, and still accepts the genuine one after', async () => {
    const clinicId = await kit.account();
    const { delivery } = await paidIntent(clinicId, 7_500);
    const forged = Stripe.webhooks.generateTestHeaderString({
      payload: delivery.rawBody,
      secret: 'whsec_attacker',
    });

    expect(await errorKey(kit.webhook.execute({ rawBody: delivery.rawBody, signature: forged }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(
      await errorKey(
        kit.webhook.execute({
          rawBody: delivery.rawBody.replace('7500', '750000'),
          signature: delivery.signature,
        }),
      ),
    ).toBe('UNAUTHENTICATED');
    expect((await kit.books(clinicId)).balanceCents).toBe(0);

    expect(await kit.webhook.execute(delivery)).toEqual({ received: true, duplicate: false });
    expect((await kit.books(clinicId)).balanceCents).toBe(7_500);
  });

  it('settles through the same webhook path when the sandbox delivers by itself', async () => {
    const clinicId = await kit.account();
    const intent = await kit.recharge.execute({
      clinicId,
      amountCents: 3_000,
      idempotencyKey: randomUUID(),
      caller: asMember(clinicId, member),
    });

    await kit.sandbox.settle(intent.paymentIntentId);
    await kit.sandbox.settle(intent.paymentIntentId); // a redelivery

    expect(await kit.books(clinicId)).toMatchObject({ balanceCents: 3_000, entries: 1 });
  });

  it('repays used credit before adding to the balance', async () => {
    const clinicId = await kit.account({ creditLimitCents: 10_000 });
    await kit.debit.execute({ orderId: randomUUID(), clinicId, amountCents: 4_000 });
    const { delivery } = await paidIntent(clinicId, 5_000);

    await kit.webhook.execute(delivery);

    expect(await kit.books(clinicId)).toMatchObject({
      balanceCents: 1_000,
      usedCreditCents: 0,
      ledgerSumCents: 1_000,
    });
  });

  it('replays the same intent for the same Idempotency-Key and body; refuses the key with another body', async () => {
    const clinicId = await kit.account();
    const idempotencyKey = randomUUID();
    const first = await kit.recharge.execute({
      clinicId,
      amountCents: 2_000,
      idempotencyKey,
      caller: asMember(clinicId, member),
    });

    expect(
      await kit.recharge.execute({ clinicId, amountCents: 2_000, idempotencyKey, caller: asMember(clinicId, member) }),
    ).toEqual(first);
    expect(
      await errorKey(kit.recharge.execute({ clinicId, amountCents: 2_001, idempotencyKey, caller: asMember(clinicId, member) })),
    ).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await kit.sql(`SELECT 1 FROM top_up WHERE clinic_id = $1`, [clinicId])).toHaveLength(1);
  });

  it('refuses a recharge for a clinic without an account', async () => {
    const unknown = randomUUID();
    expect(
      await errorKey(
        kit.recharge.execute({
          clinicId: unknown,
          amountCents: 2_000,
          idempotencyKey: randomUUID(),
          caller: asMember(unknown, member),
        }),
      ),
    ).toBe('NOT_FOUND');
  });

  it('acknowledges, without crediting anyone, a success for an intent that is not one of our top-ups', async () => {
    const rawBody = JSON.stringify({
      id: `evt_${randomUUID()}`,
      object: 'event',
      type: 'payment_intent.succeeded',
      created: Math.floor(Date.now() / 1000),
      data: {
        object: {
          id: 'pi_elsewhere',
          object: 'payment_intent',
          amount: 100,
          amount_received: 100,
          currency: 'nzd',
          status: 'succeeded',
          metadata: {},
        },
      },
    });
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: rawBody, secret: WEBHOOK_SECRET });
    expect(await kit.webhook.execute({ rawBody, signature })).toEqual({ received: true, duplicate: false });
    expect(await kit.sql(`SELECT 1 FROM ledger_entry WHERE reference = 'pi_elsewhere'`)).toHaveLength(0);
  });
});
