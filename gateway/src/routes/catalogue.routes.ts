import {
  CreateMedicineRequestSchema,
  CreateTemplateRequestSchema,
  MAX_CENTS,
  MedicineSchema as MedicineViewSchema,
  MedicineSearchRequestSchema,
  TemplateSchema,
  UpdateMedicineRequestSchema,
  UpdateTemplateRequestSchema,
} from '@prescriptchain/contracts';
import { z } from 'zod';
import { moneyInput, wireShape } from '../http/money';
import { API_PREFIX, defineRoute, type RouteDef } from './route';
import { ADMIN, BACKEND, IdParams, limit, pageQuery, PRACTITIONER } from './atoms';

// The catalogue ranks at most 100,000 pages of matches (orders' MedicineSearchRequest).
const page = pageQuery(100_000);

// ------------------------------------------------------------------ data shapes

/** The catalogue's `price` is integer cents under the same name as the HTTP `"0.45"`. */
export const MEDICINE_MONEY_NAMES = { price: 'price' } as const;

/** orders' medicine view (libs/contracts/src/rpc/orders-catalogue.rpc.ts) with its price as `"0.45"`. */
const WireMedicine = wireShape(MedicineViewSchema, MEDICINE_MONEY_NAMES);
export const MedicineSchema = WireMedicine.extend({
  price: (WireMedicine.shape.price as z.ZodType).meta({ example: '0.45' }),
}).meta({ id: 'Medicine' });

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
