import { z } from 'zod';
import { CurrencySchema, MAX_CENTS } from '../money';

/**
 * The medicine catalogue and prescription templates the gateway asks orders about (`orders.rpc`
 * queue). Money is integer cents here: `price` is NZD cents per unit (per gram); the gateway renders
 * `"0.45"` with `currency`. Quantities and doses are decimal strings of grams (`"12.5"`), never floats.
 * Whoever the gateway authenticated travels as `caller`; orders checks the role and ownership itself.
 */
export const ORDERS_CATALOGUE_RPC = {
  searchMedicines: 'orders.medicines.search',
  getMedicine: 'orders.medicines.get',
  createMedicine: 'orders.medicines.create',
  updateMedicine: 'orders.medicines.update',
  retireMedicine: 'orders.medicines.retire',
  /** From pharmacy: `{ medicineIds }` → `{ prices: MedicinePriceView[] }` (unknown ids are absent). */
  medicinePrices: 'orders.medicines.prices',
  listTemplates: 'orders.templates.list',
  getTemplate: 'orders.templates.get',
  createTemplate: 'orders.templates.create',
  updateTemplate: 'orders.templates.update',
  deleteTemplate: 'orders.templates.delete',
} as const;

/** Catalogue prices of many medicines at once (pharmacy caps declared wholesale prices with them). */
export const MedicinePricesRequestSchema = z.object({
  medicineIds: z.array(z.uuid()).max(2000),
});
export type MedicinePricesRequest = z.input<typeof MedicinePricesRequestSchema>;
export interface MedicinePriceView {
  medicineId: string;
  /** NZD cents per unit (gram). */
  priceCents: number;
  status: 'active' | 'retired';
}

export const CatalogueCallerSchema = z.object({
  userId: z.uuid(),
  role: z.enum(['practitioner', 'pharmacy_operator', 'admin', 'patient']),
});
export type CatalogueCaller = z.infer<typeof CatalogueCallerSchema>;

export const MedicineFormSchema = z.enum(['raw', 'granule']);
export const MedicineStatusSchema = z.enum(['active', 'retired']);
export const PregnancyLevelSchema = z.enum(['none', 'caution', 'contraindicated']);
export const ToxicityLevelSchema = z.enum(['none', 'mild', 'toxic', 'severe']);
export const DecoctionMethodSchema = z.enum(['先煎', '后下', '包煎', '另煎', '烊化', '冲服']);

export const MEDICINE_SORT_FIELDS = [
  'name',
  'pinyinName',
  'englishName',
  'price',
  'category',
  'sku',
] as const;
export type MedicineSortField = (typeof MEDICINE_SORT_FIELDS)[number];

const DECIMAL = /^\d{1,7}(\.\d{1,3})?$/;
/**
 * A positive amount of grams with at most three decimals (milligrams), given as `"12.5"` or 12.5;
 * always a canonical string afterwards (`"12.50"` → `"12.5"`). A number is read through its shortest
 * decimal form, so 0.1 stays exactly "0.1".
 */
export const DecimalGramsSchema = z
  .union([z.string().trim(), z.number().finite()])
  .transform((v) => (typeof v === 'number' ? String(v) : v))
  .refine((v) => DECIMAL.test(v), 'must be a decimal number of grams with at most 3 decimals')
  .transform((v) =>
    v
      .replace(/(\.\d*?)0+$/, '$1')
      .replace(/\.$/, '')
      .replace(/^0+(?=\d)/, ''),
  )
  .refine((v) => /[1-9]/.test(v), 'must be greater than 0');

/** A decimal as the catalogue returns it: `"12"`, `"2.4"`. */
const DecimalString = z.string().regex(/^\d+(\.\d+)?$/);
const Timestamp = z.iso.datetime();
const Page = z.coerce.number().int().min(1).max(100_000).default(1);
const Limit = z.coerce.number().int().min(1).max(100).default(20);
/** Ids in paths may be anything a URL carries: a malformed one is simply not found. */
const PathId = z.string().trim().min(1).max(64);

// ---------------------------------------------------------------- medicines

/**
 * Grams as a medicine states them (doses, the granule ratio): a decimal string. Checked like
 * {@link DecimalString}, but with a refinement rather than a `pattern`, so the HTTP document (which
 * derives the medicine from this view) describes it in words as it always has.
 */
const Grams = z
  .string()
  .refine((v) => /^\d+(\.\d+)?$/.test(v), 'must be a decimal string of grams')
  .meta({ description: 'Grams, as a decimal string ("12.5").', example: '12.5' });

/**
 * A medicine as the catalogue answers it (`price` in integer cents; the gateway's HTTP `Medicine`
 * is this view with the price as `"0.45"`). The descriptions are the API reference's.
 */
export const MedicineSchema = z.object({
  id: z.uuid(),
  sku: z.string().meta({ description: 'Stable stock code (`RAW-DANGGUI`); never renamed.' }),
  name: z.string().meta({ description: 'Chinese product name (当归, 当归配方颗粒).' }),
  /** 当归 for both forms. */
  herbName: z.string().meta({ description: 'The crude herb the product is made of.' }),
  pinyinName: z.string().meta({ description: 'Pinyin with tone marks (`dāng guī`).' }),
  /** ü as v. */
  pinyinPlain: z.string().meta({ description: 'Pinyin without tones (`dang gui`).' }),
  englishName: z.string(),
  latinName: z.string().nullable(),
  category: z.string(),
  unit: z.string().meta({ description: 'What `price` and quantities count (`g`).' }),
  form: MedicineFormSchema,
  /** null for raw herbs. */
  granuleRatio: Grams.nullable().meta({
    description: 'Grams of raw herb one gram of granules stands for.',
  }),
  minDailyDose: Grams.nullable(),
  maxDailyDose: Grams,
  decoction: z.string().nullable().meta({ description: 'Default decoction method (先煎, 后下, ...).' }),
  pregnancy: PregnancyLevelSchema,
  toxicity: ToxicityLevelSchema,
  nzRestricted: z.boolean().meta({ description: 'May not be supplied in New Zealand (refused in orders).' }),
  restrictionReason: z.string().nullable(),
  /** NZD cents per unit (per gram); the HTTP answer says `"0.45"`. */
  price: z.number().int().nonnegative().meta({ description: 'Per `unit` (per gram), in `currency`.' }),
  currency: CurrencySchema,
  status: MedicineStatusSchema.meta({
    description: 'A `retired` medicine is refused in new orders and templates; old orders keep it.',
  }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type MedicineView = z.infer<typeof MedicineSchema>;

export const MedicineSearchRequestSchema = z.object({
  /** Chinese, pinyin (with or without tones and spaces), initials (`dg`), English, Latin or SKU. */
  q: z.string().trim().max(100).optional(),
  category: z.string().trim().min(1).max(100).optional(),
  page: Page,
  limit: Limit,
  /** `field:asc|desc`; applies when there is no `q` (with `q`, best match first). */
  sort: z
    .string()
    .regex(new RegExp(`^(${MEDICINE_SORT_FIELDS.join('|')}):(asc|desc)$`), 'must be field:asc or field:desc')
    .optional(),
  /** Admins only: include retired medicines. */
  includeRetired: z.boolean().default(false),
  caller: CatalogueCallerSchema.optional(),
});
export type MedicineSearchRequest = z.input<typeof MedicineSearchRequestSchema>;

export const MedicinePageSchema = z.object({
  items: z.array(MedicineSchema),
  total: z.number().int().nonnegative(),
  page: z.number().int(),
  limit: z.number().int(),
});
export type MedicinePage = z.infer<typeof MedicinePageSchema>;

export const GetMedicineRequestSchema = z.object({ id: PathId });

const Text = (max: number) => z.string().trim().min(1).max(max);
/** Tone-marked or plain pinyin, syllables separated by spaces (initials are read from them). */
const Pinyin = Text(120).regex(
  /^[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü'’ ]+$/,
  'must be pinyin letters and spaces',
);

const MedicineFields = {
  name: Text(60),
  /** Defaults to the name without a 配方颗粒 suffix. */
  herbName: Text(60).optional(),
  pinyin: Pinyin,
  englishName: Text(200),
  latinName: Text(200).nullish(),
  /** One of the catalogue's classical categories (`Tonify Blood`). */
  category: Text(100),
  unit: z.literal('g').default('g'),
  form: MedicineFormSchema.default('raw'),
  granuleRatio: DecimalGramsSchema.nullish(),
  /** NZD cents per unit. */
  price: z.number().int().positive().max(MAX_CENTS),
  minDailyDose: DecimalGramsSchema.nullish(),
  maxDailyDose: DecimalGramsSchema,
  decoction: DecoctionMethodSchema.nullish(),
  pregnancy: PregnancyLevelSchema.default('none'),
  toxicity: ToxicityLevelSchema.default('none'),
  nzRestricted: z.boolean().default(false),
  restrictionReason: Text(1000).nullish(),
};

export const CreateMedicineRequestSchema = z.object({
  caller: CatalogueCallerSchema,
  sku: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]+(-[A-Z0-9]+)*$/, 'must be letters, digits and hyphens')
    .max(40),
  ...MedicineFields,
});
export type CreateMedicineRequest = z.input<typeof CreateMedicineRequestSchema>;

/** Every field optional; the SKU never changes. `status` may bring a retired medicine back. */
export const UpdateMedicineRequestSchema = z.object({
  caller: CatalogueCallerSchema,
  id: PathId,
  name: MedicineFields.name.optional(),
  herbName: MedicineFields.herbName,
  pinyin: Pinyin.optional(),
  englishName: MedicineFields.englishName.optional(),
  latinName: MedicineFields.latinName,
  category: MedicineFields.category.optional(),
  form: MedicineFormSchema.optional(),
  granuleRatio: MedicineFields.granuleRatio,
  price: MedicineFields.price.optional(),
  minDailyDose: MedicineFields.minDailyDose,
  maxDailyDose: DecimalGramsSchema.optional(),
  decoction: MedicineFields.decoction,
  pregnancy: PregnancyLevelSchema.optional(),
  toxicity: ToxicityLevelSchema.optional(),
  nzRestricted: z.boolean().optional(),
  restrictionReason: MedicineFields.restrictionReason,
  status: MedicineStatusSchema.optional(),
});
export type UpdateMedicineRequest = z.input<typeof UpdateMedicineRequestSchema>;

export const RetireMedicineRequestSchema = z.object({ caller: CatalogueCallerSchema, id: PathId });

// ---------------------------------------------------------------- prescription templates

export const TemplateItemInputSchema = z.object({
  medicineId: z.uuid(),
  /** Grams per pack, `"12.5"` or 12.5. */
  quantity: DecimalGramsSchema,
  dosageInstructions: Text(500).nullish(),
});

export const TemplateItemSchema = z.object({
  medicineId: z.uuid(),
  quantity: DecimalString,
  dosageInstructions: z.string().nullable(),
  /** What a portal shows for the line; `status` tells a retired medicine apart. */
  medicine: z.object({
    sku: z.string(),
    name: z.string(),
    pinyinName: z.string(),
    englishName: z.string(),
    unit: z.string(),
    status: MedicineStatusSchema,
  }),
});

export const TemplateSchema = z.object({
  id: z.uuid(),
  practitionerId: z.uuid(),
  name: z.string(),
  notes: z.string().nullable(),
  items: z.array(TemplateItemSchema),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type TemplateView = z.infer<typeof TemplateSchema>;

export const TemplatePageSchema = z.object({
  items: z.array(TemplateSchema),
  total: z.number().int().nonnegative(),
  page: z.number().int(),
  limit: z.number().int(),
});
export type TemplatePage = z.infer<typeof TemplatePageSchema>;

const TemplateItems = z.array(TemplateItemInputSchema).min(1).max(60);

export const ListTemplatesRequestSchema = z.object({
  caller: CatalogueCallerSchema,
  page: Page,
  limit: Limit,
});
export const GetTemplateRequestSchema = z.object({ caller: CatalogueCallerSchema, id: PathId });
export const DeleteTemplateRequestSchema = GetTemplateRequestSchema;
export const CreateTemplateRequestSchema = z.object({
  caller: CatalogueCallerSchema,
  name: Text(120),
  notes: z.string().trim().max(2000).nullish(),
  items: TemplateItems,
});
export type CreateTemplateRequest = z.input<typeof CreateTemplateRequestSchema>;
/** PUT semantics, but a field left out keeps its value. */
export const UpdateTemplateRequestSchema = z.object({
  caller: CatalogueCallerSchema,
  id: PathId,
  name: Text(120).optional(),
  notes: z.string().trim().max(2000).nullish(),
  items: TemplateItems.optional(),
});
export type UpdateTemplateRequest = z.input<typeof UpdateTemplateRequestSchema>;

export const DeletedTemplateSchema = z.object({ id: z.uuid(), deleted: z.literal(true) });
