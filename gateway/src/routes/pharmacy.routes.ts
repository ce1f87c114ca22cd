import {
  ClaimListItemViewSchema,
  ConfirmFileRequestSchema,
  PharmacyReleaseRequestSchema,
  ReviewProofRequestSchema,
  SubmitProofRequestSchema,
  ClaimResultViewSchema,
  ConfirmedFileViewSchema,
  CreatePharmacyRequestSchema,
  GeoPointViewSchema,
  InventoryViewSchema,
  MAX_CENTS,
  NearbyPharmaciesViewSchema,
  PharmacyViewSchema,
  ProofViewSchema,
  PutFileViewSchema,
  ScanResultViewSchema,
  UploadUrlViewSchema,
  FILE_PURPOSES,
  MAX_UPLOAD_BYTES,
  CLAIM_STATUSES,
  PHARMACY_STATUSES,
  PharmacyAddressSchema,
  PharmacyContactSchema,
  PROOF_REVIEW_STATUSES,
  UPLOAD_CONTENT_TYPES,
  UpdatePharmacyRequestSchema,
} from '@prescriptchain/contracts';
import { z } from 'zod';
import { CurrencySchema, moneyInput, wireShape } from '../http/money';
import { API_PREFIX, defineRoute, type RouteDef } from './route';
import { ADMIN, BACKEND, Id, IdParams, limit, OPERATOR, page } from './atoms';

const SIGNED_URLS =
  ' Signed URLs are absolute URLs of this gateway (built from the request’s host, or the proxy’s X-Forwarded-Host/-Proto where TRUST_PROXY trusts it), or of the storage provider when one is configured.';


/** A number in a query string: digits with an optional sign and decimals (an empty value is not 0). */
const queryNumber = z
  .string()
  .trim()
  .regex(/^[+-]?(\d+(\.\d*)?|\.\d+)$/, 'must be a number')
  .transform(Number);

const GeoPointSchema = GeoPointViewSchema;

// ------------------------------------------------------------------ data shapes: pharmacy's views (libs/contracts/src/rpc/pharmacy.rpc.ts) in their HTTP form

export const PharmacySchema = PharmacyViewSchema.meta({ id: 'Pharmacy' });
export const InventorySchema = wireShape(InventoryViewSchema)
  .extend({ currency: CurrencySchema })
  .meta({ id: 'PharmacyInventory' });
export const NearbyPharmaciesSchema = NearbyPharmaciesViewSchema.meta({ id: 'NearbyPharmacies' });
export const CredentialScanSchema = wireShape(ScanResultViewSchema).meta({ id: 'CredentialScan' });
export const ClaimSchema = wireShape(ClaimResultViewSchema.omit({ alreadyHeld: true })).meta({ id: 'Claim' });
export const ClaimListItemSchema = wireShape(ClaimListItemViewSchema).meta({ id: 'ClaimListItem' });
export const UploadUrlSchema = UploadUrlViewSchema.meta({ id: 'UploadUrl' });
export const UploadedFileSchema = PutFileViewSchema.meta({ id: 'UploadedFile' });
export const ConfirmedFileSchema = ConfirmedFileViewSchema.meta({ id: 'ConfirmedFile' });
export const FulfillmentProofSchema = wireShape(ProofViewSchema).meta({ id: 'FulfillmentProof' });

// ------------------------------------------------------------------ request shapes

/** Coordinates as JSON numbers (the service also reads numeric strings; the HTTP contract does not). */
const pharmacyFields = CreatePharmacyRequestSchema.omit({ caller: true }).extend({
  location: GeoPointSchema.nullish().meta({
    description:
      'Without it the address is geocoded (Mapbox) when geocoding is configured; otherwise it is required.',
  }),
});

const pharmacyUpdate = UpdatePharmacyRequestSchema.omit({ caller: true, pharmacyId: true })
  .extend({
    location: GeoPointSchema.optional(),
    address: PharmacyAddressSchema.optional().meta({
      description: 'A new address without `location` is geocoded again.',
    }),
    contact: PharmacyContactSchema.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'give at least one field to change',
  });

const scanBody = z
  .object({
    qrCodeData: z
      .string()
      .trim()
      .min(1)
      .max(4096)
      .optional()
      .meta({ description: 'The QR code, as scanned.' }),
    platformOrderId: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .optional()
      .meta({ description: 'Typed instead of scanning…' }),
    verificationCode: z
      .string()
      .trim()
      .regex(/^\d{6}$/, 'must be 6 digits')
      .optional()
      .meta({ description: '…with the 6-digit code printed under the QR.' }),
  })
  .superRefine((b, ctx) => {
    const typed = b.platformOrderId !== undefined || b.verificationCode !== undefined;
    if (b.qrCodeData !== undefined && typed)
      ctx.addIssue({
        code: 'custom',
        path: ['qrCodeData'],
        message: 'give qrCodeData or platformOrderId + verificationCode, not both',
      });
    else if (b.qrCodeData === undefined && !typed)
      ctx.addIssue({
        code: 'custom',
        path: ['qrCodeData'],
        message: 'give qrCodeData, or platformOrderId with verificationCode',
      });
    else if (typed) {
      if (b.platformOrderId === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['platformOrderId'],
          message: 'required with verificationCode',
        });
      if (b.verificationCode === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['verificationCode'],
          message: 'required with platformOrderId',
        });
    }
  });

/** `medicines=id,id` (at most 100). */
const medicineIds = z
  .string()
  .max(100 * 37)
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.uuid()).max(100));

/** Signed file tokens: opaque to the gateway (the URL is the credential; pharmacy checks it). */
const TokenParams = z.object({ token: z.string().min(1).max(4096) });

// ------------------------------------------------------------------ routes

/**
 * Pharmacies, redemption and fulfillment. Money goes to pharmacy as integer cents and
 * comes back as "12.34" strings with `currency`; pharmacy checks the caller again against its own
 * operator links.
 */
export const PHARMACY_ROUTES = {
  createPharmacy: defineRoute({
    id: 'createPharmacy',
    method: 'post',
    path: `${API_PREFIX}/admin/pharmacies`,
    access: ADMIN,
    summary:
      'Register a partner pharmacy (active). Without `location` its address is geocoded when MAPBOX_ACCESS_TOKEN is set; otherwise 422 asking for coordinates',
    tags: ['admin'],
    body: pharmacyFields,
    response: { status: 201, data: PharmacySchema },
    errors: ['EXTERNAL_SERVICE_ERROR', ...BACKEND],
  }),
  listPharmacies: defineRoute({
    id: 'listPharmacies',
    method: 'get',
    path: `${API_PREFIX}/admin/pharmacies`,
    access: ADMIN,
    summary: 'Pharmacies, filtered by status and a search on the name',
    tags: ['admin'],
    query: z.object({
      status: z.enum(PHARMACY_STATUSES).optional(),
      search: z.string().trim().max(200).optional(),
      page,
      limit,
    }),
    response: { status: 200, data: z.array(PharmacySchema), paginated: true },
    errors: BACKEND,
  }),
  getPharmacy: defineRoute({
    id: 'getPharmacy',
    method: 'get',
    path: `${API_PREFIX}/admin/pharmacies/:id`,
    access: ADMIN,
    summary: 'One pharmacy',
    tags: ['admin'],
    params: IdParams,
    response: { status: 200, data: PharmacySchema },
    errors: ['NOT_FOUND', ...BACKEND],
  }),
  updatePharmacy: defineRoute({
    id: 'updatePharmacy',
    method: 'put',
    path: `${API_PREFIX}/admin/pharmacies/:id`,
    access: ADMIN,
    summary:
      'Change a pharmacy (only the fields given), including `status: suspended` (its operators can no longer scan, upload or claim) or `active`',
    tags: ['admin'],
    params: IdParams,
    body: pharmacyUpdate,
    response: { status: 200, data: PharmacySchema },
    errors: ['NOT_FOUND', 'EXTERNAL_SERVICE_ERROR', ...BACKEND],
  }),
  replaceInventory: defineRoute({
    id: 'replacePharmacyInventory',
    method: 'put',
    path: `${API_PREFIX}/pharmacies/:id/inventory`,
    access: OPERATOR,
    apiKey: true,
    summary:
      'Declare what the pharmacy can supply and at what wholesale price per unit (replaces the whole list; it is a declaration, not live stock). A wholesale price above the medicine’s catalogue price, or a medicine not in the catalogue, is 422 with `details` per item. Its operators only: another pharmacy is 404; a suspended one 409 4001',
    tags: ['pharmacies'],
    params: IdParams,
    body: z.object({
      items: z
        .array(
          z.object({
            medicineId: Id,
            wholesalePrice: moneyInput({ maxCents: MAX_CENTS }).meta({
              description: 'Per unit of the medicine (per gram for herbs and granules), NZD, as a string.',
              example: '0.12',
            }),
            available: z.boolean(),
          }),
        )
        .max(2000)
        .refine(
          (items) => new Set(items.map((i) => i.medicineId)).size === items.length,
          'each medicineId at most once',
        ),
    }),
    response: { status: 200, data: InventorySchema },
    errors: ['NOT_FOUND', 'INSUFFICIENT_PERMISSIONS', 'PHARMACY_NOT_AVAILABLE', ...BACKEND],
  }),
  nearbyPharmacies: defineRoute({
    id: 'findNearbyPharmacies',
    method: 'get',
    path: `${API_PREFIX}/pharmacies/nearby`,
    access: 'public',
    rateLimit: 'search',
    summary:
      'Active pharmacies within `radius` km of a point, nearest first; with `medicines`, whether each declares them all',
    tags: ['pharmacies'],
    query: z.object({
      lat: queryNumber.pipe(z.number().min(-90).max(90)).meta({ description: 'Latitude, degrees.' }),
      lng: queryNumber.pipe(z.number().min(-180).max(180)).meta({ description: 'Longitude, degrees.' }),
      radius: queryNumber
        .pipe(z.number().positive().max(100))
        .default(10)
        .meta({ description: 'Kilometres (default 10, at most 100).' }),
      limit: z.coerce.number().int().min(1).max(50).default(20),
      medicines: medicineIds.optional().meta({ description: 'Comma-separated medicine ids (at most 100).' }),
    }),
    response: { status: 200, data: NearbyPharmaciesSchema },
    errors: BACKEND,
  }),
  scanCredential: defineRoute({
    id: 'scanCredential',
    method: 'post',
    path: `${API_PREFIX}/pharmacies/scan-credential`,
    access: OPERATOR,
    apiKey: true,
    summary:
      "Check a prescription credential: the scanned `qrCodeData`, or the typed `platformOrderId` + `verificationCode`. Forged, expired, unknown or a wrong code → 422 4002; repeated wrong codes lock the order or the pharmacy for a while (429 5002 with Retry-After). Answers the order, this pharmacy's estimated payout and whether it may dispense it",
    tags: ['pharmacies'],
    body: scanBody,
    response: { status: 200, data: CredentialScanSchema },
    errors: ['INVALID_CREDENTIAL', 'RATE_LIMIT_EXCEEDED', 'PHARMACY_NOT_AVAILABLE', ...BACKEND],
  }),
  claimOrder: defineRoute({
    id: 'claimOrder',
    method: 'post',
    path: `${API_PREFIX}/pharmacies/claims`,
    access: OPERATOR,
    apiKey: true,
    summary:
      'Claim a prescription before dispensing it ("start dispensing"), by the scanned `qrCodeData` or the typed `platformOrderId` + `verificationCode`: the order becomes DISPENSING, held by this pharmacy, which alone may submit proof for it; the payout is fixed now. A compare-and-set: of pharmacies claiming at once exactly one wins. 201 with the claim; 200 with the same claim when this pharmacy already holds it; 409 4003 when another pharmacy does; 409 2003 when the order is not PAID; 409 4001 when this pharmacy does not declare every item as available (`details` names them); 422 4002 for a bad credential or code (repeated wrong codes: 429 5002)',
    tags: ['pharmacies'],
    body: scanBody,
    response: {
      status: 201,
      data: ClaimSchema,
      also: [
        { status: 200, description: 'This pharmacy already holds the order: the same claim, unchanged.' },
      ],
    },
    errors: [
      'INVALID_CREDENTIAL',
      'ORDER_ALREADY_CLAIMED',
      'INVALID_ORDER_STATUS',
      'PHARMACY_NOT_AVAILABLE',
      'RATE_LIMIT_EXCEEDED',
      'ORDER_NOT_FOUND',
      ...BACKEND,
    ],
  }),
  releaseClaim: defineRoute({
    id: 'releaseClaim',
    method: 'post',
    path: `${API_PREFIX}/pharmacies/claims/:orderId/release`,
    access: ['pharmacy_operator', 'admin'],
    apiKey: true,
    summary:
      'Give a DISPENSING order back (the holding pharmacy’s operator, or an admin): it is PAID again and the patient may take it to another pharmacy. Another pharmacy is 409 4003; an order not being dispensed 409 2003',
    tags: ['pharmacies'],
    params: z.object({ orderId: Id }),
    body: PharmacyReleaseRequestSchema.pick({ reason: true }),
    response: { status: 200, data: ClaimSchema },
    errors: [
      'ORDER_NOT_FOUND',
      'ORDER_ALREADY_CLAIMED',
      'INVALID_ORDER_STATUS',
      'PHARMACY_NOT_AVAILABLE',
      ...BACKEND,
    ],
  }),
  listClaims: defineRoute({
    id: 'listPharmacyClaims',
    method: 'get',
    path: `${API_PREFIX}/pharmacies/:id/claims`,
    access: OPERATOR,
    apiKey: true,
    summary:
      'The orders this pharmacy holds (DISPENSING, PENDING_REVIEW, REJECTED), most recently claimed first; `status` narrows to one of them. Its operators only: another pharmacy is 404',
    tags: ['pharmacies'],
    params: IdParams,
    query: z.object({ status: z.enum(CLAIM_STATUSES).optional(), page, limit }),
    response: { status: 200, data: z.array(ClaimListItemSchema), paginated: true },
    errors: ['NOT_FOUND', 'PHARMACY_NOT_AVAILABLE', ...BACKEND],
  }),
  createUploadUrl: defineRoute({
    id: 'createUploadUrl',
    method: 'post',
    path: `${API_PREFIX}/files/upload-url`,
    access: OPERATOR,
    apiKey: true,
    rateLimit: 'uploads',
    summary: `Ask where to upload a file (a photo or PDF proof of dispensing, at most 10 MB): PUT its bytes to \`uploadUrl\` with \`headers\`, then confirm it.${SIGNED_URLS}`,
    tags: ['files'],
    body: z.object({
      fileName: z.string().trim().min(1).max(255),
      contentType: z.enum(UPLOAD_CONTENT_TYPES),
      size: z
        .number()
        .int()
        .positive()
        .max(MAX_UPLOAD_BYTES)
        .meta({ description: `Bytes (at most ${MAX_UPLOAD_BYTES}); the upload may not be larger.` }),
      purpose: z.enum(FILE_PURPOSES).default('fulfillment_proof'),
    }),
    response: { status: 201, data: UploadUrlSchema },
    errors: ['PHARMACY_NOT_AVAILABLE', ...BACKEND],
  }),
  uploadFile: defineRoute({
    id: 'uploadFile',
    method: 'put',
    path: `${API_PREFIX}/files/upload/:token`,
    access: 'public',
    rateLimit: 'filePuts',
    summary:
      'The upload URL of `POST /files/upload-url`: the file’s bytes as the body, with the declared Content-Type, no larger than declared (at most 10 MB, else 413). Holding the URL is the permission: an altered or expired one is 401 1001, answered before any of the body is read. Limited per client address (`RATE_LIMIT_FILE_PUTS_PER_MIN`). Bytes that are not of the declared type are 422',
    tags: ['files'],
    params: TokenParams,
    rawBody: {
      contentTypes: UPLOAD_CONTENT_TYPES,
      description: 'The file, byte for byte, with the Content-Type declared when the URL was made.',
    },
    response: { status: 200, data: UploadedFileSchema },
    errors: ['INVALID_CREDENTIALS', 'CONFLICT', 'RATE_LIMIT_EXCEEDED', ...BACKEND],
  }),
  downloadFile: defineRoute({
    id: 'downloadFile',
    method: 'get',
    path: `${API_PREFIX}/files/download/:token`,
    access: 'public',
    summary:
      'A signed download URL (from `GET /admin/fulfillments`): the stored bytes with the content type they were uploaded as. An altered or expired URL is 401 1001',
    tags: ['files'],
    params: TokenParams,
    response: {
      status: 200,
      raw: { contentType: UPLOAD_CONTENT_TYPES, schema: z.string().meta({ format: 'binary' }) },
    },
    errors: ['INVALID_CREDENTIALS', 'NOT_FOUND', ...BACKEND],
  }),
  confirmFile: defineRoute({
    id: 'confirmFile',
    method: 'post',
    path: `${API_PREFIX}/files/confirm`,
    access: OPERATOR,
    apiKey: true,
    summary:
      "Confirm an uploaded file (its uploader's pharmacy): what was stored must be of the declared type, no larger than declared and match `checksum` when given (422 otherwise). Only confirmed files go into a proof; confirming again answers the same",
    tags: ['files'],
    body: ConfirmFileRequestSchema.omit({ caller: true }),
    response: { status: 200, data: ConfirmedFileSchema },
    errors: ['NOT_FOUND', 'PHARMACY_NOT_AVAILABLE', ...BACKEND],
  }),
  submitFulfillmentProof: defineRoute({
    id: 'submitFulfillmentProof',
    method: 'post',
    path: `${API_PREFIX}/fulfillment-proofs`,
    access: OPERATOR,
    apiKey: true,
    summary:
      'Submit proof of dispensing an order this pharmacy holds (it claimed it: DISPENSING, or REJECTED and held by it), with confirmed files of this pharmacy: the order goes to PENDING_REVIEW; the payout is the one fixed at the claim. Any other pharmacy (or an order not claimed yet) is 409 4003. A file backs one proof only: a file already used is 409 CONFLICT. If orders does not confirm in time: 502 5001 with `details.proofId` (submit again to resume). After a rejection the holder may submit again, with new files',
    tags: ['fulfillment'],
    body: SubmitProofRequestSchema.omit({ caller: true }),
    response: { status: 201, data: FulfillmentProofSchema },
    errors: [
      'ORDER_NOT_FOUND',
      'NOT_FOUND',
      'ORDER_ALREADY_CLAIMED',
      'INVALID_ORDER_STATUS',
      'CONFLICT',
      'PHARMACY_NOT_AVAILABLE',
      'EXTERNAL_SERVICE_ERROR',
      ...BACKEND,
    ],
  }),
  listFulfillments: defineRoute({
    id: 'listFulfillments',
    method: 'get',
    path: `${API_PREFIX}/admin/fulfillments`,
    access: ADMIN,
    summary: `Submitted proofs of dispensing, newest first, each file with a signed, expiring download URL.${SIGNED_URLS}`,
    tags: ['admin'],
    query: z.object({
      status: z.enum(PROOF_REVIEW_STATUSES).optional(),
      pharmacyId: Id.optional(),
      page,
      limit,
    }),
    response: { status: 200, data: z.array(FulfillmentProofSchema), paginated: true },
    errors: BACKEND,
  }),
  reviewFulfillment: defineRoute({
    id: 'reviewFulfillment',
    method: 'post',
    path: `${API_PREFIX}/admin/fulfillments/:id/review`,
    access: ADMIN,
    summary:
      'Approve (the order is FULFILLED and a settlement for the payout fixed at the claim opens) or reject (the order is REJECTED; the holding pharmacy may submit again until its hold, restarted now, lapses) a pending proof; a reviewed one is 409 2003',
    tags: ['admin'],
    params: IdParams,
    body: ReviewProofRequestSchema.pick({ decision: true, comments: true }),
    response: { status: 200, data: FulfillmentProofSchema },
    errors: ['NOT_FOUND', 'INVALID_ORDER_STATUS', 'EXTERNAL_SERVICE_ERROR', ...BACKEND],
  }),
} satisfies Record<string, RouteDef>;
