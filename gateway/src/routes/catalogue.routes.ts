import {
  CreateMedicineRequestSchema,
  CreateTemplateRequestSchema,
  MAX_CENTS,
  MedicineFormSchema,
  MedicineSearchRequestSchema,
  MedicineStatusSchema,
  PregnancyLevelSchema,
  TemplateSchema,
  ToxicityLevelSchema,
  UpdateMedicineRequestSchema,
  UpdateTemplateRequestSchema,
} from '@prescriptchain/contracts';
import { z } from 'zod';
import { CurrencySchema, moneyInput, MoneySchema } from '../http/money';
import { API_PREFIX, defineRoute, type RouteDef } from './route';
import { ADMIN, BACKEND, IdParams, limit, pageQuery, PRACTITIONER, Timestamp } from './atoms';

const Grams = z.string().meta({ description: 'Grams, as a decimal string ("12.5").', example: '12.5' });
// The catalogue ranks at most 100,000 pages of matches (orders' MedicineSearchRequest).
const page = pageQuery(100_000);

// ------------------------------------------------------------------ data shapes

export const MedicineSchema = z
  .object({
    id: z.uuid(),
    sku: z.string().meta({ description: 'Stable stock code (`RAW-DANGGUI`); never renamed.' }),
    name: z.string().meta({ description: 'Chinese product name (当归, 当归配方颗粒).' }),
    herbName: z.string().meta({ description: 'The crude herb the product is made of.' }),
    pinyinName: z.string().meta({ description: 'Pinyin with tone marks (`dāng guī`).' }),
    pinyinPlain: z.string().meta({ description: 'Pinyin without tones (`dang gui`).' }),
    englishName: z.string(),
    latinName: z.string().nullable(),
    category: z.string(),
    unit: z.string().meta({ description: 'What `price` and quantities count (`g`).' }),
    form: MedicineFormSchema,
    granuleRatio: Grams.nullable().meta({
      description: 'Grams of raw herb one gram of granules stands for.',
    }),
    minDailyDose: Grams.nullable(),
    maxDailyDose: Grams,
    decoction: z.string().nullable().meta({ description: 'Default decoction method (先煎, 后下, ...).' }),
    pregnancy: PregnancyLevelSchema,
    toxicity: ToxicityLevelSchema,
    nzRestricted: z
      .boolean()
      .meta({ description: 'May not be supplied in New Zealand (refused in orders).' }),
    restrictionReason: z.string().nullable(),
    price: MoneySchema.meta({ description: 'Per `unit` (per gram), in `currency`.', example: '0.45' }),
    currency: CurrencySchema,
    status: MedicineStatusSchema.meta({
      description: 'A `retired` medicine is refused in new orders and templates; old orders keep it.',
    }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Medicine' });

export const PrescriptionTemplateSchema = TemplateSchema.meta({ id: 'PrescriptionTemplate' });

const price = moneyInput({ minCents: 1, maxCents: MAX_CENTS });

const CreateMedicineBody = CreateMedicineRequestSchema.omit({ caller: true, price: true })
  .extend({ price })
  .meta({ id: 'NewMedicine' });

const UpdateMedicineBody = UpdateMedicineRequestSchema.omit({ caller: true, id: true, price: true })
  .extend({ price: price.optional() })
  .meta({ id: 'MedicineChanges' });

const TemplateBody = CreateTemplateRequestSchema.omit({ caller: true }).meta({
  id: 'NewPrescriptionTemplate',
});
const TemplateChanges = UpdateTemplateRequestSchema.omit({ caller: true, id: true }).meta({
  id: 'PrescriptionTemplateChanges',
});

// ------------------------------------------------------------------ routes

/** Prices go to orders as integer cents per unit and come back as "0.45" strings with the currency. */
export const CATALOGUE_ROUTES = {
  searchMedicines: defineRoute({
    id: 'searchMedicines',
    method: 'get',
    path: `${API_PREFIX}/medicines`,
    access: 'public',
    rateLimit: 'search',
    summary:
      'Search the active catalogue: `q` matches Chinese, pinyin (with or without tones and spaces, or initials like `dg`), English, Latin and SKU, tolerating small typos, best match first; without `q`, `sort` orders the list',
    tags: ['catalogue'],
    query: MedicineSearchRequestSchema.pick({ q: true, category: true, sort: true }).extend({ page, limit }),
    response: { status: 200, data: z.array(MedicineSchema), paginated: true },
    errors: BACKEND,
  }),
  getMedicine: defineRoute({
    id: 'getMedicine',
    method: 'get',
    path: `${API_PREFIX}/medicines/:id`,
    access: 'public',
    summary: 'One medicine, retired ones too (old orders and templates still name them)',
    tags: ['catalogue'],
    params: IdParams,
    response: { status: 200, data: MedicineSchema },
    errors: ['NOT_FOUND', ...BACKEND],
  }),
  createMedicine: defineRoute({
    id: 'createMedicine',
    method: 'post',
    path: `${API_PREFIX}/medicines`,
    access: ADMIN,
    summary: 'Add a medicine to the catalogue (a SKU already taken is 409 CONFLICT)',
    tags: ['catalogue'],
    body: CreateMedicineBody,
    response: { status: 201, data: MedicineSchema },
    errors: ['CONFLICT', ...BACKEND],
  }),
  updateMedicine: defineRoute({
    id: 'updateMedicine',
    method: 'put',
    path: `${API_PREFIX}/medicines/:id`,
    access: ADMIN,
    summary:
      'Change a medicine: the fields sent replace their values, the others keep theirs; the SKU never changes; `status: active` brings a retired medicine back',
    tags: ['catalogue'],
    params: IdParams,
    body: UpdateMedicineBody,
    response: { status: 200, data: MedicineSchema },
    errors: ['NOT_FOUND', ...BACKEND],
  }),
  retireMedicine: defineRoute({
    id: 'retireMedicine',
    method: 'delete',
    path: `${API_PREFIX}/medicines/:id`,
    access: ADMIN,
    summary:
      'Retire a medicine (never deleted): hidden from search and refused in new orders and templates; orders keep their lines. Answers the medicine with `status: retired`',
    tags: ['catalogue'],
    params: IdParams,
    response: { status: 200, data: MedicineSchema },
    errors: ['NOT_FOUND', ...BACKEND],
  }),
  listTemplates: defineRoute({
    id: 'listPrescriptionTemplates',
    method: 'get',
    path: `${API_PREFIX}/prescription-templates`,
    access: PRACTITIONER,
    summary: "The caller's own prescription templates, most recently changed first",
    tags: ['prescription-templates'],
    query: z.object({ page, limit }),
    response: { status: 200, data: z.array(PrescriptionTemplateSchema), paginated: true },
    errors: BACKEND,
  }),
  createTemplate: defineRoute({
    id: 'createPrescriptionTemplate',
    method: 'post',
    path: `${API_PREFIX}/prescription-templates`,
    access: PRACTITIONER,
    summary: 'Save a formula as a template (quantities in grams per pack; retired medicines are refused)',
    tags: ['prescription-templates'],
    body: TemplateBody,
    response: { status: 201, data: PrescriptionTemplateSchema },
    errors: BACKEND,
  }),
  getTemplate: defineRoute({
    id: 'getPrescriptionTemplate',
    method: 'get',
    path: `${API_PREFIX}/prescription-templates/:id`,
    access: PRACTITIONER,
    summary: "One of the caller's templates (anyone else's is 404)",
    tags: ['prescription-templates'],
    params: IdParams,
    response: { status: 200, data: PrescriptionTemplateSchema },
    errors: ['NOT_FOUND', ...BACKEND],
  }),
  updateTemplate: defineRoute({
    id: 'updatePrescriptionTemplate',
    method: 'put',
    path: `${API_PREFIX}/prescription-templates/:id`,
    access: PRACTITIONER,
    summary:
      "Change one of the caller's templates: fields sent replace their values (`items` as a whole), the others keep theirs; `notes: null` clears the notes",
    tags: ['prescription-templates'],
    params: IdParams,
    body: TemplateChanges,
    response: { status: 200, data: PrescriptionTemplateSchema },
    errors: ['NOT_FOUND', ...BACKEND],
  }),
  deleteTemplate: defineRoute({
    id: 'deletePrescriptionTemplate',
    method: 'delete',
    path: `${API_PREFIX}/prescription-templates/:id`,
    access: PRACTITIONER,
    summary: "Delete one of the caller's templates for good (no order refers to a template)",
    tags: ['prescription-templates'],
    params: IdParams,
    response: { status: 204 },
    errors: ['NOT_FOUND', ...BACKEND],
  }),
} satisfies Record<string, RouteDef>;
