import {
  AddClinicMemberRequestSchema,
  ApiKeyViewSchema,
  ClinicMembershipViewSchema,
  ClinicViewSchema,
  CreatedApiKeyViewSchema,
  JwksViewSchema,
  LoginViewSchema,
  MeViewSchema,
  PharmacyOperatorLinkViewSchema,
  ReferralViewSchema,
  RegisteredViewSchema,
  SessionTokensViewSchema,
  UserViewSchema,
  ChangePasswordRequestSchema,
  CreateApiKeyRequestSchema,
  CreateClinicRequestSchema,
  LinkPharmacyOperatorRequestSchema,
  ListReferralsRequestSchema,
  ListUsersRequestSchema,
  LoginRequestSchema,
  RefreshRequestSchema,
  RegisterRequestSchema,
  ROLES,
} from '@prescriptchain/contracts';
import { z } from 'zod';
import { API_PREFIX, defineRoute, type RouteDef } from './route';
import { ADMIN, BACKEND, IdParams, limit, page } from './atoms';

const ANY_ROLE = ROLES;

// ------------------------------------------------------------------ data shapes: identity's views (libs/contracts/src/rpc/identity.rpc.ts)

export const UserSchema = UserViewSchema.meta({ id: 'User' });
export const SessionTokensSchema = SessionTokensViewSchema.meta({ id: 'SessionTokens' });
export const MeSchema = MeViewSchema.meta({ id: 'Me' });
export const JwksSchema = JwksViewSchema.meta({ id: 'JsonWebKeySet' });
export const CreatedApiKeySchema = CreatedApiKeyViewSchema.meta({ id: 'CreatedApiKey' });
export const ApiKeySchema = ApiKeyViewSchema.meta({ id: 'ApiKey' });
export const ClinicSchema = ClinicViewSchema.meta({ id: 'Clinic' });
export const ClinicMembershipSchema = ClinicMembershipViewSchema.meta({ id: 'ClinicMembership' });
export const PharmacyOperatorLinkSchema = PharmacyOperatorLinkViewSchema.meta({ id: 'PharmacyOperatorLink' });
export const ReferralSchema = ReferralViewSchema.meta({ id: 'Referral' });

// ------------------------------------------------------------------ routes

/** Request bodies are identity's RPC inputs without what the gateway adds (caller, client address). */
export const IDENTITY_ROUTES = {
  register: defineRoute({
    id: 'register',
    method: 'post',
    path: `${API_PREFIX}/auth/register`,
    access: 'public',
    rateLimit: 'auth',
    summary:
      'Sign up as a practitioner or pharmacy operator; the account is `pending` until an admin approves it',
    tags: ['auth'],
    body: RegisterRequestSchema.omit({ ip: true }),
    response: { status: 201, data: RegisteredViewSchema.extend({ user: UserSchema }) },
    errors: ['CONFLICT', ...BACKEND],
  }),
  login: defineRoute({
    id: 'login',
    method: 'post',
    path: `${API_PREFIX}/auth/login`,
    access: 'public',
    rateLimit: 'auth',
    summary:
      'Sign in with email and password (repeated failures lock the account and address for a while: 429 with Retry-After)',
    tags: ['auth'],
    body: LoginRequestSchema.omit({ ip: true }),
    response: {
      status: 200,
      data: LoginViewSchema.extend({ user: UserSchema, tokens: SessionTokensSchema }),
    },
    errors: ['INVALID_CREDENTIALS', 'ACCOUNT_NOT_APPROVED', ...BACKEND],
  }),
  refresh: defineRoute({
    id: 'refreshSession',
    method: 'post',
    path: `${API_PREFIX}/auth/refresh`,
    access: 'public',
    rateLimit: 'auth',
    summary:
      'Exchange a refresh token for new tokens (rotation); a refresh token used twice revokes its whole session (401 1002)',
    tags: ['auth'],
    body: RefreshRequestSchema.omit({ ip: true }),
    response: { status: 200, data: SessionTokensSchema },
    errors: ['TOKEN_EXPIRED', 'ACCOUNT_NOT_APPROVED', ...BACKEND],
  }),
  logout: defineRoute({
    id: 'logout',
    method: 'post',
    path: `${API_PREFIX}/auth/logout`,
    access: ANY_ROLE,
    summary: 'End the session the refresh token belongs to',
    tags: ['auth'],
    body: z.object({ refreshToken: RefreshRequestSchema.shape.refreshToken }),
    response: { status: 204 },
    errors: BACKEND,
  }),
  changePassword: defineRoute({
    id: 'changePassword',
    method: 'post',
    path: `${API_PREFIX}/auth/password`,
    access: ANY_ROLE,
    rateLimit: 'auth',
    summary:
      "Change the caller's password: every refresh token of the user is revoked, and access tokens issued before the change stop working at once",
    tags: ['auth'],
    body: ChangePasswordRequestSchema.omit({ caller: true }),
    response: { status: 204 },
    errors: ['INVALID_CREDENTIALS', ...BACKEND],
  }),
  me: defineRoute({
    id: 'getMe',
    method: 'get',
    path: `${API_PREFIX}/auth/me`,
    access: ANY_ROLE,
    summary: 'The caller: profile, clinics, pharmacy and referral code',
    tags: ['auth'],
    response: { status: 200, data: MeSchema },
    errors: BACKEND,
  }),
  jwks: defineRoute({
    id: 'getJwks',
    method: 'get',
    path: `${API_PREFIX}/.well-known/jwks.json`,
    access: 'public',
    summary:
      'The public keys (JWKS, RFC 7517) that verify access tokens; served bare, not enveloped, so JOSE libraries can read it',
    tags: ['auth'],
    response: { status: 200, raw: { contentType: 'application/json', schema: JwksSchema } },
    errors: BACKEND,
  }),
  createApiKey: defineRoute({
    id: 'createApiKey',
    method: 'post',
    path: `${API_PREFIX}/api-keys`,
    access: ['pharmacy_operator', 'admin'],
    summary: 'Create an API key for an integration; the key is in this answer only',
    tags: ['api-keys'],
    body: CreateApiKeyRequestSchema.omit({ caller: true }),
    response: { status: 201, data: CreatedApiKeySchema },
    errors: BACKEND,
  }),
  listApiKeys: defineRoute({
    id: 'listApiKeys',
    method: 'get',
    path: `${API_PREFIX}/api-keys`,
    access: ['pharmacy_operator', 'admin'],
    summary: "The caller's own API keys, without secrets",
    tags: ['api-keys'],
    response: { status: 200, data: z.array(ApiKeySchema) },
    errors: BACKEND,
  }),
  revokeApiKey: defineRoute({
    id: 'revokeApiKey',
    method: 'delete',
    path: `${API_PREFIX}/api-keys/:id`,
    access: ['pharmacy_operator', 'admin'],
    summary: "Revoke one of the caller's API keys; it stops working at once (another's key is 404)",
    tags: ['api-keys'],
    params: IdParams,
    response: { status: 204 },
    errors: ['NOT_FOUND', ...BACKEND],
  }),
  listUsers: defineRoute({
    id: 'listUsers',
    method: 'get',
    path: `${API_PREFIX}/admin/users`,
    access: ADMIN,
    summary: 'Users, filtered by role, status and a search on name or email',
    tags: ['admin'],
    query: ListUsersRequestSchema.omit({ caller: true }).extend({ page, limit }),
    response: { status: 200, data: z.array(UserSchema), paginated: true },
    errors: BACKEND,
  }),
  approveUser: defineRoute({
    id: 'approveUser',
    method: 'post',
    path: `${API_PREFIX}/admin/users/:id/approve`,
    access: ADMIN,
    summary: 'Approve a pending or suspended user',
    tags: ['admin'],
    params: IdParams,
    response: { status: 200, data: UserSchema },
    errors: ['NOT_FOUND', 'CONFLICT', ...BACKEND],
  }),
  suspendUser: defineRoute({
    id: 'suspendUser',
    method: 'post',
    path: `${API_PREFIX}/admin/users/:id/suspend`,
    access: ADMIN,
    summary:
      "Suspend a user: their tokens and API keys stop working at once (an admin can't suspend themselves)",
    tags: ['admin'],
    params: IdParams,
    response: { status: 200, data: UserSchema },
    errors: ['NOT_FOUND', 'CONFLICT', ...BACKEND],
  }),
  createClinic: defineRoute({
    id: 'createClinic',
    method: 'post',
    path: `${API_PREFIX}/admin/clinics`,
    access: ADMIN,
    summary: 'Open a clinic (its clinic account opens with balance 0, credit 0, active)',
    tags: ['admin'],
    body: CreateClinicRequestSchema.omit({ caller: true }),
    response: { status: 201, data: ClinicSchema },
    errors: BACKEND,
  }),
  addClinicMember: defineRoute({
    id: 'addClinicMember',
    method: 'post',
    path: `${API_PREFIX}/admin/clinics/:id/members`,
    access: ADMIN,
    summary: 'Add an approved practitioner to a clinic',
    tags: ['admin'],
    params: IdParams,
    body: z.object({ userId: AddClinicMemberRequestSchema.shape.userId }),
    response: { status: 201, data: ClinicMembershipSchema },
    errors: ['NOT_FOUND', 'CONFLICT', ...BACKEND],
  }),
  myClinics: defineRoute({
    id: 'listMyClinics',
    method: 'get',
    path: `${API_PREFIX}/clinics/mine`,
    access: ['practitioner'],
    summary: 'The clinics the caller is a member of',
    tags: ['clinics'],
    response: { status: 200, data: z.array(ClinicSchema) },
    errors: BACKEND,
  }),
  linkPharmacyOperator: defineRoute({
    id: 'linkPharmacyOperator',
    method: 'post',
    path: `${API_PREFIX}/admin/pharmacies/:id/operators`,
    access: ADMIN,
    summary: 'Link an approved pharmacy operator to the pharmacy they act for',
    tags: ['admin'],
    params: IdParams,
    body: z.object({ userId: LinkPharmacyOperatorRequestSchema.shape.userId }),
    response: { status: 201, data: PharmacyOperatorLinkSchema },
    errors: ['NOT_FOUND', 'CONFLICT', ...BACKEND],
  }),
  listReferrals: defineRoute({
    id: 'listReferrals',
    method: 'get',
    path: `${API_PREFIX}/admin/referrals`,
    access: ADMIN,
    summary: 'Who referred whom, newest first (optionally for one referrer)',
    tags: ['admin'],
    query: ListReferralsRequestSchema.omit({ caller: true }).extend({ page, limit }),
    response: { status: 200, data: z.array(ReferralSchema), paginated: true },
    errors: BACKEND,
  }),
} satisfies Record<string, RouteDef>;
