import { z } from 'zod';

/**
 * The requests identity answers on `identity.rpc` (sent by the gateway) and their inputs. Wherever
 * role or ownership matters the gateway sends the authenticated caller as `caller`; identity
 * checks it again (an admin-only use case refuses a non-admin caller whoever sent it).
 */
export const IDENTITY_RPC = {
  register: 'identity.auth.register',
  login: 'identity.auth.login',
  refresh: 'identity.auth.refresh',
  logout: 'identity.auth.logout',
  changePassword: 'identity.auth.changePassword',
  me: 'identity.auth.me',
  jwks: 'identity.auth.jwks',
  authenticate: 'identity.auth.authenticate',
  listUsers: 'identity.users.list',
  approveUser: 'identity.users.approve',
  suspendUser: 'identity.users.suspend',
  createClinic: 'identity.clinics.create',
  addClinicMember: 'identity.clinics.addMember',
  myClinics: 'identity.clinics.mine',
  linkPharmacyOperator: 'identity.pharmacyOperators.link',
  createApiKey: 'identity.apiKeys.create',
  listApiKeys: 'identity.apiKeys.list',
  revokeApiKey: 'identity.apiKeys.revoke',
  listReferrals: 'identity.referrals.list',
} as const;

export const ROLES = ['practitioner', 'pharmacy_operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
/** Roles anyone may sign up for; admins exist only through the start-up bootstrap. */
export const SELF_SERVICE_ROLES = ['practitioner', 'pharmacy_operator'] as const;
export type SelfServiceRole = (typeof SELF_SERVICE_ROLES)[number];
export const USER_STATUSES = ['pending', 'approved', 'suspended'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
export const LOCALES = ['en', 'zh'] as const;
export type Locale = (typeof LOCALES)[number];

export const RoleSchema = z.enum(ROLES);
export const UserStatusSchema = z.enum(USER_STATUSES);
export const LocaleSchema = z.enum(LOCALES);

/** The client address, for identity's audit trail and its per-address login throttle. */
const ip = z.string().max(64).nullish();

/** Who is asking, as the gateway authenticated them. */
export const IdentityCallerSchema = z.object({ userId: z.uuid(), role: RoleSchema, ip });
export type IdentityCaller = z.infer<typeof IdentityCallerSchema>;
const withCaller = <S extends z.ZodRawShape>(shape: S) =>
  z.object({ caller: IdentityCallerSchema, ...shape });

const email = z.email().max(254);
/** Length and commonness are the password policy's call (with specific messages); this only bounds input. */
const password = z.string().min(1).max(1024);
const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ()-]{5,32}$/, 'must be a phone number');
const page = z.coerce.number().int().min(1).default(1);
const limit = z.coerce.number().int().min(1).max(100).default(20);
const refreshToken = z.string().min(1).max(512);

export const RegisterRequestSchema = z.object({
  email,
  password,
  role: z.enum(SELF_SERVICE_ROLES),
  fullName: z.string().trim().min(1).max(200),
  phone: phone.nullish(),
  licenseNumber: z.string().trim().min(1).max(64).nullish(),
  referralCode: z.string().trim().min(1).max(32).nullish(),
  locale: LocaleSchema.optional(),
  ip,
});

export const LoginRequestSchema = z.object({ email: z.string().trim().min(1).max(254), password, ip });
export const RefreshRequestSchema = z.object({ refreshToken, ip });
export const LogoutRequestSchema = withCaller({ refreshToken });
/** POST /auth/password: the caller's current password and the new one (the policy judges it). */
export const ChangePasswordRequestSchema = withCaller({ currentPassword: password, newPassword: password });
/** me, myClinics, listApiKeys: the caller is the whole input. */
export const CallerOnlyRequestSchema = withCaller({});

/** An access token's claims (already verified), a raw access token, or an API key. */
export const AuthenticateRequestSchema = z.union([
  z.object({
    claims: z.object({
      sub: z.uuid(),
      exp: z.number().optional(),
      /** The token's `tep` claim (its user's token epoch when issued); absent = 0. */
      tokenEpoch: z.number().int().nonnegative().optional(),
    }),
  }),
  z.object({ accessToken: z.string().min(1).max(8192) }),
  z.object({ apiKey: z.string().min(1).max(256) }),
]);

export const ListUsersRequestSchema = withCaller({
  role: RoleSchema.optional(),
  status: UserStatusSchema.optional(),
  search: z.string().trim().max(200).optional(),
  page,
  limit,
});
/** approveUser, suspendUser. */
export const UserIdRequestSchema = withCaller({ userId: z.uuid() });

export const ClinicAddressSchema = z.object({
  street: z.string().trim().min(1).max(200),
  city: z.string().trim().min(1).max(100),
  country: z.string().trim().min(2).max(100),
  postalCode: z.string().trim().min(1).max(20),
});

export const CreateClinicRequestSchema = withCaller({
  name: z.string().trim().min(1).max(200),
  address: ClinicAddressSchema,
  contact: z.object({ phone: phone.nullish(), email: email.nullish() }).optional(),
  licenseNumber: z.string().trim().min(1).max(64).nullish(),
  ownerId: z.uuid().nullish(),
});
export const AddClinicMemberRequestSchema = withCaller({ clinicId: z.uuid(), userId: z.uuid() });
export const LinkPharmacyOperatorRequestSchema = withCaller({ pharmacyId: z.uuid(), userId: z.uuid() });

export const CreateApiKeyRequestSchema = withCaller({
  name: z.string().trim().min(1).max(100),
  expiresAt: z.iso.datetime({ offset: true }).nullish(),
});
/** revokeApiKey: scoped to the caller's own keys (another's key is NOT_FOUND). */
export const ApiKeyIdRequestSchema = withCaller({ id: z.uuid() });
export const ListReferralsRequestSchema = withCaller({ referrerId: z.uuid().optional(), page, limit });

/**
 * The reply of `authenticate`: the caller as identity's database sees them at call time (so a
 * suspension or a revoked key takes effect on the next request, whatever a live token says).
 */
export const AuthenticatedPrincipalSchema = z.object({
  userId: z.uuid(),
  role: RoleSchema,
  status: UserStatusSchema,
  clinicIds: z.array(z.uuid()),
  pharmacyId: z.uuid().nullable(),
  via: z.enum(['token', 'api_key']),
  apiKeyId: z.uuid().optional(),
});
export type AuthenticatedPrincipal = z.infer<typeof AuthenticatedPrincipalSchema>;

export type RegisterRequest = z.input<typeof RegisterRequestSchema>;
export type LoginRequest = z.input<typeof LoginRequestSchema>;
export type RefreshRequest = z.input<typeof RefreshRequestSchema>;
export type LogoutRequest = z.input<typeof LogoutRequestSchema>;
export type ChangePasswordRequest = z.input<typeof ChangePasswordRequestSchema>;
export type CallerOnlyRequest = z.input<typeof CallerOnlyRequestSchema>;
export type AuthenticateRequest = z.input<typeof AuthenticateRequestSchema>;
export type ListUsersRequest = z.input<typeof ListUsersRequestSchema>;
export type UserIdRequest = z.input<typeof UserIdRequestSchema>;
export type CreateClinicRequest = z.input<typeof CreateClinicRequestSchema>;
export type AddClinicMemberRequest = z.input<typeof AddClinicMemberRequestSchema>;
export type LinkPharmacyOperatorRequest = z.input<typeof LinkPharmacyOperatorRequestSchema>;
export type CreateApiKeyRequest = z.input<typeof CreateApiKeyRequestSchema>;
export type ApiKeyIdRequest = z.input<typeof ApiKeyIdRequestSchema>;
export type ListReferralsRequest = z.input<typeof ListReferralsRequestSchema>;

// ---------------------------------------------------------------- replies
//
// What identity answers, as schemas: the gateway reads every reply with them (a reply off contract
// is a 500, never half-formatted) and its HTTP shapes are these (descriptions are carried into the
// OpenAPI document; component ids are the gateway's). ISO dates, no hashes, no secrets — except a
// new API key's, once.

const Id = z.uuid();
const Timestamp = z.iso.datetime();

/** register (as `{ user }`), approveUser, suspendUser, listUsers' items. */
export const UserViewSchema = z.object({
  id: Id,
  email: z.email(),
  role: RoleSchema,
  status: UserStatusSchema,
  fullName: z.string(),
  phone: z.string().nullable(),
  licenseNumber: z.string().nullable(),
  locale: LocaleSchema,
  /** An approved practitioner's code for referring others. */
  referralCode: z.string().nullable(),
  referredByUserId: Id.nullable(),
  approvedAt: Timestamp.nullable(),
  suspendedAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type UserView = z.infer<typeof UserViewSchema>;

/** refresh; login's `tokens`. */
export const SessionTokensViewSchema = z.object({
  accessToken: z.string().meta({ description: 'EdDSA JWT; send as `Authorization: Bearer <accessToken>`.' }),
  refreshToken: z
    .string()
    .meta({ description: 'Opaque; single use: /auth/refresh rotates it. Reuse revokes the session.' }),
  expiresIn: z.number().int().positive().meta({ description: 'Seconds until the access token expires.' }),
});
export type SessionTokensView = z.infer<typeof SessionTokensViewSchema>;

export const RegisteredViewSchema = z.object({ user: UserViewSchema });
export type RegisteredView = z.infer<typeof RegisteredViewSchema>;
export const LoginViewSchema = z.object({ user: UserViewSchema, tokens: SessionTokensViewSchema });
export type LoginView = z.infer<typeof LoginViewSchema>;

/** me: the caller's profile, clinics, pharmacy and referral code. */
export const MeViewSchema = z.object({
  ...UserViewSchema.pick({
    id: true,
    email: true,
    role: true,
    status: true,
    fullName: true,
    phone: true,
    licenseNumber: true,
    locale: true,
  }).shape,
  clinics: z.array(z.object({ id: Id, name: z.string() })),
  /** The pharmacy a pharmacy operator acts for. */
  pharmacyId: Id.nullable(),
  referralCode: z.string().nullable(),
  createdAt: Timestamp,
});
export type MeView = z.infer<typeof MeViewSchema>;

/** jwks: the public keys (RFC 7517) that verify access tokens. */
export const JwksViewSchema = z.object({
  keys: z.array(
    z.object({
      kty: z.string(),
      crv: z.string().optional(),
      x: z.string().optional(),
      kid: z.string(),
      alg: z.string(),
      use: z.literal('sig'),
    }),
  ),
});
export type JwksView = z.infer<typeof JwksViewSchema>;
export type PublicJwkView = JwksView['keys'][number];

/** listApiKeys' items: a key without its secret. */
export const ApiKeyViewSchema = z.object({
  id: Id,
  name: z.string(),
  prefix: z.string(),
  createdAt: Timestamp,
  expiresAt: Timestamp.nullable(),
  lastUsedAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
  active: z.boolean(),
});
export type ApiKeyView = z.infer<typeof ApiKeyViewSchema>;

/** createApiKey: the new key with its secret, the only time it is shown. */
export const CreatedApiKeyViewSchema = z.object({
  ...ApiKeyViewSchema.pick({ id: true, name: true, prefix: true }).shape,
  key: z.string().meta({ description: 'The whole key, shown this once (only its hash is kept).' }),
  ...ApiKeyViewSchema.pick({ createdAt: true, expiresAt: true }).shape,
});
export type CreatedApiKeyView = z.infer<typeof CreatedApiKeyViewSchema>;

/** createClinic, myClinics' items. */
export const ClinicViewSchema = z.object({
  id: Id,
  name: z.string(),
  address: z.object({ street: z.string(), city: z.string(), country: z.string(), postalCode: z.string() }),
  contact: z.object({ phone: z.string().nullable(), email: z.string().nullable() }),
  licenseNumber: z.string().nullable(),
  ownerId: Id.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type ClinicView = z.infer<typeof ClinicViewSchema>;

/** addClinicMember. */
export const ClinicMembershipViewSchema = z.object({ clinicId: Id, userId: Id, addedAt: Timestamp });
export type ClinicMembershipView = z.infer<typeof ClinicMembershipViewSchema>;

/** linkPharmacyOperator. */
export const PharmacyOperatorLinkViewSchema = z.object({ userId: Id, pharmacyId: Id, linkedAt: Timestamp });
export type PharmacyOperatorLinkView = z.infer<typeof PharmacyOperatorLinkViewSchema>;

/** listReferrals' items: who referred whom. */
export const ReferralViewSchema = z.object({
  referrer: z.object({
    id: Id,
    fullName: z.string(),
    email: z.email(),
    referralCode: z.string().nullable(),
  }),
  referred: z.object({
    id: Id,
    fullName: z.string(),
    email: z.email(),
    role: RoleSchema,
    status: UserStatusSchema,
  }),
  referredAt: Timestamp,
});
export type ReferralView = z.infer<typeof ReferralViewSchema>;

/** The lists identity answers (listUsers, listReferrals): one page of items and how many there are in all. */
const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int().nonnegative() });
export const UserListViewSchema = listOf(UserViewSchema);
export type UserListView = z.infer<typeof UserListViewSchema>;
export const ReferralListViewSchema = listOf(ReferralViewSchema);
export type ReferralListView = z.infer<typeof ReferralListViewSchema>;
