import {
  AddClinicMemberRequestSchema,
  ApiKeyIdRequestSchema,
  AuthenticateRequestSchema,
  CallerOnlyRequestSchema,
  ChangePasswordRequestSchema,
  CodedError,
  CreateApiKeyRequestSchema,
  CreateClinicRequestSchema,
  IdentityCallerSchema,
  LinkPharmacyOperatorRequestSchema,
  ListReferralsRequestSchema,
  ListUsersRequestSchema,
  type LOCALES as CONTRACT_LOCALES,
  LoginRequestSchema,
  LogoutRequestSchema,
  RefreshRequestSchema,
  RegisterRequestSchema,
  type ROLES as CONTRACT_ROLES,
  type SELF_SERVICE_ROLES as CONTRACT_SELF_SERVICE_ROLES,
  type USER_STATUSES as CONTRACT_USER_STATUSES,
  UserIdRequestSchema,
} from '@prescriptchain/contracts';
import type { z } from 'zod';
import type { LOCALES, ROLES, SELF_SERVICE_ROLES, USER_STATUSES } from '../../../domain/user.entity';

/**
 * The patterns and request schemas live in @prescriptchain/contracts (the gateway sends them);
 * these are the names identity's controllers use for them.
 */
export { IDENTITY_RPC } from '@prescriptchain/contracts';
export const CallerSchema = IdentityCallerSchema;
export const RegisterSchema = RegisterRequestSchema;
export const LoginSchema = LoginRequestSchema;
export const RefreshSchema = RefreshRequestSchema;
export const LogoutSchema = LogoutRequestSchema;
export const ChangePasswordSchema = ChangePasswordRequestSchema;
export const CallerOnlySchema = CallerOnlyRequestSchema;
export const AuthenticateSchema = AuthenticateRequestSchema;
export const ListUsersSchema = ListUsersRequestSchema;
export const UserIdSchema = UserIdRequestSchema;
export const CreateClinicSchema = CreateClinicRequestSchema;
export const AddClinicMemberSchema = AddClinicMemberRequestSchema;
export const LinkPharmacyOperatorSchema = LinkPharmacyOperatorRequestSchema;
export const CreateApiKeySchema = CreateApiKeyRequestSchema;
export const ApiKeyIdSchema = ApiKeyIdRequestSchema;
export const ListReferralsSchema = ListReferralsRequestSchema;

// The domain keeps its own (plain TypeScript) lists; the compiler refuses a drift from the contract.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const inSync: [
  Same<(typeof ROLES)[number], (typeof CONTRACT_ROLES)[number]>,
  Same<(typeof SELF_SERVICE_ROLES)[number], (typeof CONTRACT_SELF_SERVICE_ROLES)[number]>,
  Same<(typeof USER_STATUSES)[number], (typeof CONTRACT_USER_STATUSES)[number]>,
  Same<(typeof LOCALES)[number], (typeof CONTRACT_LOCALES)[number]>,
] = [true, true, true, true];
void inSync;

/** Parses RPC input or throws VALIDATION_FAILED with `details: [{ path, message }]`. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const result = schema.safeParse(data ?? {});
  if (result.success) return result.data;
  throw new CodedError(
    'VALIDATION_FAILED',
    undefined,
    result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  );
}
