import { CodedError } from '@prescriptchain/contracts';

/**
 * Who is asking, as the gateway authenticated them. `pharmacyId` is what their token says; this
 * service trusts its own operator links (from identity's events) over it.
 */
export interface Caller {
  userId: string;
  role: 'practitioner' | 'pharmacy_operator' | 'admin';
  pharmacyId?: string | null;
}

export function assertAdmin(caller: Caller): void {
  if (caller.role !== 'admin') throw new CodedError('INSUFFICIENT_PERMISSIONS');
}
