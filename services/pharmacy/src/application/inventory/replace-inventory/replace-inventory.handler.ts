import { Injectable } from '@nestjs/common';
import { CodedError, type InventoryView } from '@prescriptchain/contracts';
import type { Caller } from '../../caller';
import { Clock } from '../../clock';
import { operatorPharmacy } from '../../operator-access';
import { CataloguePrices } from '../../ports/catalogue-prices';
import { PharmacyStore } from '../../ports/pharmacy-store';
import { centsToDecimal } from '../../../domain/money';
import { toInventoryView } from '../inventory-view';

/**
 * Replaces what a pharmacy declares it can supply, with its wholesale price per unit (its own
 * operators only). Declared supply, not live stock: the whole list is the new truth. A wholesale
 * price above the medicine's catalogue price (what a clinic pays for it), or a medicine the
 * catalogue does not know, is refused with VALIDATION_FAILED and one `details` entry per item.
 */
@Injectable()
export class ReplaceInventoryHandler {
  constructor(
    private readonly store: PharmacyStore,
    private readonly catalogue: CataloguePrices,
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
    await this.assertWithinCatalogue(input.items);
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

  private async assertWithinCatalogue(
    items: { medicineId: string; wholesalePriceCents: number }[],
  ): Promise<void> {
    const prices = await this.catalogue.pricesOf(items.map((i) => i.medicineId));
    const details: { path: string; message: string }[] = [];
    items.forEach((item, index) => {
      const catalogue = prices.get(item.medicineId);
      if (catalogue === undefined) {
        details.push({
          path: `items.${index}.medicineId`,
          message: `no medicine ${item.medicineId} in the catalogue`,
        });
      } else if (item.wholesalePriceCents > catalogue) {
        details.push({
          path: `items.${index}.wholesalePrice`,
          message: `${centsToDecimal(item.wholesalePriceCents)} is above the catalogue price ${centsToDecimal(catalogue)} per unit`,
        });
      }
    });
    if (details.length > 0) {
      throw new CodedError(
        'VALIDATION_FAILED',
        'A wholesale price may not exceed the catalogue price, and every medicine must be in the catalogue.',
        details,
      );
    }
  }
}
