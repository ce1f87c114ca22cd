import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ClinicCreatedV1, type Envelope, type PayloadOf } from '@prescriptchain/contracts';
import { OpenAccountHandler } from '../../../application/open-account/open-account.handler';

@Controller()
export class ClinicCreatedConsumer {
  constructor(private readonly openAccount: OpenAccountHandler) {}

  @EventPattern<string>(ClinicCreatedV1.type)
  async handle(@Payload() envelope: Envelope<PayloadOf<typeof ClinicCreatedV1>>): Promise<void> {
    await this.openAccount.execute({ clinicId: envelope.payload.clinicId }, envelope);
  }
}
