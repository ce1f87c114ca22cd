import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { type Envelope, type PayloadOf, RefundRequestedV1 } from '@prescriptchain/contracts';
import { RefundOrderHandler } from '../../../application/refund-order/refund-order.handler';

@Controller()
export class RefundRequestedConsumer {
  constructor(private readonly refundOrder: RefundOrderHandler) {}

  @EventPattern<string>(RefundRequestedV1.type)
  async handle(@Payload() envelope: Envelope<PayloadOf<typeof RefundRequestedV1>>): Promise<void> {
    await this.refundOrder.execute(envelope.payload, envelope);
  }
}
