import type { MedicineView } from '@prescriptchain/contracts';
import type {
  DecoctionMethod,
  DoseSource,
  MedicineForm,
  PregnancyLevel,
  ToxicityLevel,
} from '../../domain/catalogue/medicine';
import type { SafetyMedicine } from '../../domain/safety/formula-safety';

export type MedicineStatus = 'active' | 'retired';

/**
 * A medicine as the database holds it. Fits H6's `SafetyMedicine` (checkFormula) and
 * `SearchableMedicine` (scoreMatch) as it is. Price is integer cents per gram; doses and the granule
 * ratio are numbers of grams with at most three decimals (exact as JS numbers at that scale).
 */
export interface CatalogueMedicineRecord extends SafetyMedicine {
  id: string;
  sku: string;
  name: string;
  herbName: string;
  /** With tone marks: `dāng guī`. */
  pinyin: string;
  /** Without: `dang gui`. */
  pinyinPlain: string;
  englishName: string;
  latinName: string | null;
  category: string;
  unit: string;
  form: MedicineForm;
  granuleRatio: number | null;
  /** NZD cents per unit (gram). */
  priceCentsPerGram: number;
  minDailyDoseGrams: number | null;
  maxDailyDoseGrams: number;
  doseSource: DoseSource | null;
  decoction: DecoctionMethod | null;
  pregnancy: PregnancyLevel;
  toxicity: ToxicityLevel;
  nzRestricted: boolean;
  restrictionReason: string | null;
  status: MedicineStatus;
  createdAt: Date;
  updatedAt: Date;
}

const decimal = (n: number | null) => (n === null ? null : String(n));

/** The RPC shape (gateway/docs/api.md, "Catalogue"; `price` in cents, the gateway formats it). */
export function medicineView(m: CatalogueMedicineRecord): MedicineView {
  return {
    id: m.id,
    sku: m.sku,
    name: m.name,
    herbName: m.herbName,
    pinyinName: m.pinyin,
    pinyinPlain: m.pinyinPlain,
    englishName: m.englishName,
    latinName: m.latinName,
    category: m.category,
    unit: m.unit,
    price: m.priceCentsPerGram,
    currency: 'NZD',
    status: m.status,
    form: m.form,
    granuleRatio: decimal(m.granuleRatio),
    minDailyDose: decimal(m.minDailyDoseGrams),
    maxDailyDose: String(m.maxDailyDoseGrams),
    decoction: m.decoction,
    pregnancy: m.pregnancy,
    toxicity: m.toxicity,
    nzRestricted: m.nzRestricted,
    restrictionReason: m.restrictionReason,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}
