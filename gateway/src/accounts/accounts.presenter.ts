import type { PharmacySettlements } from '@prescriptchain/contracts';
import { toWire } from '../http/money';

/** A pharmacy's settlements and their totals in their HTTP form (the HTTP answer calls the list `settlements`). */
export const presentPharmacySettlements = (p: PharmacySettlements) => ({
  settlements: toWire(p.items),
  totals: toWire(p.totals),
});
