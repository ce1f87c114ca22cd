import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { type Envelope, type PayloadOf, PharmacyOperatorLinkedV1 } from '@prescriptchain/contracts';
import { LinkOperatorHandler } from '../../../application/directory/link-operator/link-operator.handler';

@Controller()
export class OperatorLinkedConsumer {
  constructor(private readonly linkOperator: LinkOperatorHandler) {}

  @EventPattern<string>(PharmacyOperatorLinkedV1.type)
  linked(@Payload() e: Envelope<PayloadOf<typeof PharmacyOperatorLinkedV1>>) {
    const { userId, pharmacyId, linkedBy } = e.payload;
    return this.linkOperator.execute({ userId, pharmacyId, linkedBy }, e);
  }
}
