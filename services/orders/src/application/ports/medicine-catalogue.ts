import type { CatalogueMedicineRecord } from '../catalogue/medicine-record';

/**
 * The catalogue's medicines by id, for whoever prices or checks a formula (ordering, templates,
 * pharmacy's price RPC). Retired medicines are returned too, with `status: 'retired'`: the caller
 * decides what that means for it. The catalogue module provides it (same service, same database).
 *
 *   const found = await catalogue.findByIds(items.map((i) => i.medicineId));
 *   const violations = checkFormula(formula, (id) => found.get(id));
 */
export abstract class MedicineCatalogue {
  /** The medicines among `ids` that exist, keyed by id (unknown and malformed ids are absent). */
  abstract findByIds(ids: readonly string[]): Promise<Map<string, CatalogueMedicineRecord>>;
}
