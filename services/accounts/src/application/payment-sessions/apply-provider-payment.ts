import { Injectable, Logger } from '@nestjs/common';
import { TopUpCompletedV1 } from '@prescriptchain/contracts';
import type { PaymentSession, ProviderPayment } from '../../domain/payment-session.entity';
import { AccountsStore, type PaymentNoticeRecord } from '../ports/accounts-store';
import { PaymentGateways } from '../ports/payment-gateway';

export type ApplyOutcome = 'credited' | 'duplicate' | 'refunded' | 'refund_pending' | 'refused_amount' | 'refused_unknown';

/**
 * The one place a provider's word that a QR was paid moves money, whoever brings it (a notice, the
 * reconciliation job, a cancel that lost the race). Under the session's row lock, in one transaction
 * with the ledger, the outbox and the audit log: a pending session becomes paid and credits its
 * account exactly once (a unique ledger reference `qr:<id>` backs the state up); a paid one is a
 * duplicate; a cancelled or expired one is refunded through the provider, never credited; an amount
 * or currency other than the session's is refused and logged.
 */
@Injectable()
export class ApplyProviderPayment {
  private readonly log = new Logger(ApplyProviderPayment.name);

  constructor(
    private readonly store: AccountsStore,
    private readonly gateways: PaymentGateways,
  ) {}

  async apply(input: {
    outTradeNo: string;
    payment: ProviderPayment;
    source: PaymentNoticeRecord['source'];
    noticeId: string | null;
    method: PaymentSession['method'];
  }): Promise<ApplyOutcome> {
    const { payment } = input;
    const decided = await this.store.transaction(async (tx) => {
      const session = await tx.lockPaymentSessionByOutTradeNo(input.outTradeNo);
      const audit = (outcome: PaymentNoticeRecord['outcome'], detail: Record<string, unknown> = {}) =>
        tx.recordPaymentNotice({
          sessionId: session?.id ?? null,
          method: input.method,
          source: input.source,
          noticeId: input.noticeId,
          outcome,
          amountCents: payment.amountCents,
          currency: payment.currency,
          detail: { providerTradeNo: payment.providerTradeNo, ...detail },
        });
      if (!session || session.method !== input.method) {
        await audit('refused_unknown', { outTradeNo: input.outTradeNo });
        return { outcome: 'refused_unknown' as const, session: null };
      }
      const decision = session.paymentReported(payment);
      switch (decision.kind) {
        case 'mismatch':
          await audit('refused_amount', { expectedCents: decision.expectedCents, currency: decision.currency });
          return { outcome: 'refused_amount' as const, session };
        case 'duplicate':
          await audit('duplicate', { status: session.status });
          return { outcome: 'duplicate' as const, session };
        case 'refund':
          await tx.savePaymentSession(session);
          await audit('refund_pending', { status: session.status, refundNo: decision.refundNo });
          return { outcome: 'refund_pending' as const, session };
        case 'credit': {
          const account = await tx.lockAccount(session.clinicId);
          if (!account) throw new Error(`payment session ${session.id}: clinic ${session.clinicId} has no account`);
          const { split: _split, ...movement } = account.topUp(session.amountCents);
          await tx.saveAccount(account);
          await tx.savePaymentSession(session);
          await tx.appendLedger({
            ...movement,
            clinicId: session.clinicId,
            reference: `qr:${session.id}`,
            actorId: session.requestedBy,
            reason: `${session.method} ${payment.providerTradeNo}`,
          });
          await tx.publish(TopUpCompletedV1, {
            clinicId: session.clinicId,
            amountCents: session.amountCents,
            paymentIntentId: payment.providerTradeNo,
            method: session.method,
            paymentSessionId: session.id,
          });
          await audit('credited');
          return { outcome: 'credited' as const, session };
        }
      }
    });
    if (decided.outcome === 'refused_amount' || decided.outcome === 'refused_unknown') {
      // Never credited; this needs a person to look at it.
      this.log.error({
        msg: decided.outcome === 'refused_amount' ? 'QR payment amount or currency differs from the session; not credited' : 'QR payment for an unknown session; not credited',
        method: input.method,
        source: input.source,
        outTradeNo: input.outTradeNo,
        receivedCents: payment.amountCents,
        currency: payment.currency,
      });
      return decided.outcome;
    }
    if (decided.outcome === 'refund_pending' && decided.session) return this.refund(decided.session.id, input.source);
    return decided.outcome;
  }

  /**
   * Gives back a payment that arrived for a cancelled or expired session, then records it. A failed
   * refund call leaves the refund `pending`: the reconciliation job tries again (same refund number).
   */
  async refund(sessionId: string, source: PaymentNoticeRecord['source']): Promise<'refunded' | 'refund_pending'> {
    const session = await this.store.findPaymentSession(sessionId);
    const s = session?.snapshot();
    if (!session || !s || s.refundStatus !== 'pending' || !s.refundNo || s.refundAmountCents === null)
      return 'refunded';
    const followUp = this.gateways.qr(session.method)?.followUp;
    try {
      if (!followUp) throw new Error(`${session.method} is off`);
      await followUp.refund({
        reference: s.outTradeNo,
        refundNo: s.refundNo,
        amountCents: s.refundAmountCents,
        totalCents: s.refundAmountCents,
        reason: `PrescriptChain top-up ${s.status}: payment refunded`,
      });
    } catch (err) {
      this.log.warn({ msg: 'refund of a late QR payment failed; will retry', sessionId, err: String(err) });
      return 'refund_pending';
    }
    await this.store.transaction(async (tx) => {
      const locked = await tx.lockPaymentSession(sessionId);
      if (!locked || locked.refundStatus !== 'pending') return;
      locked.refunded(new Date());
      await tx.savePaymentSession(locked);
      await tx.recordPaymentNotice({
        sessionId,
        method: locked.method,
        source,
        noticeId: null,
        outcome: 'refunded',
        amountCents: s.refundAmountCents,
        currency: 'NZD',
        detail: { refundNo: s.refundNo, status: locked.status },
      });
    });
    this.log.warn({ msg: 'late QR payment refunded, not credited', sessionId, status: s.status, amountCents: s.refundAmountCents });
    return 'refunded';
  }
}
