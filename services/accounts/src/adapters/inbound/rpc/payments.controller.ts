import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ACCOUNTS_RPC, HandleWebhookRequestSchema, parseRequest } from '@prescriptchain/contracts';
import { HandlePaymentWebhookHandler } from '../../../application/handle-payment-webhook/handle-payment-webhook.handler';

/** `POST /payments/webhook`: the gateway forwards the raw body and the `Stripe-Signature` header untouched. */
@Controller()
export class PaymentsController {
  constructor(private readonly handleWebhook: HandlePaymentWebhookHandler) {}

  @MessagePattern(ACCOUNTS_RPC.handleWebhook)
  webhook(@Payload() data: unknown) {
    return this.handleWebhook.execute(parseRequest(HandleWebhookRequestSchema, data));
  }
}
