import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DebitRejectedV1, DebitSucceededV1, type Envelope, type PayloadOf } from '@prescriptchain/contracts';
import { RecordDebitResultHandler } from '../../../application/orders/record-debit-result/record-debit-result.handler';

/** accounts' answers to saga step 1 (acked after the effect commits; a failure is retried, then dead-lettered). */
@Controller()
export class DebitResultsConsumer {
  constructor(private readonly handler: RecordDebitResultHandler) {}

  @EventPattern<string>(DebitSucceededV1.type)
  succeeded(@Payload() envelope: Envelope<PayloadOf<typeof DebitSucceededV1>>) {
    return this.handler.succeeded(envelope);
  }

  @EventPattern<string>(DebitRejectedV1.type)
  rejected(@Payload() envelope: Envelope<PayloadOf<typeof DebitRejectedV1>>) {
    return this.handler.rejected(envelope);
  }
}
