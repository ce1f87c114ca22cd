import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  ClinicCreatedV1,
  type Envelope,
  type PayloadOf,
  UserApprovedV1,
  UserRegisteredV1,
} from '@prescriptchain/contracts';
import { RecordPartyNameHandler } from '../../../application/orders/record-party-name/record-party-name.handler';

/** Clinic and practitioner names from identity, printed on prescriptions. */
@Controller()
export class PartyNamesConsumer {
  constructor(private readonly handler: RecordPartyNameHandler) {}

  @EventPattern<string>(ClinicCreatedV1.type)
  clinicCreated(@Payload() envelope: Envelope<PayloadOf<typeof ClinicCreatedV1>>) {
    const { clinicId, name } = envelope.payload;
    return this.handler.execute(envelope, { kind: 'clinic', id: clinicId, name });
  }

  @EventPattern<string>(UserRegisteredV1.type)
  userRegistered(@Payload() envelope: Envelope<PayloadOf<typeof UserRegisteredV1>>) {
    const { userId, fullName } = envelope.payload;
    return this.handler.execute(envelope, { kind: 'user', id: userId, name: fullName });
  }

  @EventPattern<string>(UserApprovedV1.type)
  userApproved(@Payload() envelope: Envelope<PayloadOf<typeof UserApprovedV1>>) {
    const { userId, fullName } = envelope.payload;
    return this.handler.execute(envelope, { kind: 'user', id: userId, name: fullName });
  }
}
