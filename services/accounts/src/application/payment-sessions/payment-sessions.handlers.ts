import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { CodedError, type PaymentSessionView, type QrNoticeReceipt, type QrPngView, requestHash } from '@prescriptchain/contracts';
import QRCode, { type QRCodeToBufferOptions } from 'qrcode';
import { PaymentSession, type QrMethod } from '../../domain/payment-session.entity';
import { AccountsStore } from '../ports/accounts-store';
import { PaymentGateways } from '../ports/payment-gateway';
import { ApplyProviderPayment } from './apply-provider-payment';
import { QrSessionSettings, toView } from './qr-settings';
import { ReconcilePaymentSessionsHandler } from './reconcile-payment-sessions.handler';
import { type AccountsCaller, clinicScopeOf } from '../caller-scope';

export { ReconcilePaymentSessionsHandler };

const METHOD_NAMES: Record<QrMethod, string> = { alipay: 'Alipay', wechat: 'WeChat Pay' };

function enabledGatewayOf(gateways: PaymentGateways, method: QrMethod) {
  const found = gateways.qr(method);
  if (!found)
    throw new CodedError('VALIDATION_FAILED', `${METHOD_NAMES[method]} top-ups are not enabled.`, [
      { path: 'method', message: `${method} is not enabled on this platform` },
    ]);
  return found;
}

/**
 * A clinic member asks for a scan-to-pay QR. The session row (with the Idempotency-Key and a hash
 * of the request) is written before the provider is called; the provider's order number is derived
 * from the session id, so a retried request, even after a crash in between, asks for the same order.
 */
@Injectable()
export class CreateQrSessionHandler {
  constructor(
    private readonly store: AccountsStore,
    private readonly gateways: PaymentGateways,
    private readonly settings: QrSessionSettings,
  ) {}

  async execute(input: {
    clinicId: string;
    amountCents: number;
    method: QrMethod;
    idempotencyKey: string;
    /** A member of the clinic (or an admin); recorded as who asked. */
    caller: AccountsCaller;
  }): Promise<PaymentSessionView> {
    const { gateway } = enabledGatewayOf(this.gateways, input.method);
    if (!(await this.store.findAccountForClinic(clinicScopeOf(input.caller), input.clinicId))) throw new CodedError('NOT_FOUND', 'No account for this clinic.');
    const hash = requestHash({ kind: 'qr', clinicId: input.clinicId, amountCents: input.amountCents, method: input.method });

    const session = await this.store.transaction(async (tx) => {
      const stored = await tx.insertPaymentSession(
        PaymentSession.open({
          id: randomUUID(),
          clinicId: input.clinicId,
          method: input.method,
          provider: gateway.provider,
          amountCents: input.amountCents,
          requestedBy: input.caller.userId,
          at: new Date(),
          ttlMinutes: this.settings.ttlMinutes,
        }),
        { idempotencyKey: input.idempotencyKey, requestHash: hash },
      );
      if (stored.requestHash !== hash) throw new CodedError('IDEMPOTENCY_KEY_REUSED');
      return stored.session;
    });
    // A replay of a completed request answers the first response again.
    if (session.qrContent) return toView(session);

    const order = await gateway.createPayment({
      reference: session.outTradeNo,
      idempotencyKey: session.outTradeNo,
      amountCents: session.amountCents,
      currency: 'NZD',
      description: `PrescriptChain clinic top-up 诊所账户充值 ${session.outTradeNo.slice(0, 8)}`,
      metadata: { clinicId: session.clinicId, paymentSessionId: session.id },
      expiresAt: session.expiresAt,
    });
    if (order.action.type !== 'qr') throw new Error(`the ${input.method} gateway answered without a QR code`);
    const qrContent = order.action.qrContent;

    return this.store.transaction(async (tx) => {
      const current = await tx.lockPaymentSession(session.id);
      if (!current) throw new Error(`payment session ${session.id} vanished`);
      if (!current.qrContent) {
        current.qrCreated(qrContent, order.providerTradeNo);
        await tx.savePaymentSession(current);
      }
      return toView(current);
    });
  }
}

@Injectable()
export class GetPaymentSessionHandler {
  constructor(private readonly store: AccountsStore) {}

  /** A session of a clinic the caller is not a member of is NOT_FOUND, as an absent one is. */
  async execute(input: { caller: AccountsCaller; sessionId: string }): Promise<PaymentSessionView> {
    const session = await this.store.findPaymentSessionForClinic(clinicScopeOf(input.caller), input.sessionId);
    // A session whose provider call never completed has no QR to show: it does not exist for anyone.
    if (!session?.qrContent) throw new CodedError('NOT_FOUND');
    return toView(session);
  }

  /** The QR as a PNG (the `qrcode` package), for the portal to show or print. */
  async png(input: { caller: AccountsCaller; sessionId: string }): Promise<QrPngView> {
    const view = await this.execute(input);
    // Grayscale, "up" filter: as the credential's QR in orders — smaller and faster than RGBA.
    const png = await QRCode.toBuffer(view.qrContent, {
      type: 'png',
      errorCorrectionLevel: 'M',
      margin: 2,
      width: 320,
      rendererOpts: { filterType: 2, colorType: 0 },
    } as QRCodeToBufferOptions);
    return { contentType: 'image/png', base64: png.toString('base64') };
  }
}

/**
 * A clinic member cancels a pending QR: the provider's order is closed first (so it can no longer be
 * paid), then the session. If the payer paid before the close, the payment is credited instead and
 * the cancel answers PAYMENT_ALREADY_PROCESSED; a payment notice arriving after it is refunded.
 */
@Injectable()
export class CancelPaymentSessionHandler {
  constructor(
    private readonly store: AccountsStore,
    private readonly gateways: PaymentGateways,
    private readonly reconcile: ReconcilePaymentSessionsHandler,
  ) {}

  async execute(input: { caller: AccountsCaller; sessionId: string }): Promise<PaymentSessionView> {
    const session = await this.store.findPaymentSessionForClinic(clinicScopeOf(input.caller), input.sessionId);
    if (!session?.qrContent) throw new CodedError('NOT_FOUND');
    if (session.status === 'cancelled') return toView(session);
    if (session.status === 'paid') throw new CodedError('PAYMENT_ALREADY_PROCESSED', 'This QR code has been paid.');
    if (session.status === 'expired') throw new CodedError('CONFLICT', 'This QR code has expired.');

    const { followUp } = enabledGatewayOf(this.gateways, session.method);
    try {
      await followUp.close(session.outTradeNo);
    } catch (err) {
      if ((err as CodedError).key === 'PAYMENT_ALREADY_PROCESSED') {
        await this.reconcile.session(session.id, 'cancel');
        throw err;
      }
      throw err;
    }
    return this.store.transaction(async (tx) => {
      const current = await tx.lockPaymentSession(session.id);
      if (!current) throw new CodedError('NOT_FOUND');
      if (current.status === 'paid') throw new CodedError('PAYMENT_ALREADY_PROCESSED', 'This QR code has been paid.');
      if (current.cancel(new Date())) {
        await tx.savePaymentSession(current);
        await tx.recordPaymentNotice({
          sessionId: current.id,
          method: current.method,
          source: 'cancel',
          noticeId: null,
          outcome: 'cancelled',
          amountCents: current.amountCents,
          currency: 'NZD',
          detail: { actorId: input.caller.userId },
        });
      }
      return toView(current);
    });
  }
}

/**
 * A provider's payment notice (Alipay or WeChat Pay, or a sandbox through the same path). Verified
 * against its signature first (UNAUTHENTICATED otherwise); a payment for an unknown session or of
 * another amount is refused (VALIDATION_FAILED, logged and audited, nothing credited). The receipt
 * comes back only after the credit committed, so the gateway acknowledges (`success` / 204) only then.
 */
@Injectable()
export class HandleQrNoticeHandler {
  private readonly log = new Logger(HandleQrNoticeHandler.name);

  constructor(
    private readonly gateways: PaymentGateways,
    private readonly payments: ApplyProviderPayment,
    private readonly store: AccountsStore,
  ) {}

  async execute(input: { method: QrMethod; body: string; headers: Record<string, string> }): Promise<QrNoticeReceipt> {
    const gateway = this.gateways.qr(input.method)?.gateway;
    if (!gateway) throw new CodedError('UNAUTHENTICATED', 'This payment method is not enabled.');
    const headers = Object.fromEntries(Object.entries(input.headers).map(([k, v]) => [k.toLowerCase(), v]));
    let notice;
    try {
      notice = await gateway.verifyNotice({ body: input.body, headers });
    } catch (err) {
      if ((err as CodedError).key === 'UNAUTHENTICATED')
        this.log.warn({ msg: 'payment notice refused: signature not verified', method: input.method });
      throw err;
    }
    if (notice.outcome !== 'paid' || !notice.paymentId) {
      await this.store.transaction((tx) =>
        tx.recordPaymentNotice({
          sessionId: null,
          method: input.method,
          source: 'notice',
          noticeId: notice.eventId,
          outcome: 'ignored',
          amountCents: notice.amountCents,
          currency: notice.currency,
          detail: { outTradeNo: notice.paymentId, providerStatus: notice.providerStatus },
        }),
      );
      return { outcome: 'ignored' };
    }
    const outcome = await this.payments.apply({
      outTradeNo: notice.paymentId,
      method: input.method,
      source: 'notice',
      noticeId: notice.eventId,
      payment: {
        providerTradeNo: notice.providerTradeNo ?? notice.paymentId,
        amountCents: notice.amountCents,
        currency: notice.currency,
        paidAt: notice.paidAt ?? new Date(),
      },
    });
    if (outcome === 'refused_unknown') throw new CodedError('VALIDATION_FAILED', 'The notice is for no known payment session.', [{ path: 'out_trade_no', message: 'unknown payment session' }]);
    if (outcome === 'refused_amount') throw new CodedError('VALIDATION_FAILED', 'The notice amount or currency differs from the payment session.', [{ path: 'amount', message: 'differs from the payment session' }]);
    return { outcome };
  }
}

