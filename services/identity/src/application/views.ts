import type { ApiKeyView, ClinicView, UserView } from '@prescriptchain/contracts';
import type { Clinic } from '../domain/clinic';
import type { User } from '../domain/user.entity';
import type { StoredApiKey } from './ports/identity-store';

/** The replies use cases answer with, as the contract declares them (libs/contracts/src/rpc/identity.rpc.ts). */
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function userView(user: User): UserView {
  const u = user.snapshot();
  return {
    id: u.id,
    email: u.email,
    role: u.role,
    status: u.status,
    fullName: u.fullName,
    phone: u.phone,
    licenseNumber: u.licenseNumber,
    locale: u.locale,
    referralCode: u.referralCode,
    referredByUserId: u.referredById,
    approvedAt: iso(u.approvedAt),
    suspendedAt: iso(u.suspendedAt),
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}

export function clinicView(clinic: Clinic): ClinicView {
  return {
    id: clinic.id,
    name: clinic.name,
    address: { ...clinic.address },
    contact: { ...clinic.contact },
    licenseNumber: clinic.licenseNumber,
    ownerId: clinic.ownerId,
    createdAt: clinic.createdAt.toISOString(),
    updatedAt: clinic.updatedAt.toISOString(),
  };
}

export function apiKeyView(key: StoredApiKey, now: Date): ApiKeyView {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    createdAt: key.createdAt.toISOString(),
    expiresAt: iso(key.expiresAt),
    lastUsedAt: iso(key.lastUsedAt),
    revokedAt: iso(key.revokedAt),
    active: !key.revokedAt && (!key.expiresAt || key.expiresAt.getTime() > now.getTime()),
  };
}
