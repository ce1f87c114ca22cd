import { Injectable } from '@nestjs/common';
import { CodedError, type InventoryView } from '@prescriptchain/contracts';
import type { Caller } from '../../caller';
import { Clock } from '../../clock';
import { operatorPharmacy } from '../../operator-access';
import { PharmacyStore } from '../../ports/pharmacy-store';
import { toInventoryView } from '../inventory-view';

/**
 * Replaces what a pharmacy declares it can supply, with its wholesale price per unit (its own
 * operators only). Declared supply, not live stock: the whole list is the new truth.
 */
@Injectable()
export class ReplaceInventoryHandler {
  constructor(
    private readonly store: PharmacyStore,
    private readonly clock: Clock,
  ) {}

  async execute(
    caller: Caller,
    input: {
      pharmacyId: string;
      items: { medicineId: string; wholesalePriceCents: number; available: boolean }[];
    },
  ): Promise<InventoryView> {
    if (
      caller.role !== 'pharmacy_operator' ||
      (await this.store.read.operators.pharmacyOf(caller.userId)) !== input.pharmacyId
    ) {
      throw new CodedError(
        'INSUFFICIENT_PERMISSIONS',
        "Only this pharmacy's operators can change its inventory.",
      );
    }
    const pharmacy = await operatorPharmacy(this.store.read, caller);
    const items = await this.store.transaction(async (tx) => {
      // The row lock orders concurrent replacements: the last one wins whole, never a mix of two.
      const locked = await tx.pharmacies.findById(pharmacy.id, { forUpdate: true });
      if (locked?.status !== 'active')
        throw new CodedError('PHARMACY_NOT_AVAILABLE', 'Your pharmacy is suspended.');
      await tx.inventory.replace(
        pharmacy.id,
        input.items.map((i) => ({
          medicineId: i.medicineId,
          priceCents: i.wholesalePriceCents,
          available: i.available,
        })),
        this.clock.now(),
      );
      return tx.inventory.list(pharmacy.id);
    });
    return toInventoryView(pharmacy.id, items);
  }
}
