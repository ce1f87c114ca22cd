import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CodedError, type RechargeIntentView, requestHash } from '@prescriptchain/contracts';
import { TopUp } from '../../domain/top-up.entity';
import { AccountsStore } from '../ports/accounts-store';
import { PaymentGateway } from '../ports/payment-gateway';

export interface CreateRechargeIntentInput {
  clinicId: string;
  amountCents: number;
  idempotencyKey: string;
  actorId: string;
}

/**
 * A clinic member starts a top-up: a PaymentIntent the client confirms with Stripe.js. The account is
 * credited later, by the provider's webhook. The top-up row is written before the provider is called
 * (its id travels in the intent's metadata), and the provider call carries an idempotency key derived
 * from it, so a retried request, even after a crash in between, yields the same intent.
 */
@Injectable()
export class CreateRechargeIntentHandler {
  constructor(
    private readonly store: AccountsStore,
    private readonly payments: PaymentGateway,
  ) {}

  async execute(input: CreateRechargeIntentInput): Promise<RechargeIntentView> {
    const { clinicId, amountCents, actorId } = input;
    if (!(await this.store.findAccount(clinicId)))
      throw new CodedError('NOT_FOUND', 'No account for this clinic.');
    const hash = requestHash({ clinicId, amountCents });

    const topUp = await this.store.transaction(async (tx) => {
      const stored = await tx.insertTopUp(
        TopUp.request({ id: randomUUID(), clinicId, amountCents, requestedBy: actorId, at: new Date() }),
        {
          idempotencyKey: input.idempotencyKey,
          requestHash: hash,
          provider: this.payments.provider,
        },
      );
      if (stored.requestHash !== hash) throw new CodedError('IDEMPOTENCY_KEY_REUSED');
      return stored.topUp;
    });

    const intent = await this.payments.createIntent({
      amountCents: topUp.amountCents,
      currency: 'NZD',
      metadata: { clinicId: topUp.clinicId, topUpId: topUp.id },
      idempotencyKey: `topup-${topUp.id}`,
    });

    await this.store.transaction(async (tx) => {
      const current = await tx.lockTopUp(topUp.id);
      if (!current) throw new Error(`top-up ${topUp.id} vanished`);
      if (current.paymentIntentId && current.paymentIntentId !== intent.paymentIntentId) {
        // The provider forgot the idempotency key (Stripe keeps them 24 h) and made a second intent.
        throw new CodedError('CONFLICT', 'This Idempotency-Key belongs to an expired top-up; use a new key.');
      }
      current.intentCreated(intent.paymentIntentId);
      await tx.saveTopUp(current);
    });

    return {
      topUpId: topUp.id,
      paymentIntentId: intent.paymentIntentId,
      clientSecret: intent.clientSecret,
      amountCents: intent.amountCents,
      currency: 'NZD',
    };
  }
}
