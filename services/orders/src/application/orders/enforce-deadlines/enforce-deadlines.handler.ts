import { Injectable } from '@nestjs/common';
import { PAYMENT_TIMEOUT_REASON } from '../../../domain/order/order.entity';
import { type DueKind, OrdersStore } from '../../ports/orders-store';
import { Clock } from '../clock';
import { announceExpired, announcePaymentFailed, requestRefund } from '../order-messages';
import { OrdersConfig } from '../orders-config';

/** Batches one run handles per kind before yielding to the next tick. */
const MAX_BATCHES_PER_RUN = 20;

/**
 * The saga's clocks, kept in the database: a PENDING_PAYMENT order past its payment deadline fails
 * with TIMEOUT and is refunded (accounts then refuses a debit still on its way, or returns one it
 * took); a PAID order whose credential passed its expiry becomes EXPIRED and is refunded in full,
 * and so does a DISPENSING or REJECTED order whose pharmacy's hold lapsed without (re)submitted proof.
 * Rows are claimed `FOR UPDATE SKIP LOCKED`, so any number of instances can run this at once and
 * each order is handled exactly once.
 */
@Injectable()
export class EnforceDeadlinesHandler {
  constructor(
    private readonly store: OrdersStore,
    private readonly config: OrdersConfig,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<{ timedOut: number; expired: number; holdsLapsed: number }> {
    return {
      timedOut: await this.drain('payment-timeout'),
      expired: await this.drain('credential-expiry'),
      holdsLapsed: await this.drain('hold-lapse'),
    };
  }

  private async drain(kind: DueKind): Promise<number> {
    let handled = 0;
    for (let i = 0; i < MAX_BATCHES_PER_RUN; i++) {
      const n = await this.batch(kind);
      handled += n;
      if (n < this.config.jobsBatchSize) break;
    }
    return handled;
  }

  private batch(kind: DueKind): Promise<number> {
    return this.store.transaction(async (tx) => {
      const now = this.clock.now();
      const due = await tx.lockDue(kind, now, this.config.jobsBatchSize);
      for (const order of due) {
        if (kind === 'payment-timeout') {
          const refund = order.timeOutPayment(now);
          await tx.save(order);
          await announcePaymentFailed(tx, order, PAYMENT_TIMEOUT_REASON);
          if (refund) await requestRefund(tx, order, 'PAYMENT_TIMEOUT');
        } else if (kind === 'credential-expiry') {
          const refund = order.expire(now);
          await tx.save(order);
          await announceExpired(tx, order, now);
          if (refund) await requestRefund(tx, order, 'CREDENTIAL_EXPIRED');
        } else {
          const refund = order.lapseHold(now);
          await tx.save(order);
          await announceExpired(tx, order, now, 'hold_lapsed');
          if (refund) await requestRefund(tx, order, 'HOLD_EXPIRED');
        }
      }
      return due.length;
    });
  }
}
