import {
  CodedError,
  type Locale,
  type Role,
  SELF_SERVICE_ROLES,
  type UserStatus,
} from '@prescriptchain/contracts';

/** The roles, statuses and locales are the contract's (libs/contracts/src/rpc/identity.rpc.ts). */
export { LOCALES, ROLES, SELF_SERVICE_ROLES, USER_STATUSES } from '@prescriptchain/contracts';
export type { Locale, Role, SelfServiceRole, UserStatus } from '@prescriptchain/contracts';

export interface UserProps {
  id: string;
  email: string;
  /** null when a hosted auth provider keeps the credential. */
  passwordHash: string | null;
  role: Role;
  status: UserStatus;
  fullName: string;
  phone: string | null;
  licenseNumber: string | null;
  locale: Locale;
  referralCode: string | null;
  referredById: string | null;
  approvedAt: Date | null;
  suspendedAt: Date | null;
  /** Access tokens issued under an older epoch are refused (see assertCurrentTokenEpoch). */
  tokenEpoch: number;
  passwordChangedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewUser {
  id: string;
  email: string;
  passwordHash: string | null;
  role: Role;
  fullName: string;
  phone?: string | null;
  licenseNumber?: string | null;
  locale?: Locale;
  referredById?: string | null;
}

/** Emails compare case-insensitively; we keep one canonical spelling. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export class User {
  private constructor(private props: UserProps) {}

  /** A self-registered account: always `pending` until an admin approves it. */
  static register(input: NewUser, now: Date): User {
    if (!(SELF_SERVICE_ROLES as readonly string[]).includes(input.role)) {
      throw new CodedError('VALIDATION_FAILED', 'This role cannot be registered for.', [
        { path: 'role', message: `must be one of ${SELF_SERVICE_ROLES.join(', ')}` },
      ]);
    }
    return User.create(input, 'pending', now);
  }

  /** The first admin, created from configuration at start-up: approved from birth. */
  static bootstrapAdmin(input: Omit<NewUser, 'role'>, now: Date): User {
    const user = User.create({ ...input, role: 'admin' }, 'approved', now);
    user.props.approvedAt = now;
    return user;
  }

  static restore(props: UserProps): User {
    return new User({ ...props });
  }

  private static create(input: NewUser, status: UserStatus, now: Date): User {
    const fullName = input.fullName.trim();
    if (!fullName)
      throw new CodedError('VALIDATION_FAILED', undefined, [{ path: 'fullName', message: 'is required' }]);
    return new User({
      id: input.id,
      email: normalizeEmail(input.email),
      passwordHash: input.passwordHash,
      role: input.role,
      status,
      fullName,
      phone: input.phone ?? null,
      licenseNumber: input.licenseNumber ?? null,
      locale: input.locale ?? 'en',
      referralCode: null,
      referredById: input.referredById ?? null,
      approvedAt: null,
      suspendedAt: null,
      tokenEpoch: 0,
      passwordChangedAt: null,
      createdAt: now,
      updatedAt: now,
    });
  }

  get id() {
    return this.props.id;
  }
  get email() {
    return this.props.email;
  }
  get role() {
    return this.props.role;
  }
  get status() {
    return this.props.status;
  }
  get fullName() {
    return this.props.fullName;
  }
  get passwordHash() {
    return this.props.passwordHash;
  }
  get tokenEpoch() {
    return this.props.tokenEpoch;
  }
  get referralCode() {
    return this.props.referralCode;
  }
  get isApproved() {
    return this.props.status === 'approved';
  }

  /**
   * A new password (its stored hash; null when a hosted provider keeps it). The token epoch moves on,
   * so every access token issued before now stops working at once.
   */
  changePassword(passwordHash: string | null, now: Date): void {
    this.props.passwordHash = passwordHash;
    this.props.tokenEpoch += 1;
    this.props.passwordChangedAt = now;
    this.props.updatedAt = now;
  }

  snapshot(): Readonly<UserProps> {
    return { ...this.props };
  }

  /**
   * pending|suspended → approved. An approved practitioner always has a referral code: the first
   * approval takes `unusedReferralCode` (ignored when the user has one or is not a practitioner).
   */
  approve(now: Date, unusedReferralCode: string): void {
    if (this.props.status === 'approved') throw new CodedError('CONFLICT', 'The user is already approved.');
    this.props.status = 'approved';
    this.props.approvedAt = now;
    this.props.suspendedAt = null;
    if (this.props.role === 'practitioner' && !this.props.referralCode)
      this.props.referralCode = unusedReferralCode;
    this.props.updatedAt = now;
  }

  /** pending|approved → suspended. Tokens and API keys stop working because authentication reads this status. */
  suspend(now: Date): void {
    if (this.props.status === 'suspended') throw new CodedError('CONFLICT', 'The user is already suspended.');
    this.props.status = 'suspended';
    this.props.suspendedAt = now;
    this.props.updatedAt = now;
  }

  /** Signing in and every authenticated request need an approved account. */
  assertApproved(): void {
    if (this.props.status !== 'approved') throw new CodedError('ACCOUNT_NOT_APPROVED');
  }

  /** Clinics take approved practitioners only. */
  assertCanJoinClinic(path = 'userId'): void {
    if (this.props.role !== 'practitioner' || this.props.status !== 'approved') {
      throw new CodedError('VALIDATION_FAILED', 'Only approved practitioners can join a clinic.', [
        { path, message: 'must be an approved practitioner' },
      ]);
    }
  }

  /** Pharmacies take approved pharmacy operators only. */
  assertCanOperatePharmacy(): void {
    if (this.props.role !== 'pharmacy_operator' || this.props.status !== 'approved') {
      throw new CodedError(
        'VALIDATION_FAILED',
        'Only approved pharmacy operators can be linked to a pharmacy.',
        [{ path: 'userId', message: 'must be an approved pharmacy operator' }],
      );
    }
  }

  /** Whose referral code counts: approved practitioners only. */
  get canRefer(): boolean {
    return (
      this.props.role === 'practitioner' && this.props.status === 'approved' && !!this.props.referralCode
    );
  }
}

/**
 * The one check of an access token's epoch against its user's (the `tep` claim; a token from before
 * epochs existed counts as 0). Whoever verifies access tokens calls it: identity's authenticate
 * today, the gateway if it verifies tokens itself. An older epoch is TOKEN_EXPIRED: sign in again.
 */
export function assertCurrentTokenEpoch(
  tokenEpoch: number | undefined,
  user: Pick<User, 'tokenEpoch'>,
): void {
  if ((tokenEpoch ?? 0) !== user.tokenEpoch)
    throw new CodedError('TOKEN_EXPIRED', 'This session ended (the password was changed). Sign in again.');
}
