import { Injectable, Logger } from '@nestjs/common';
import { TopUpCompletedV1, type WebhookReceipt } from '@prescriptchain/contracts';
import type { AccountsTx } from '../ports/accounts-store';
import { AccountsStore } from '../ports/accounts-store';
import { type PaymentGateway, PaymentGateways, type VerifiedPaymentEvent } from '../ports/payment-gateway';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The provider's webhook (Stripe, or the sandbox through the same path). Verified against its
 * signature, deduplicated by event id, and `payment_intent.succeeded` credits the top-up's account
 * exactly once (the top-up's own state and a unique ledger reference back the event id up). A replay
 * is answered `{ received: true, duplicate: true }`: the provider wants a 2xx, not an error.
 */
@Injectable()
export class HandlePaymentWebhookHandler {
  private readonly log = new Logger(HandlePaymentWebhookHandler.name);

  private readonly payments: PaymentGateway;

  constructor(
    private readonly store: AccountsStore,
    gateways: PaymentGateways,
  ) {
    this.payments = gateways.card();
  }

  async execute(input: { rawBody: string; signature: string }): Promise<WebhookReceipt> {
    const event = await this.payments.verifyNotice({
      body: input.rawBody,
      headers: { 'stripe-signature': input.signature },
    });
    return this.store.transaction(async (tx) => {
      const first = await tx.recordWebhookEvent({
        id: event.eventId,
        type: event.providerStatus,
        paymentIntentId: event.paymentId,
      });
      if (!first) return { received: true, duplicate: true };
      if (event.outcome === 'paid') await this.credit(tx, event);
      else if (event.outcome === 'failed') await this.fail(tx, event);
      return { received: true, duplicate: false };
    });
  }

  private async credit(tx: AccountsTx, event: VerifiedPaymentEvent): Promise<void> {
    const topUp = await this.findTopUp(tx, event);
    if (!event.paymentId || !topUp) {
      this.log.warn({
        msg: 'payment succeeded for an unknown top-up; ignored',
        eventId: event.eventId,
        paymentIntentId: event.paymentId,
      });
      return;
    }
    const intent = { id: event.paymentId };
    if (event.amountCents !== topUp.amountCents || event.currency !== 'NZD') {
      // Never credit something other than what was asked for; this needs a person to look at it.
      this.log.error({
        msg: 'payment amount differs from the top-up; not credited',
        eventId: event.eventId,
        topUpId: topUp.id,
        expectedCents: topUp.amountCents,
        receivedCents: event.amountCents,
        currency: event.currency,
      });
      return;
    }
    if (!topUp.succeed(intent.id, new Date())) return; // another event already credited this intent

    const account = await tx.lockAccount(topUp.clinicId);
    if (!account)
      throw new Error(`top-up ${topUp.id} belongs to clinic ${topUp.clinicId}, which has no account`);
    const { split: _split, ...movement } = account.topUp(topUp.amountCents);
    await tx.saveAccount(account);
    await tx.saveTopUp(topUp);
    await tx.appendLedger({
      ...movement,
      clinicId: topUp.clinicId,
      reference: intent.id,
      actorId: topUp.requestedBy,
    });
    await tx.publish(TopUpCompletedV1, {
      clinicId: topUp.clinicId,
      amountCents: topUp.amountCents,
      paymentIntentId: intent.id,
    });
  }

  private async fail(tx: AccountsTx, event: VerifiedPaymentEvent): Promise<void> {
    const topUp = await this.findTopUp(tx, event);
    if (!event.paymentId || !topUp) return;
    topUp.fail(event.paymentId);
    await tx.saveTopUp(topUp);
  }

  private async findTopUp(tx: AccountsTx, event: VerifiedPaymentEvent) {
    const intentId = event.paymentId;
    if (!intentId) return null;
    const topUpId = event.metadata.topUpId;
    // The metadata is ours (set when the intent was created); the intent id covers a missing one.
    if (topUpId && UUID.test(topUpId)) {
      const byId = await tx.lockTopUp(topUpId);
      if (byId && (byId.paymentIntentId === null || byId.paymentIntentId === intentId)) return byId;
    }
    return tx.lockTopUpByIntent(intentId);
  }
}
