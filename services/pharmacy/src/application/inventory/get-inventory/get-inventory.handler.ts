import { Injectable } from '@nestjs/common';
import { CodedError, type InventoryView } from '@prescriptchain/contracts';
import type { Caller } from '../../caller';
import { PharmacyStore } from '../../ports/pharmacy-store';
import { toInventoryView } from '../inventory-view';

/** A pharmacy's declared supply, for admins and its own operators. */
@Injectable()
export class GetInventoryHandler {
  constructor(private readonly store: PharmacyStore) {}

  async execute(caller: Caller, input: { pharmacyId: string }): Promise<InventoryView> {
    const allowed =
      caller.role === 'admin' ||
      (caller.role === 'pharmacy_operator' &&
        (await this.store.read.operators.pharmacyOf(caller.userId)) === input.pharmacyId);
    if (!allowed || !(await this.store.read.pharmacies.findById(input.pharmacyId))) {
      throw new CodedError('NOT_FOUND', 'Pharmacy not found.');
    }
    return toInventoryView(input.pharmacyId, await this.store.read.inventory.list(input.pharmacyId));
  }
}
