import { Body, Controller, Param, Req, Res, StreamableFile } from '@nestjs/common';
import {
  ACCOUNTS_RPC,
  type CancelPaymentSessionRequest,
  CodedError,
  type CreateQrSessionRequest,
  ERRORS,
  type HandleQrNoticeRequest,
  type PaymentSessionRequest,
  type PaymentSessionView,
  PaymentSessionViewSchema,
  QrNoticeReceiptSchema,
  QrPngViewSchema,
} from '@prescriptchain/contracts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { CurrentPrincipal, type Principal, scopedCallerOf } from '../access/principal';
import { assertClinicScope } from '../access/scope';
import { IdempotencyKey } from '../http/idempotency-key';
import { formatCents } from '../http/money';
import { parseReply } from '../http/rpc-reply';
import { BackendRpc } from '../ports/backend-rpc';
import type { PaymentSessionSchema } from '../routes/accounts.routes';
import { Route, type RouteInput } from '../routes/route';
import { ROUTES } from '../routes/route-table';
import { noticeBytesOf } from './raw-notice-body';

type In<K extends keyof typeof ROUTES, P extends 'params' | 'query' | 'body'> = RouteInput<
  (typeof ROUTES)[K],
  P
>;

const presentSession = (s: PaymentSessionView): z.input<typeof PaymentSessionSchema> => ({
  sessionId: s.sessionId,
  clinicId: s.clinicId,
  method: s.method,
  amount: formatCents(s.amountCents),
  currency: s.currency,
  status: s.status,
  expiresAt: s.expiresAt,
  ...(s.paidAt ? { paidAt: s.paidAt } : {}),
});

/** The headers a provider's signature scheme needs, nothing else (no cookies, no proxies' additions). */
const NOTICE_HEADERS = [
  'content-type',
  'wechatpay-timestamp',
  'wechatpay-nonce',
  'wechatpay-serial',
  'wechatpay-signature',
  'wechatpay-signature-type',
];

/**
 * Scan-to-pay top-ups (gateway/docs/api.md, "Accounts"). Membership is checked here: for a session, from the
 * clinic accounts answers it belongs to (another clinic's session is 404, as an absent one is). The
 * providers' notices are forwarded to accounts untouched; it verifies them and credits exactly once,
 * and only then does the gateway acknowledge (Alipay's `success`, WeChat's 204). A notice that does
 * not verify, names no session or another amount is a 400 MALFORMED_REQUEST and credits nothing.
 */
@Controller()
export class PaymentSessionsController {
  constructor(private readonly rpc: BackendRpc) {}

  @Route(ROUTES.createRechargeQr)
  async create(
    @Param() { clinicId }: In<'createRechargeQr', 'params'>,
    @Body() body: In<'createRechargeQr', 'body'>,
    @IdempotencyKey() idempotencyKey: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertClinicScope(principal, clinicId);
    const request: CreateQrSessionRequest = {
      caller: scopedCallerOf(principal),
      clinicId,
      amountCents: body.amount,
      method: body.method,
      idempotencyKey,
    };
    const s = parseReply(
      PaymentSessionViewSchema,
      ACCOUNTS_RPC.createQrSession,
      await this.rpc.call(ACCOUNTS_RPC.createQrSession, request),
    );
    return {
      sessionId: s.sessionId,
      method: s.method,
      amount: formatCents(s.amountCents),
      currency: s.currency,
      qrContent: s.qrContent,
      qrPngUrl: ROUTES.getPaymentSessionQrPng.path.replace(':id', s.sessionId),
      expiresAt: s.expiresAt,
      // The first answer of this key; a replay after it was paid still describes the QR it made.
      status: 'pending' as const,
    };
  }

  @Route(ROUTES.getPaymentSession)
  async get(@Param() { id }: In<'getPaymentSession', 'params'>, @CurrentPrincipal() principal: Principal) {
    return presentSession(await this.visible(id, principal));
  }

  @Route(ROUTES.getPaymentSessionQrPng)
  async png(
    @Param() { id }: In<'getPaymentSessionQrPng', 'params'>,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: ServerResponse,
  ) {
    await this.visible(id, principal);
    const request: PaymentSessionRequest = { caller: scopedCallerOf(principal), sessionId: id };
    const file = parseReply(
      QrPngViewSchema,
      ACCOUNTS_RPC.paymentSessionQrPng,
      await this.rpc.call(ACCOUNTS_RPC.paymentSessionQrPng, request),
    );
    const bytes = Buffer.from(file.base64, 'base64');
    res.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(bytes, {
      type: 'image/png',
      disposition: `inline; filename="payment-${id}.png"`,
      length: bytes.length,
    });
  }

  @Route(ROUTES.cancelPaymentSession)
  async cancel(
    @Param() { id }: In<'cancelPaymentSession', 'params'>,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.visible(id, principal);
    const request: CancelPaymentSessionRequest = { caller: scopedCallerOf(principal), sessionId: id };
    return presentSession(
      parseReply(
        PaymentSessionViewSchema,
        ACCOUNTS_RPC.cancelPaymentSession,
        await this.rpc.call(ACCOUNTS_RPC.cancelPaymentSession, request),
      ),
    );
  }

  @Route(ROUTES.alipayNotify)
  async alipay(@Req() req: IncomingMessage, @Res({ passthrough: true }) res: ServerResponse) {
    await this.forward('alipay', req);
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    return 'success';
  }

  @Route(ROUTES.wechatNotify)
  async wechat(@Req() req: IncomingMessage): Promise<void> {
    await this.forward('wechat', req);
  }

  private async visible(sessionId: string, principal: Principal): Promise<PaymentSessionView> {
    const request: PaymentSessionRequest = { caller: scopedCallerOf(principal), sessionId };
    const session = parseReply(
      PaymentSessionViewSchema,
      ACCOUNTS_RPC.getPaymentSession,
      await this.rpc.call(ACCOUNTS_RPC.getPaymentSession, request),
    );
    assertClinicScope(principal, session.clinicId);
    return session;
  }

  private async forward(method: 'alipay' | 'wechat', req: IncomingMessage): Promise<void> {
    const bytes = noticeBytesOf(req);
    if (!bytes?.length)
      throw new CodedError('MALFORMED_REQUEST', 'The notice must carry its body.', {
        reason: 'body_missing',
      });
    const headers: Record<string, string> = {};
    for (const name of NOTICE_HEADERS) {
      const v = req.headers[name];
      const value = Array.isArray(v) ? v[0] : v;
      if (value !== undefined) headers[name] = value.slice(0, 4096);
    }
    const request: HandleQrNoticeRequest = { method, body: bytes.toString('utf8'), headers };
    try {
      parseReply(
        QrNoticeReceiptSchema,
        ACCOUNTS_RPC.handleQrNotice,
        await this.rpc.call(ACCOUNTS_RPC.handleQrNotice, request),
      );
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      // A forged or stale signature, an unknown session, another amount: retrying will not fix it.
      if (code === ERRORS.UNAUTHENTICATED.code)
        throw new CodedError('MALFORMED_REQUEST', 'The notice signature could not be verified.', {
          reason: 'signature_invalid',
        });
      if (code === ERRORS.VALIDATION_FAILED.code)
        throw new CodedError('MALFORMED_REQUEST', 'The notice does not match a payment session.', {
          reason: 'session_mismatch',
        });
      throw err;
    }
  }
}
