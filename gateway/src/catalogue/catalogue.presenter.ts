import type { MedicineView } from '@prescriptchain/contracts';
import type { z } from 'zod';
import type { Principal } from '../access/principal';
import { formatCents } from '../http/money';
import type { MedicineSchema } from '../routes/catalogue.routes';

/** Who the catalogue checks roles and template ownership against. */
export const catalogueCallerOf = (p: Principal) => ({ userId: p.userId, role: p.role });

/** orders prices medicines in integer cents per unit; api-v1 says `"0.45"` with the currency. */
export const presentMedicine = (m: MedicineView): z.input<typeof MedicineSchema> => ({
  id: m.id,
  sku: m.sku,
  name: m.name,
  herbName: m.herbName,
  pinyinName: m.pinyinName,
  pinyinPlain: m.pinyinPlain,
  englishName: m.englishName,
  latinName: m.latinName,
  category: m.category,
  unit: m.unit,
  form: m.form,
  granuleRatio: m.granuleRatio,
  minDailyDose: m.minDailyDose,
  maxDailyDose: m.maxDailyDose,
  decoction: m.decoction,
  pregnancy: m.pregnancy,
  toxicity: m.toxicity,
  nzRestricted: m.nzRestricted,
  restrictionReason: m.restrictionReason,
  price: formatCents(m.price),
  currency: m.currency,
  status: m.status,
  createdAt: m.createdAt,
  updatedAt: m.updatedAt,
});
