import type { SafetyMedicine } from '../../domain/safety/formula-safety';

/** What ordering needs of a medicine: the safety facts, the price and the names printed on the order. */
export interface OrderableMedicine extends SafetyMedicine {
  id: string;
  name: string;
  pinyin: string;
  englishName: string;
  unit: string;
  /** Retail (B) price in whole NZD cents per unit (per gram). */
  priceCentsPerUnit: number;
  status: 'active' | 'retired';
}

/** The medicine catalogue, as orders' ordering side sees it (the catalogue module provides it). */
export abstract class MedicineLookup {
  /** The medicines among `ids` that exist, retired ones included; unknown ids are simply absent. */
  abstract findByIds(ids: readonly string[]): Promise<OrderableMedicine[]>;
}
