import type { Clinic } from '../domain/clinic';
import type { User } from '../domain/user.entity';
import type { StoredApiKey } from './ports/identity-store';

/** The JSON shapes use cases return: ISO dates, no hashes, no secrets. */
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function userView(user: User) {
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
export type UserView = ReturnType<typeof userView>;

export function clinicView(clinic: Clinic) {
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
export type ClinicView = ReturnType<typeof clinicView>;

export function apiKeyView(key: StoredApiKey, now: Date) {
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
export type ApiKeyView = ReturnType<typeof apiKeyView>;

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
}
