import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CodedError, type RechargeIntentView, requestHash } from '@prescriptchain/contracts';
import { TopUp } from '../../domain/top-up.entity';
import { AccountsStore } from '../ports/accounts-store';
import { type PaymentGateway, PaymentGateways } from '../ports/payment-gateway';
import { type AccountsCaller, clinicScopeOf } from '../caller-scope';

export interface CreateRechargeIntentInput {
  clinicId: string;
  amountCents: number;
  idempotencyKey: string;
  /** A member of the clinic (or an admin); recorded as who asked. */
  caller: AccountsCaller;
}

/**
 * A clinic member starts a top-up: a PaymentIntent the client confirms with Stripe.js. The account is
 * credited later, by the provider's webhook. The top-up row is written before the provider is called
 * (its id travels in the intent's metadata), and the provider call carries an idempotency key derived
 * from it, so a retried request, even after a crash in between, yields the same intent.
 */
@Injectable()
export class CreateRechargeIntentHandler {
  private readonly payments: PaymentGateway;

  constructor(
    private readonly store: AccountsStore,
    gateways: PaymentGateways,
  ) {
    this.payments = gateways.card();
  }

  async execute(input: CreateRechargeIntentInput): Promise<RechargeIntentView> {
    const { clinicId, amountCents } = input;
    const actorId = input.caller.userId;
    if (!(await this.store.findAccountForClinic(clinicScopeOf(input.caller), clinicId)))
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

    const intent = await this.payments.createPayment({
      reference: topUp.id,
      amountCents: topUp.amountCents,
      currency: 'NZD',
      description: 'PrescriptChain clinic account top-up',
      metadata: { clinicId: topUp.clinicId, topUpId: topUp.id },
      idempotencyKey: `topup-${topUp.id}`,
      expiresAt: null,
    });
    if (intent.action.type !== 'client_secret')
      throw new Error(`the ${this.payments.provider} card gateway answered without a client secret`);

    await this.store.transaction(async (tx) => {
      const current = await tx.lockTopUp(topUp.id);
      if (!current) throw new Error(`top-up ${topUp.id} vanished`);
      if (current.paymentIntentId && current.paymentIntentId !== intent.paymentId) {
        // The provider forgot the idempotency key (Stripe keeps them 24 h) and made a second intent.
        throw new CodedError('CONFLICT', 'This Idempotency-Key belongs to an expired top-up; use a new key.');
      }
      current.intentCreated(intent.paymentId);
      await tx.saveTopUp(current);
    });

    return {
      topUpId: topUp.id,
      paymentIntentId: intent.paymentId,
      clientSecret: intent.action.clientSecret,
      amountCents: intent.amountCents,
      currency: 'NZD',
    };
  }
}

