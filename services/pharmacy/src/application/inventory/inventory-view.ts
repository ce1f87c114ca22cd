import type { InventoryView } from '@prescriptchain/contracts';
import type { InventoryRecord } from '../ports/pharmacy-store';

export const toInventoryView = (pharmacyId: string, items: InventoryRecord[]): InventoryView => ({
  pharmacyId,
  items: items.map((i) => ({
    medicineId: i.medicineId,
    wholesalePriceCents: i.priceCents,
    available: i.available,
    updatedAt: i.updatedAt.toISOString(),
  })),
});
