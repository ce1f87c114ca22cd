import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { type Envelope, OrderFulfilledV1, type PayloadOf } from '@prescriptchain/contracts';
import { OpenSettlementHandler } from '../../../application/open-settlement/open-settlement.handler';

@Controller()
export class OrderFulfilledConsumer {
  constructor(private readonly openSettlement: OpenSettlementHandler) {}

  @EventPattern<string>(OrderFulfilledV1.type)
  async handle(@Payload() envelope: Envelope<PayloadOf<typeof OrderFulfilledV1>>): Promise<void> {
    const { orderId, clinicId, pharmacyId, payoutCents } = envelope.payload;
    await this.openSettlement.execute({ orderId, clinicId, pharmacyId, payoutCents }, envelope);
  }
}
