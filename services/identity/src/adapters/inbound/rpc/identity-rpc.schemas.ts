import { CodedError } from '@prescriptchain/contracts';
import { z } from 'zod';
import { LOCALES, ROLES, SELF_SERVICE_ROLES, USER_STATUSES } from '../../../domain/user.entity';

/**
 * The request/reply patterns identity answers on `identity.rpc`, and their inputs. The gateway
 * sends the authenticated caller as `caller` wherever role or ownership matters.
 */
export const IDENTITY_RPC = {
  register: 'identity.auth.register',
  login: 'identity.auth.login',
  refresh: 'identity.auth.refresh',
  logout: 'identity.auth.logout',
  me: 'identity.auth.me',
  jwks: 'identity.auth.jwks',
  authenticate: 'identity.auth.authenticate',
  listUsers: 'identity.admin.users.list',
  approveUser: 'identity.admin.users.approve',
  suspendUser: 'identity.admin.users.suspend',
  createClinic: 'identity.admin.clinics.create',
  addClinicMember: 'identity.admin.clinics.addMember',
  myClinics: 'identity.clinics.mine',
  linkPharmacyOperator: 'identity.admin.pharmacies.linkOperator',
  createApiKey: 'identity.apiKeys.create',
  listApiKeys: 'identity.apiKeys.list',
  revokeApiKey: 'identity.apiKeys.revoke',
  listReferrals: 'identity.admin.referrals.list',
} as const;

const ip = z.string().max(64).nullish();

export const CallerSchema = z.object({ userId: z.uuid(), role: z.enum(ROLES), ip });
const withCaller = <S extends z.ZodRawShape>(shape: S) => z.object({ caller: CallerSchema, ...shape });

const email = z.email().max(254);
/** Length and commonness are the password policy's call (with specific messages); this only bounds input. */
const password = z.string().min(1).max(1024);
const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ()-]{5,32}$/, 'must be a phone number');
const page = z.coerce.number().int().min(1).default(1);
const limit = z.coerce.number().int().min(1).max(100).default(20);

export const RegisterSchema = z.object({
  email,
  password,
  role: z.enum(SELF_SERVICE_ROLES),
  fullName: z.string().trim().min(1).max(200),
  phone: phone.nullish(),
  licenseNumber: z.string().trim().min(1).max(64).nullish(),
  referralCode: z.string().trim().min(1).max(32).nullish(),
  locale: z.enum(LOCALES).optional(),
  ip,
});

export const LoginSchema = z.object({ email: z.string().trim().min(1).max(254), password, ip });
export const RefreshSchema = z.object({ refreshToken: z.string().min(1).max(512), ip });
export const LogoutSchema = withCaller({ refreshToken: z.string().min(1).max(512) });
export const CallerOnlySchema = withCaller({});

export const AuthenticateSchema = z.union([
  z.object({ claims: z.object({ sub: z.uuid(), exp: z.number().optional() }) }),
  z.object({ accessToken: z.string().min(1).max(8192) }),
  z.object({ apiKey: z.string().min(1).max(256) }),
]);

export const ListUsersSchema = withCaller({
  role: z.enum(ROLES).optional(),
  status: z.enum(USER_STATUSES).optional(),
  search: z.string().trim().max(200).optional(),
  page,
  limit,
});
export const UserIdSchema = withCaller({ userId: z.uuid() });

export const CreateClinicSchema = withCaller({
  name: z.string().trim().min(1).max(200),
  address: z.object({
    street: z.string().trim().min(1).max(200),
    city: z.string().trim().min(1).max(100),
    country: z.string().trim().min(2).max(100),
    postalCode: z.string().trim().min(1).max(20),
  }),
  contact: z.object({ phone: phone.nullish(), email: email.nullish() }).optional(),
  licenseNumber: z.string().trim().min(1).max(64).nullish(),
  ownerId: z.uuid().nullish(),
});
export const AddClinicMemberSchema = withCaller({ clinicId: z.uuid(), userId: z.uuid() });
export const LinkPharmacyOperatorSchema = withCaller({ pharmacyId: z.uuid(), userId: z.uuid() });

export const CreateApiKeySchema = withCaller({
  name: z.string().trim().min(1).max(100),
  expiresAt: z.iso.datetime({ offset: true }).nullish(),
});
export const ApiKeyIdSchema = withCaller({ id: z.uuid() });
export const ListReferralsSchema = withCaller({ referrerId: z.uuid().optional(), page, limit });

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
