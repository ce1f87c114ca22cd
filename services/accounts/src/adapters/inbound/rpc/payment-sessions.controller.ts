import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ACCOUNTS_RPC,
  CancelPaymentSessionRequestSchema,
  CreateQrSessionRequestSchema,
  HandleQrNoticeRequestSchema,
  PaymentSessionRequestSchema,
  parseRequest,
} from '@prescriptchain/contracts';
import {
  CancelPaymentSessionHandler,
  CreateQrSessionHandler,
  GetPaymentSessionHandler,
  HandleQrNoticeHandler,
} from '../../../application/payment-sessions/payment-sessions.handlers';

/**
 * Scan-to-pay: the gateway's `recharge-qr`, `payment-sessions/:id[/qr.png|/cancel]` (scoped by the
 * caller they carry: another clinic's session is NOT_FOUND) and the providers' notices, forwarded
 * untouched (their signature is their authentication).
 */
@Controller()
export class PaymentSessionsController {
  constructor(
    private readonly create: CreateQrSessionHandler,
    private readonly get: GetPaymentSessionHandler,
    private readonly cancelSession: CancelPaymentSessionHandler,
    private readonly notice: HandleQrNoticeHandler,
  ) {}

  @MessagePattern(ACCOUNTS_RPC.createQrSession)
  createQrSession(@Payload() data: unknown) {
    return this.create.execute(parseRequest(CreateQrSessionRequestSchema, data));
  }

  @MessagePattern(ACCOUNTS_RPC.getPaymentSession)
  getPaymentSession(@Payload() data: unknown) {
    return this.get.execute(parseRequest(PaymentSessionRequestSchema, data));
  }

  @MessagePattern(ACCOUNTS_RPC.paymentSessionQrPng)
  qrPng(@Payload() data: unknown) {
    return this.get.png(parseRequest(PaymentSessionRequestSchema, data));
  }

  @MessagePattern(ACCOUNTS_RPC.cancelPaymentSession)
  cancel(@Payload() data: unknown) {
    return this.cancelSession.execute(parseRequest(CancelPaymentSessionRequestSchema, data));
  }

  @MessagePattern(ACCOUNTS_RPC.handleQrNotice)
  handleNotice(@Payload() data: unknown) {
    return this.notice.execute(parseRequest(HandleQrNoticeRequestSchema, data));
  }
}
