/**
 * A medicine as the catalogue knows it: one crude herb (or mineral/animal product) in one form.
 * Facts, sources and the rules behind the flags: services/orders/CATALOGUE.md.
 */

/** The classical functional categories of the 中药学 textbooks; a fixed list. */
export const MEDICINE_CATEGORIES = [
  { en: 'Release Exterior (Warm-Acrid)', zh: '辛温解表药' },
  { en: 'Release Exterior (Cool-Acrid)', zh: '辛凉解表药' },
  { en: 'Clear Heat and Drain Fire', zh: '清热泻火药' },
  { en: 'Clear Heat and Dry Dampness', zh: '清热燥湿药' },
  { en: 'Clear Heat and Resolve Toxicity', zh: '清热解毒药' },
  { en: 'Clear Heat and Cool Blood', zh: '清热凉血药' },
  { en: 'Clear Deficiency Heat', zh: '清虚热药' },
  { en: 'Downward Draining', zh: '泻下药' },
  { en: 'Dispel Wind-Dampness', zh: '祛风湿药' },
  { en: 'Aromatic Transform Dampness', zh: '化湿药' },
  { en: 'Drain Dampness', zh: '利水渗湿药' },
  { en: 'Warm the Interior', zh: '温里药' },
  { en: 'Regulate Qi', zh: '理气药' },
  { en: 'Relieve Food Stagnation', zh: '消食药' },
  { en: 'Expel Parasites', zh: '驱虫药' },
  { en: 'Stop Bleeding', zh: '止血药' },
  { en: 'Invigorate Blood', zh: '活血化瘀药' },
  { en: 'Transform Phlegm', zh: '化痰药' },
  { en: 'Stop Cough and Calm Wheezing', zh: '止咳平喘药' },
  { en: 'Calm the Spirit', zh: '安神药' },
  { en: 'Calm the Liver and Extinguish Wind', zh: '平肝息风药' },
  { en: 'Open the Orifices', zh: '开窍药' },
  { en: 'Tonify Qi', zh: '补气药' },
  { en: 'Tonify Yang', zh: '补阳药' },
  { en: 'Tonify Blood', zh: '补血药' },
  { en: 'Tonify Yin', zh: '补阴药' },
  { en: 'Astringe and Stabilise', zh: '收涩药' },
  { en: 'Induce Vomiting', zh: '涌吐药' },
  { en: 'External Use', zh: '外用药' },
] as const;

export type MedicineCategory = (typeof MEDICINE_CATEGORIES)[number]['en'];

export const MEDICINE_FORMS = ['raw', 'granule'] as const;
export type MedicineForm = (typeof MEDICINE_FORMS)[number];

/** ChP wording: 孕妇慎用 → caution, 孕妇禁用/忌用 → contraindicated. */
export const PREGNANCY_LEVELS = ['none', 'caution', 'contraindicated'] as const;
export type PregnancyLevel = (typeof PREGNANCY_LEVELS)[number];

/** ChP wording: 有小毒 → mild, 有毒 → toxic, 有大毒 → severe. */
export const TOXICITY_LEVELS = ['none', 'mild', 'toxic', 'severe'] as const;
export type ToxicityLevel = (typeof TOXICITY_LEVELS)[number];

/** The decoction instructions an order item may carry (`decoctionMethod` of an order item). */
export const DECOCTION_METHODS = ['先煎', '后下', '包煎', '另煎', '烊化', '冲服'] as const;
export type DecoctionMethod = (typeof DECOCTION_METHODS)[number];

export const DOSE_SOURCES = ['ChP2020', 'textbook'] as const;
export type DoseSource = (typeof DOSE_SOURCES)[number];

/** Suffix of a granule product's Chinese name (当归配方颗粒); stripped to find the herb. */
export const GRANULE_NAME_SUFFIX = '配方颗粒';

export interface CatalogueMedicine {
  /** Stable stock code: `RAW-DANGGUI`, `GRN-DANGGUI`. */
  sku: string;
  /** Chinese (simplified) product name: 当归, 当归配方颗粒. */
  name: string;
  /** The crude herb this product is made of (当归 for both forms); safety rules match on it. */
  herbName: string;
  /** Hanyu pinyin with tone marks, syllables separated by spaces: `dāng guī`. */
  pinyin: string;
  /** The same without tone marks, ü written v: `dang gui`, `nv zhen zi`. */
  pinyinPlain: string;
  englishName: string;
  /** Pharmaceutical Latin as in the Chinese Pharmacopoeia: `Angelicae Sinensis Radix`. */
  latinName: string;
  category: MedicineCategory;
  unit: 'g';
  form: MedicineForm;
  /** Grams of raw herb one gram of granules stands for; null for raw herbs. */
  granuleRatio: number | null;
  /** Retail (B) price in NZD cents per gram of this product. */
  priceCentsPerGram: number;
  /** Usual daily dose range in grams of this product (granules: the raw range ÷ ratio). */
  minDailyDoseGrams: number;
  maxDailyDoseGrams: number;
  doseSource: DoseSource;
  /** The usual decoction instruction for a raw herb, if any. */
  decoction: DecoctionMethod | null;
  pregnancy: PregnancyLevel;
  toxicity: ToxicityLevel;
  /** May not be supplied in New Zealand (never overridable). */
  nzRestricted: boolean;
  restrictionReason: string | null;
}

/** The crude herb a product stands for, for medicines that do not state it. */
export function herbNameOf(medicine: { name: string; herbName?: string | null }): string {
  if (medicine.herbName) return medicine.herbName;
  return medicine.name.endsWith(GRANULE_NAME_SUFFIX)
    ? medicine.name.slice(0, -GRANULE_NAME_SUFFIX.length)
    : medicine.name;
}
