import type { MessageDefinition, PayloadOf } from '@prescriptchain/contracts';
import type { Clinic, ClinicMembership, PharmacyOperatorLink } from '../../domain/clinic';
import type { ThrottleState } from '../../domain/login-throttle';
import type { RefreshTokenRecord } from '../../domain/refresh-token';
import type { Role, User, UserStatus } from '../../domain/user.entity';

export interface PageRequest {
  page: number;
  limit: number;
}

export interface PageOf<T> {
  items: T[];
  total: number;
}

export interface UserFilter {
  role?: Role;
  status?: UserStatus;
  /** Matches email or full name, case-insensitively. */
  search?: string;
}

export interface UserRepository {
  findById(id: string): Promise<User | null>;
  findByEmail(email: string): Promise<User | null>;
  findByReferralCode(code: string): Promise<User | null>;
  countByRole(role: Role): Promise<number>;
  insert(user: User): Promise<void>;
  /** Persists status, approval/suspension times, the referral code, the password hash and token epoch. */
  update(user: User): Promise<void>;
  list(filter: UserFilter, page: PageRequest): Promise<PageOf<User>>;
  /** Who referred whom, newest first; optionally one referrer's referrals. */
  listReferrals(page: PageRequest, referrerId?: string): Promise<PageOf<{ referrer: User; referred: User }>>;
}

export interface ClinicRepository {
  insert(clinic: Clinic): Promise<void>;
  findById(id: string): Promise<Clinic | null>;
  /** False when the user already was a member (nothing written). */
  addMember(membership: ClinicMembership): Promise<boolean>;
  /** The clinics a user is a member of, by name. */
  listForMember(userId: string): Promise<Clinic[]>;
}

export interface PharmacyLinkRepository {
  findByUser(userId: string): Promise<PharmacyOperatorLink | null>;
  /** An operator acts for one pharmacy: linking again moves them. */
  save(link: PharmacyOperatorLink): Promise<void>;
}

export interface StoredRefreshToken extends RefreshTokenRecord {
  tokenHash: string;
  createdAt: Date;
}

export interface RefreshTokenRepository {
  insert(token: StoredRefreshToken): Promise<void>;
  findByHash(tokenHash: string): Promise<StoredRefreshToken | null>;
  /** Spends an unspent token; false if it was already spent (a concurrent use counts as reuse). */
  markUsed(id: string, at: Date): Promise<boolean>;
  /** Re-reads a token's revocation (after taking the user's sessions lock). */
  isRevoked(id: string): Promise<boolean>;
  revokeFamily(familyId: string, at: Date): Promise<void>;
  revokeAllForUser(userId: string, at: Date): Promise<void>;
}

export interface StoredApiKey {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  secretHash: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface ApiKeyRepository {
  insert(key: StoredApiKey): Promise<void>;
  findByPrefix(prefix: string): Promise<StoredApiKey | null>;
  /** Owner-scoped: another user's key is simply not found. */
  findForOwner(userId: string, id: string): Promise<StoredApiKey | null>;
  listForOwner(userId: string): Promise<StoredApiKey[]>;
  revoke(id: string, at: Date): Promise<void>;
  touch(id: string, at: Date): Promise<void>;
}

export interface LoginThrottleRepository {
  find(key: string): Promise<ThrottleState | null>;
  save(state: ThrottleState): Promise<void>;
  clear(key: string): Promise<void>;
}

export type AuditAction =
  | 'login.succeeded'
  | 'login.failed'
  | 'login.throttled'
  | 'user.registered'
  | 'user.bootstrapped'
  | 'user.approved'
  | 'user.suspended'
  | 'user.password_changed'
  | 'user.password_change_refused'
  | 'login.account_locked'
  | 'refresh_token.reused'
  | 'api_key.created'
  | 'api_key.revoked'
  | 'clinic.created'
  | 'clinic.member_added'
  | 'pharmacy_operator.linked';

/** Never put personal data (phones, licence numbers, passwords) in details. */
export interface AuditEntry {
  actorId: string | null;
  action: AuditAction;
  subjectId: string | null;
  ip: string | null;
  details?: Record<string, unknown>;
}

export interface AuditTrail {
  record(entry: AuditEntry): Promise<void>;
}

export interface IdentityRepositories {
  users: UserRepository;
  clinics: ClinicRepository;
  pharmacyLinks: PharmacyLinkRepository;
  refreshTokens: RefreshTokenRepository;
  apiKeys: ApiKeyRepository;
  loginThrottles: LoginThrottleRepository;
  audit: AuditTrail;
}

export interface IdentityTransaction extends IdentityRepositories {
  /** Records an event that is published if and only if this transaction commits. */
  publish<D extends MessageDefinition>(definition: D, payload: PayloadOf<D>): Promise<void>;
  /** Serialises work on one name (e.g. a throttle key) across transactions and processes until commit. */
  lock(name: string): Promise<void>;
}

/** Identity's database. Repositories here are outside any transaction; `transaction` gives one. */
export abstract class IdentityStore {
  abstract readonly repos: IdentityRepositories;
  abstract transaction<T>(work: (tx: IdentityTransaction) => Promise<T>): Promise<T>;
}
