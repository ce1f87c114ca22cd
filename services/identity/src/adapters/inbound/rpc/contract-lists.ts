import type {
  LOCALES as CONTRACT_LOCALES,
  ROLES as CONTRACT_ROLES,
  SELF_SERVICE_ROLES as CONTRACT_SELF_SERVICE_ROLES,
  USER_STATUSES as CONTRACT_USER_STATUSES,
} from '@prescriptchain/contracts';
import type { LOCALES, ROLES, SELF_SERVICE_ROLES, USER_STATUSES } from '../../../domain/user.entity';

/**
 * The RPC patterns and request schemas are the contract's (`IDENTITY_RPC`, `*RequestSchema` from
 * @prescriptchain/contracts), used by the controllers under their own names. The domain keeps its
 * own (plain TypeScript) lists; here the compiler refuses a drift between them and the contract's.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const inSync: [
  Same<(typeof ROLES)[number], (typeof CONTRACT_ROLES)[number]>,
  Same<(typeof SELF_SERVICE_ROLES)[number], (typeof CONTRACT_SELF_SERVICE_ROLES)[number]>,
  Same<(typeof USER_STATUSES)[number], (typeof CONTRACT_USER_STATUSES)[number]>,
  Same<(typeof LOCALES)[number], (typeof CONTRACT_LOCALES)[number]>,
] = [true, true, true, true];
void inSync;
