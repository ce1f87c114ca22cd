import type { MedicineView } from '@prescriptchain/contracts';
import type { Principal } from '../access/principal';
import { toWire } from '../http/money';
import { MEDICINE_MONEY_NAMES } from '../routes/catalogue.routes';

/** Who the catalogue checks roles and template ownership against. */
export const catalogueCallerOf = (p: Principal) => ({ userId: p.userId, role: p.role });

/** orders prices medicines in integer cents per unit (`price`); the HTTP answer says `"0.45"` with the currency. */
export const presentMedicine = (m: MedicineView) => toWire(m, MEDICINE_MONEY_NAMES);
