import { Injectable, Logger } from '@nestjs/common';
import type { DebitRejectedV1, DebitSucceededV1, Envelope, PayloadOf } from '@prescriptchain/contracts';
import { PiiCipher } from '@prescriptchain/messaging';
import { CredentialsIssuer } from '../../ports/credentials-issuer';
import { OrdersStore } from '../../ports/orders-store';
import { Clock } from '../clock';
import { announcePaid, announcePaymentFailed, requestRefund } from '../order-messages';
import { OrdersConfig } from '../orders-config';

export const DEBIT_SUCCEEDED_CONSUMER = 'orders.debit-succeeded';
export const DEBIT_REJECTED_CONSUMER = 'orders.debit-rejected';

/**
 * Saga step 3: accounts answered. Each message has its effect once (inbox, in the transaction of
 * the effect) and the order row is locked while deciding, so a redelivery, a second copy or a race
 * with the timeout job or a cancellation cannot double anything:
 * - succeeded, order PENDING_PAYMENT → PAID, credential minted, orders.order.paid;
 * - succeeded, order already paid → nothing (a duplicate);
 * - succeeded, order cancelled / expired / failed meanwhile → accounts.refund.requested (once per order);
 * - rejected, order PENDING_PAYMENT → PAYMENT_FAILED with the reason, orders.order.payment_failed;
 * - rejected otherwise → nothing (nothing was taken).
 */
@Injectable()
export class RecordDebitResultHandler {
  private readonly log = new Logger('RecordDebitResult');

  constructor(
    private readonly store: OrdersStore,
    private readonly credentials: CredentialsIssuer,
    private readonly config: OrdersConfig,
    private readonly clock: Clock,
    private readonly cipher: PiiCipher,
  ) {}

  async succeeded(envelope: Envelope<PayloadOf<typeof DebitSucceededV1>>): Promise<void> {
    const meta = { correlationId: envelope.correlationId, causationId: envelope.messageId };
    await this.store.transaction(async (tx) => {
      const { claimed, order } = await tx.claimMessageAndLock(
        DEBIT_SUCCEEDED_CONSUMER,
        envelope,
        envelope.payload.orderId,
      );
      if (!claimed) return;
      if (!order) {
        this.log.warn(`debit succeeded for unknown order ${envelope.payload.orderId}; ignored`);
        return;
      }
      const now = this.clock.now();
      switch (order.debitSucceededOutcome()) {
        case 'pay': {
          const credential = await this.credentials.issue(order.id, now, this.config.credentialExpiry(now));
          order.markPaid(now, credential);
          await tx.save(order);
          await announcePaid(
            tx,
            order,
            this.cipher,
            meta,
            this.credentials.publishableCodeDigest(credential),
          );
          return;
        }
        case 'refund':
          // Money arrived for an order that no longer wants it: give it back (at most once per order).
          if (order.requestRefund(now)) {
            await tx.save(order);
            await requestRefund(tx, order, 'DEBIT_AFTER_CANCELLATION', meta);
          }
          return;
        case 'duplicate':
          return;
      }
    });
  }

  async rejected(envelope: Envelope<PayloadOf<typeof DebitRejectedV1>>): Promise<void> {
    const meta = { correlationId: envelope.correlationId, causationId: envelope.messageId };
    await this.store.transaction(async (tx) => {
      const { claimed, order } = await tx.claimMessageAndLock(
        DEBIT_REJECTED_CONSUMER,
        envelope,
        envelope.payload.orderId,
      );
      if (!claimed || !order || order.status !== 'PENDING_PAYMENT') return;
      order.markPaymentFailed(this.clock.now(), envelope.payload.reason);
      await tx.save(order);
      await announcePaymentFailed(tx, order, envelope.payload.reason, meta);
    });
  }
}
