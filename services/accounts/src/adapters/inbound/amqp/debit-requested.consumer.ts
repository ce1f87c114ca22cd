import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DebitRequestedV1, type Envelope, type PayloadOf } from '@prescriptchain/contracts';
import { DebitOrderHandler } from '../../../application/debit-order/debit-order.handler';

/** Resolves (→ ack) once the debit or its rejection is committed with its outgoing message. */
@Controller()
export class DebitRequestedConsumer {
  constructor(private readonly debitOrder: DebitOrderHandler) {}

  @EventPattern<string>(DebitRequestedV1.type)
  async handle(@Payload() envelope: Envelope<PayloadOf<typeof DebitRequestedV1>>): Promise<void> {
    await this.debitOrder.execute(envelope.payload, envelope);
  }
}
