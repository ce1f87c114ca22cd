import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  ClinicCreatedV1,
  ClinicMemberAddedV1,
  type Envelope,
  type PayloadOf,
  PharmacyOperatorLinkedV1,
  PharmacyRegisteredV1,
  PharmacyUpdatedV1,
  UserRegisteredV1,
  UserSuspendedV1,
} from '@prescriptchain/contracts';
import { RecordDirectoryHandler } from '../../../application/directory/record-directory.handler';
import {
  NotificationsStore,
  type NotificationsTx,
  type SourceMessage,
} from '../../../application/ports/notifications-store';
import { consumerFor, sourceOf } from './source-message';

/**
 * The recipient directory's inputs (identity.user.approved is in NotifyConsumer: it also sends).
 * The transport has validated each payload; a thrown error is retried, then dead-lettered (a
 * permanent one, e.g. a 4xx-coded error, at once).
 */
@Controller()
export class DirectoryConsumer {
  constructor(
    private readonly store: NotificationsStore,
    private readonly directory: RecordDirectoryHandler,
  ) {}

  @EventPattern<string>(UserRegisteredV1.type)
  async userRegistered(@Payload() e: Envelope<PayloadOf<typeof UserRegisteredV1>>): Promise<void> {
    await this.once(e, (tx, source) => this.directory.userRegistered(tx, source, e.payload));
  }

  @EventPattern<string>(UserSuspendedV1.type)
  async userSuspended(@Payload() e: Envelope<PayloadOf<typeof UserSuspendedV1>>): Promise<void> {
    await this.once(e, (tx, source) => this.directory.userSuspended(tx, source, e.payload));
  }

  @EventPattern<string>(ClinicCreatedV1.type)
  async clinicCreated(@Payload() e: Envelope<PayloadOf<typeof ClinicCreatedV1>>): Promise<void> {
    await this.once(e, (tx, source) => this.directory.clinicCreated(tx, source, e.payload));
  }

  @EventPattern<string>(ClinicMemberAddedV1.type)
  async clinicMemberAdded(@Payload() e: Envelope<PayloadOf<typeof ClinicMemberAddedV1>>): Promise<void> {
    await this.once(e, (tx, source) => this.directory.clinicMemberAdded(tx, source, e.payload));
  }

  @EventPattern<string>(PharmacyOperatorLinkedV1.type)
  async operatorLinked(@Payload() e: Envelope<PayloadOf<typeof PharmacyOperatorLinkedV1>>): Promise<void> {
    await this.once(e, (tx, source) => this.directory.operatorLinked(tx, source, e.payload));
  }

  @EventPattern<string>(PharmacyRegisteredV1.type)
  async pharmacyRegistered(@Payload() e: Envelope<PayloadOf<typeof PharmacyRegisteredV1>>): Promise<void> {
    await this.once(e, (tx, source) => this.directory.pharmacyRegistered(tx, source, e.payload));
  }

  @EventPattern<string>(PharmacyUpdatedV1.type)
  async pharmacyUpdated(@Payload() e: Envelope<PayloadOf<typeof PharmacyUpdatedV1>>): Promise<void> {
    await this.once(e, (tx, source) => this.directory.pharmacyUpdated(tx, source, e.payload));
  }

  private async once(
    e: Envelope,
    effect: (tx: NotificationsTx, source: SourceMessage) => Promise<void>,
  ): Promise<void> {
    const source = sourceOf(e);
    await this.store.once(consumerFor(e), source, (tx) => effect(tx, source));
  }
}
