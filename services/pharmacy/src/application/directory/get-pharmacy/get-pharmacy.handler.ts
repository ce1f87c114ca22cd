import { Injectable } from '@nestjs/common';
import { CodedError, type PharmacyView } from '@prescriptchain/contracts';
import type { Caller } from '../../caller';
import { PharmacyStore } from '../../ports/pharmacy-store';
import { toPharmacyView } from '../../views';

/** One pharmacy, for admins and for its own operators (anyone else: NOT_FOUND, never revealing it exists). */
@Injectable()
export class GetPharmacyHandler {
  constructor(private readonly store: PharmacyStore) {}

  async execute(caller: Caller, input: { pharmacyId: string }): Promise<PharmacyView> {
    const allowed =
      caller.role === 'admin' ||
      (caller.role === 'pharmacy_operator' &&
        (await this.store.read.operators.pharmacyOf(caller.userId)) === input.pharmacyId);
    const pharmacy = allowed ? await this.store.read.pharmacies.findById(input.pharmacyId) : null;
    if (!pharmacy) throw new CodedError('NOT_FOUND', 'Pharmacy not found.');
    return toPharmacyView(pharmacy);
  }
}
