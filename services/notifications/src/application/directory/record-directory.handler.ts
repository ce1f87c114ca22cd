import { Injectable } from '@nestjs/common';
import type {
  ClinicCreatedV1,
  ClinicMemberAddedV1,
  PayloadOf,
  PharmacyOperatorLinkedV1,
  PharmacyRegisteredV1,
  PharmacyUpdatedV1,
  UserApprovedV1,
  UserRegisteredV1,
  UserSuspendedV1,
} from '@prescriptchain/contracts';
import type { NotificationsTx, SourceMessage } from '../ports/notifications-store';

/**
 * Keeps the recipient directory — who people and pharmacies are, their address and language — from
 * the owners' events. Each call runs inside the consuming transaction.
 */
@Injectable()
export class RecordDirectoryHandler {
  userRegistered(tx: NotificationsTx, source: SourceMessage, p: PayloadOf<typeof UserRegisteredV1>) {
    // No status: registration is the first event of an account's life and must never undo a later approval.
    return tx.recordUser(
      { userId: p.userId, role: p.role, email: p.email, fullName: p.fullName, locale: p.locale },
      at(source),
    );
  }

  userApproved(tx: NotificationsTx, source: SourceMessage, p: PayloadOf<typeof UserApprovedV1>) {
    return tx.recordUser(
      {
        userId: p.userId,
        role: p.role,
        email: p.email,
        fullName: p.fullName,
        locale: p.locale,
        status: 'approved',
      },
      at(source),
    );
  }

  /** The clinic's creator is its first member. */
  clinicCreated(tx: NotificationsTx, source: SourceMessage, p: PayloadOf<typeof ClinicCreatedV1>) {
    return p.ownerId ? tx.addClinicMember(p.clinicId, p.ownerId, at(source)) : Promise.resolve();
  }

  clinicMemberAdded(tx: NotificationsTx, source: SourceMessage, p: PayloadOf<typeof ClinicMemberAddedV1>) {
    return tx.addClinicMember(p.clinicId, p.userId, at(source));
  }

  userSuspended(tx: NotificationsTx, source: SourceMessage, p: PayloadOf<typeof UserSuspendedV1>) {
    return tx.recordUser({ userId: p.userId, role: p.role, status: 'suspended' }, at(source));
  }

  operatorLinked(tx: NotificationsTx, source: SourceMessage, p: PayloadOf<typeof PharmacyOperatorLinkedV1>) {
    return tx.linkOperator(p.userId, p.pharmacyId, at(source));
  }

  pharmacyRegistered(tx: NotificationsTx, source: SourceMessage, p: PayloadOf<typeof PharmacyRegisteredV1>) {
    return tx.recordPharmacy(
      { pharmacyId: p.pharmacyId, name: p.name, contactEmail: p.contactEmail, locale: p.locale },
      at(source),
    );
  }

  pharmacyUpdated(tx: NotificationsTx, source: SourceMessage, p: PayloadOf<typeof PharmacyUpdatedV1>) {
    return tx.recordPharmacy(
      {
        pharmacyId: p.pharmacyId,
        name: p.name,
        contactEmail: p.contactEmail,
        locale: p.locale,
        status: p.status,
      },
      at(source),
    );
  }
}

const at = (source: SourceMessage) => new Date(source.occurredAt);
