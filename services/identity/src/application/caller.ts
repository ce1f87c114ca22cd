import { CodedError } from '@prescriptchain/contracts';
import type { Role } from '../domain/user.entity';

/**
 * Who is asking, as the gateway established it (authenticated, status checked). Passed explicitly
 * to every use case where ownership or role matters, so scoping cannot be forgotten.
 */
export interface Caller {
  userId: string;
  role: Role;
  /** The client address, for the audit trail. */
  ip?: string | null;
}

export function assertAdmin(caller: Caller): void {
  if (caller.role !== 'admin') throw new CodedError('INSUFFICIENT_PERMISSIONS');
}
