import { Injectable, Logger } from '@nestjs/common';
import type { CodedError } from '@prescriptchain/contracts';
import { AccountsStore } from '../ports/accounts-store';
import { PaymentGateways } from '../ports/payment-gateway';
import { ApplyProviderPayment } from './apply-provider-payment';
import { QrSessionSettings } from './qr-settings';

/**
 * The reconciliation job's work: sessions pending past PAYMENTS_RECONCILE_AFTER_MS (a notice that
 * never came) and refunds still owed. Each is asked about at its provider: paid → credited (through
 * the same ApplyProviderPayment as a notice, so racing a notice credits once); past its expiry and
 * unpaid → the provider's order is closed, asked once more (a payment just before the close counts),
 * then expired. Sessions are claimed with SKIP LOCKED and a lease, so replicas share the work.
 */
@Injectable()
export class ReconcilePaymentSessionsHandler {
  private readonly log = new Logger(ReconcilePaymentSessionsHandler.name);

  constructor(
    private readonly store: AccountsStore,
    private readonly gateways: PaymentGateways,
    private readonly payments: ApplyProviderPayment,
    private readonly settings: QrSessionSettings,
  ) {}

  /** One pass; the number of sessions looked at. */
  async runOnce(options: { limit?: number; leaseMs?: number } = {}): Promise<number> {
    const ids = await this.store.claimSessionsToReconcile({
      pendingBefore: new Date(Date.now() - this.settings.reconcileAfterMs),
      leaseMs: options.leaseMs ?? 60_000,
      limit: options.limit ?? 50,
    });
    for (const id of ids) {
      try {
        await this.session(id, 'reconcile');
      } catch (err) {
        this.log.warn({ msg: 'reconciling a payment session failed; will retry', sessionId: id, err: String(err) });
      }
    }
    return ids.length;
  }

  async session(id: string, source: 'reconcile' | 'cancel'): Promise<void> {
    const session = await this.store.findPaymentSession(id);
    if (!session) return;
    if (session.refundStatus === 'pending') {
      await this.payments.refund(id, source);
      return;
    }
    if (session.status !== 'pending') return;
    const gateway = this.gateways.qr(session.method)?.followUp;
    if (!gateway) return;

    let state = await gateway.query(session.outTradeNo);
    if (state.state !== 'paid' && session.isExpiredAt(new Date())) {
      try {
        await gateway.close(session.outTradeNo);
      } catch (err) {
        if ((err as CodedError).key !== 'PAYMENT_ALREADY_PROCESSED') throw err;
      }
      state = await gateway.query(session.outTradeNo);
      if (state.state !== 'paid') {
        await this.store.transaction(async (tx) => {
          const current = await tx.lockPaymentSession(id);
          if (!current?.expire(new Date())) return;
          await tx.savePaymentSession(current);
          await tx.recordPaymentNotice({
            sessionId: id,
            method: current.method,
            source,
            noticeId: null,
            outcome: 'expired',
            amountCents: current.amountCents,
            currency: 'NZD',
            detail: { providerState: state.state },
          });
        });
        return;
      }
    }
    if (state.state === 'paid') {
      await this.payments.apply({
        outTradeNo: session.outTradeNo,
        method: session.method,
        source,
        noticeId: null,
        payment: {
          providerTradeNo: state.providerTradeNo,
          amountCents: state.amountCents,
          currency: state.currency,
          paidAt: state.paidAt,
        },
      });
    }
  }
}
