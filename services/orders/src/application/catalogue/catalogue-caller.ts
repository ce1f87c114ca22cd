import { type CatalogueCaller, CodedError } from '@prescriptchain/contracts';

export type { CatalogueCaller };

/** Catalogue changes are an admin's job; the gateway checks too, this holds without it. */
export function assertAdmin(caller: CatalogueCaller | undefined): void {
  if (caller?.role !== 'admin') throw new CodedError('INSUFFICIENT_PERMISSIONS');
}

/** Templates belong to practitioners; each one sees only their own. */
export function assertPractitioner(caller: CatalogueCaller): void {
  if (caller.role !== 'practitioner') throw new CodedError('INSUFFICIENT_PERMISSIONS');
}
