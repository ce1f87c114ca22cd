import { z } from 'zod';
import { defineMessage } from '../registry';

const Role = z.enum(['practitioner', 'pharmacy_operator', 'admin']);
const Locale = z.enum(['en', 'zh']);

/** Carries only what notifications and other services need: no licence numbers, no phones. */
export const UserRegisteredV1 = defineMessage({
  type: 'identity.user.registered',
  version: 1,
  kind: 'event',
  payload: z.object({
    userId: z.uuid(),
    email: z.email(),
    fullName: z.string(),
    role: Role,
    locale: Locale.default('en'),
    referredByUserId: z.uuid().nullable(),
  }),
});

export const UserApprovedV1 = defineMessage({
  type: 'identity.user.approved',
  version: 1,
  kind: 'event',
  payload: z.object({
    userId: z.uuid(),
    email: z.email(),
    fullName: z.string(),
    role: Role,
    locale: Locale.default('en'),
    approvedBy: z.uuid(),
  }),
});

export const UserSuspendedV1 = defineMessage({
  type: 'identity.user.suspended',
  version: 1,
  kind: 'event',
  payload: z.object({ userId: z.uuid(), role: Role, suspendedBy: z.uuid() }),
});

/**
 * Every access and refresh token the user held before `notBefore` stopped working (a password change
 * today). A service that caches principals drops this user's entries on it.
 */
export const UserTokensRevokedV1 = defineMessage({
  type: 'identity.user.tokens_revoked',
  version: 1,
  kind: 'event',
  payload: z.object({
    userId: z.uuid(),
    notBefore: z.iso.datetime(),
    reason: z.enum(['password_changed']),
  }),
});

export const ClinicCreatedV1 = defineMessage({
  type: 'identity.clinic.created',
  version: 1,
  kind: 'event',
  payload: z.object({ clinicId: z.uuid(), name: z.string(), ownerId: z.uuid().nullable() }),
});

export const ClinicMemberAddedV1 = defineMessage({
  type: 'identity.clinic.member_added',
  version: 1,
  kind: 'event',
  payload: z.object({ clinicId: z.uuid(), userId: z.uuid() }),
});

/**
 * Identity owns which pharmacy an operator acts for; the pharmacy service learns it from this.
 * Linking an operator who already had a pharmacy moves them: `previousPharmacyId` names the old one.
 */
export const PharmacyOperatorLinkedV1 = defineMessage({
  type: 'identity.pharmacy_operator.linked',
  version: 1,
  kind: 'event',
  payload: z.object({
    userId: z.uuid(),
    pharmacyId: z.uuid(),
    previousPharmacyId: z.uuid().nullable(),
    linkedBy: z.uuid(),
  }),
});

export const IDENTITY_MESSAGES = [
  UserRegisteredV1,
  UserApprovedV1,
  UserSuspendedV1,
  UserTokensRevokedV1,
  ClinicCreatedV1,
  ClinicMemberAddedV1,
  PharmacyOperatorLinkedV1,
];
