import { z } from 'zod';
import { CentsSchema, CurrencySchema } from '../money';
import { ORDER_STATUSES } from './orders.rpc';

/**
 * The requests pharmacy answers on `pharmacy.rpc` (sent by the gateway) and their inputs. Wherever
 * role or ownership matters the gateway sends the authenticated caller as `caller`; pharmacy checks
 * it again against its own operator → pharmacy links (learnt from identity.pharmacy_operator.linked).
 * Money is integer cents here; the gateway formats "12.34" with `currency`.
 */
export const PHARMACY_RPC = {
  /** Admin: `CreatePharmacyRequest` → PharmacyView. Without `location` the address is geocoded. */
  createPharmacy: 'pharmacy.pharmacies.create',
  listPharmacies: 'pharmacy.pharmacies.list',
  getPharmacy: 'pharmacy.pharmacies.get',
  /** Admin: partial update; `status: suspended|active` included. */
  updatePharmacy: 'pharmacy.pharmacies.update',
  suspendPharmacy: 'pharmacy.pharmacies.suspend',
  /** `PUT /pharmacies/:id/inventory` (its operator) → InventoryView. */
  replaceInventory: 'pharmacy.inventory.replace',
  getInventory: 'pharmacy.inventory.get',
  /** Public: `GET /pharmacies/nearby` → NearbyPharmaciesView. */
  nearby: 'pharmacy.pharmacies.nearby',
  /** Operator: `POST /pharmacies/scan-credential` → ScanResultView, or 4002. Read-only. */
  scanCredential: 'pharmacy.credentials.scan',
  /** Operator: `POST /pharmacies/claims` (`PharmacyClaimRequest`) → ClaimResultView, or 4003 / 2003 / 4001 / 4002. */
  claimOrder: 'pharmacy.claims.create',
  /** Holding pharmacy's operator or admin: `POST /pharmacies/claims/:orderId/release` → ClaimResultView. */
  releaseClaim: 'pharmacy.claims.release',
  /** Operator: `GET /pharmacies/:id/claims` → ClaimPageView (the orders it holds). */
  listClaims: 'pharmacy.claims.list',
  /** Operator: `POST /files/upload-url` → UploadUrlView. */
  createUploadUrl: 'pharmacy.files.uploadUrl',
  /** The gateway's `PUT /files/upload/:token` forwarding the bytes (base64). */
  putFile: 'pharmacy.files.put',
  /**
   * The gateway, before it reads a byte of `PUT /files/upload/:token`: is the token ours, unexpired,
   * for uploading, and its file still open? → UploadCheckView (401 1001 / 409 CONFLICT otherwise).
   */
  checkUpload: 'pharmacy.files.checkUpload',
  /** The gateway's `GET /files/download/:token` → StoredFileBytesView. */
  getFile: 'pharmacy.files.get',
  /** Operator: `POST /files/confirm` → ConfirmedFileView. */
  confirmFile: 'pharmacy.files.confirm',
  /** Operator: `POST /fulfillment-proofs` → ProofView (reviewStatus pending). */
  submitProof: 'pharmacy.proofs.submit',
  /** Admin: `GET /admin/fulfillments` → ProofPageView (files with signed download URLs). */
  listProofs: 'pharmacy.proofs.list',
  /** Admin: `POST /admin/fulfillments/:id/review` → ProofView. */
  reviewProof: 'pharmacy.proofs.review',
} as const;

/** Largest file a pharmacy may upload (10 MiB). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const UPLOAD_CONTENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type UploadContentType = (typeof UPLOAD_CONTENT_TYPES)[number];
export const FILE_PURPOSES = ['fulfillment_proof'] as const;

export const PHARMACY_STATUSES = ['active', 'suspended'] as const;
export type PharmacyStatusName = (typeof PHARMACY_STATUSES)[number];
export const PROOF_REVIEW_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type ProofReviewStatus = (typeof PROOF_REVIEW_STATUSES)[number];
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const PharmacyCallerSchema = z.object({
  userId: z.uuid(),
  role: z.enum(['practitioner', 'pharmacy_operator', 'admin']),
  /** The pharmacy the gateway believes an operator acts for; pharmacy checks its own links. */
  pharmacyId: z.uuid().nullish(),
});
export type PharmacyCaller = z.infer<typeof PharmacyCallerSchema>;

const withCaller = <S extends z.ZodRawShape>(shape: S) =>
  z.object({ caller: PharmacyCallerSchema, ...shape });
const text = (max: number) => z.string().trim().min(1).max(max);
const page = z.coerce.number().int().min(1).default(1);
const limit = z.coerce.number().int().min(1).max(100).default(20);

/** A number, or a numeric string as it comes from a query string. Non-finite and blank are refused. */
const numeric = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^[+-]?(\d+(\.\d*)?|\.\d+)$/, 'must be a number')
    .transform(Number),
]);
export const LatitudeSchema = numeric.pipe(z.number().min(-90).max(90));
export const LongitudeSchema = numeric.pipe(z.number().min(-180).max(180));
export const GeoPointSchema = z.object({ lat: LatitudeSchema, lng: LongitudeSchema });

export const PharmacyAddressSchema = z.object({
  street: text(200),
  city: text(100),
  country: z.string().trim().min(2).max(100),
  postalCode: text(20),
});

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM (00:00–24:00)');
/** One opening interval, local time in Pacific/Auckland; `close` after `open` (24:00 = midnight). */
export const OpeningIntervalSchema = z
  .object({ open: clock, close: clock })
  .refine((i) => i.open < i.close, { message: 'close must be after open', path: ['close'] });
/** Opening hours per weekday (Pacific/Auckland time); a missing or empty day is closed. */
export const ServiceHoursSchema = z.partialRecord(z.enum(WEEKDAYS), z.array(OpeningIntervalSchema).max(4));
export type ServiceHours = z.infer<typeof ServiceHoursSchema>;

const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ()-]{5,32}$/, 'must be a phone number');
export const PharmacyContactSchema = z.object({ email: z.email().max(254), phone: phone.nullish() });

export const CreatePharmacyRequestSchema = withCaller({
  name: text(200),
  address: PharmacyAddressSchema,
  location: GeoPointSchema.nullish(),
  contact: PharmacyContactSchema,
  licenseInfo: text(500).nullish(),
  serviceHours: ServiceHoursSchema.nullish(),
  locale: z.enum(['en', 'zh']).optional(),
});
export type CreatePharmacyRequest = z.input<typeof CreatePharmacyRequestSchema>;

export const UpdatePharmacyRequestSchema = withCaller({
  pharmacyId: z.uuid(),
  name: text(200).optional(),
  /** A new address without `location` is geocoded again. */
  address: PharmacyAddressSchema.optional(),
  location: GeoPointSchema.optional(),
  contact: PharmacyContactSchema.optional(),
  licenseInfo: text(500).nullable().optional(),
  serviceHours: ServiceHoursSchema.nullable().optional(),
  locale: z.enum(['en', 'zh']).optional(),
  status: z.enum(PHARMACY_STATUSES).optional(),
});
export type UpdatePharmacyRequest = z.input<typeof UpdatePharmacyRequestSchema>;

export const PharmacyIdRequestSchema = withCaller({ pharmacyId: z.uuid() });
export type PharmacyIdRequest = z.input<typeof PharmacyIdRequestSchema>;

export const ListPharmaciesRequestSchema = withCaller({
  status: z.enum(PHARMACY_STATUSES).optional(),
  search: z.string().trim().max(200).optional(),
  page,
  limit,
});
export type ListPharmaciesRequest = z.input<typeof ListPharmaciesRequestSchema>;

export const InventoryItemInputSchema = z.object({
  medicineId: z.uuid(),
  /** Per unit of the medicine (per gram for herbs and granules), integer cents. */
  wholesalePriceCents: CentsSchema,
  available: z.boolean(),
});
export const ReplaceInventoryRequestSchema = withCaller({
  pharmacyId: z.uuid(),
  items: z
    .array(InventoryItemInputSchema)
    .max(2000)
    .refine(
      (items) => new Set(items.map((i) => i.medicineId)).size === items.length,
      'each medicineId at most once',
    ),
});
export type ReplaceInventoryRequest = z.input<typeof ReplaceInventoryRequestSchema>;

const medicineIdList = z
  .union([
    z.array(z.uuid()),
    z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.uuid())),
  ])
  .pipe(z.array(z.uuid()).max(100));

export const NearbyRequestSchema = z.object({
  lat: LatitudeSchema,
  lng: LongitudeSchema,
  radiusKm: numeric.pipe(z.number().positive().max(100)).default(10),
  limit: numeric.pipe(z.number().int().min(1).max(50)).default(20),
  /** Medicines the patient needs: `canSupplyAll` says whether a pharmacy declares all as available. */
  medicineIds: medicineIdList.optional(),
});
export type NearbyRequest = z.input<typeof NearbyRequestSchema>;

export const ScanCredentialRequestSchema = z.union([
  withCaller({ qrCodeData: z.string().trim().min(1).max(4096) }),
  withCaller({
    platformOrderId: z.string().trim().min(1).max(64),
    verificationCode: z
      .string()
      .trim()
      .regex(/^\d{6}$/, 'must be 6 digits'),
  }),
]);
export type ScanCredentialRequest = z.input<typeof ScanCredentialRequestSchema>;

/** A claim names the order the way a scan does: by its QR token or by number + code. */
export const PharmacyClaimRequestSchema = ScanCredentialRequestSchema;
export type PharmacyClaimRequest = ScanCredentialRequest;

export const PharmacyReleaseRequestSchema = withCaller({ orderId: z.uuid(), reason: text(500) });
export type PharmacyReleaseRequest = z.input<typeof PharmacyReleaseRequestSchema>;

/** The order states in which a pharmacy holds an order. */
export const CLAIM_STATUSES = ['DISPENSING', 'PENDING_REVIEW', 'REJECTED'] as const;
export const ListPharmacyClaimsRequestSchema = withCaller({
  pharmacyId: z.uuid(),
  status: z.enum(CLAIM_STATUSES).optional(),
  page,
  limit,
});
export type ListPharmacyClaimsRequest = z.input<typeof ListPharmacyClaimsRequestSchema>;

export const CreateUploadUrlRequestSchema = withCaller({
  fileName: text(255),
  contentType: z.enum(UPLOAD_CONTENT_TYPES),
  size: z.number().int().positive().max(MAX_UPLOAD_BYTES),
  purpose: z.enum(FILE_PURPOSES),
});
export type CreateUploadUrlRequest = z.input<typeof CreateUploadUrlRequestSchema>;

/** The token of a signed URL (no caller: holding the URL is the permission). */
const fileToken = z.string().min(10).max(2048);
export const PutFileRequestSchema = z.object({
  token: fileToken,
  /** At most MAX_UPLOAD_BYTES once decoded. */
  base64: z.string().max(Math.ceil(MAX_UPLOAD_BYTES / 3) * 4 + 4),
});
export type PutFileRequest = z.input<typeof PutFileRequestSchema>;
export const CheckUploadRequestSchema = z.object({ token: fileToken });
export type CheckUploadRequest = z.input<typeof CheckUploadRequestSchema>;
export const GetFileRequestSchema = z.object({ token: fileToken });
export type GetFileRequest = z.input<typeof GetFileRequestSchema>;

export const ConfirmFileRequestSchema = withCaller({
  fileId: z.uuid(),
  checksum: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be a sha256 hex digest')
    .optional(),
});
export type ConfirmFileRequest = z.input<typeof ConfirmFileRequestSchema>;

export const SubmitProofRequestSchema = withCaller({
  orderId: z.uuid(),
  fileIds: z
    .array(z.uuid())
    .min(1)
    .max(10)
    .refine((ids) => new Set(ids).size === ids.length, 'each fileId at most once'),
  notes: text(2000).nullish(),
});
export type SubmitProofRequest = z.input<typeof SubmitProofRequestSchema>;

export const ListProofsRequestSchema = withCaller({
  status: z.enum(PROOF_REVIEW_STATUSES).optional(),
  pharmacyId: z.uuid().optional(),
  page,
  limit,
});
export type ListProofsRequest = z.input<typeof ListProofsRequestSchema>;

export const ReviewProofRequestSchema = withCaller({
  proofId: z.uuid(),
  decision: z.enum(['approve', 'reject']),
  comments: text(2000).nullish(),
  /** The reviewing admin; must be the caller when given. */
  reviewerId: z.uuid().optional(),
});
export type ReviewProofRequest = z.input<typeof ReviewProofRequestSchema>;

// ---------------------------------------------------------------- replies
//
// What pharmacy answers, as schemas: the gateway reads every reply with them (a reply off contract
// is a 500, never half-formatted) and derives its HTTP shapes from them (`<name>Cents` → `<name>`
// as a "12.34" string; descriptions are carried into the OpenAPI document).

const Id = z.uuid();
const Timestamp = z.iso.datetime();
const ContentType = z.enum(UPLOAD_CONTENT_TYPES);
const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int().nonnegative(),
    page: z.number().int().positive(),
    limit: z.number().int().positive(),
  });

export const GeoPointViewSchema = z
  .object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) })
  .meta({ id: 'GeoPoint', description: 'WGS 84 degrees.' });
export type GeoPoint = z.infer<typeof GeoPointViewSchema>;
export type PharmacyAddress = z.output<typeof PharmacyAddressSchema>;

export const PharmacyViewSchema = z.object({
  id: Id,
  name: z.string(),
  address: PharmacyAddressSchema,
  location: GeoPointViewSchema,
  contact: z.object({ email: z.string(), phone: z.string().nullable() }),
  licenseInfo: z.string().nullable(),
  serviceHours: ServiceHoursSchema.meta({
    description:
      'Opening intervals per weekday (`mon`…`sun`), Pacific/Auckland wall-clock time; a missing day is closed.',
  }),
  locale: z.enum(['en', 'zh']).meta({ description: 'Language of the emails the pharmacy receives.' }),
  status: z.enum(PHARMACY_STATUSES),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type PharmacyView = z.infer<typeof PharmacyViewSchema>;

export const PharmacyPageViewSchema = pageOf(PharmacyViewSchema);
export type PharmacyPageView = z.infer<typeof PharmacyPageViewSchema>;

export const InventoryViewSchema = z.object({
  pharmacyId: Id,
  items: z.array(
    z.object({
      medicineId: Id,
      wholesalePriceCents: CentsSchema.meta({
        description: 'Per unit of the medicine (per gram for herbs and granules).',
      }),
      available: z.boolean(),
      updatedAt: Timestamp,
    }),
  ),
});
export type InventoryView = z.infer<typeof InventoryViewSchema>;

export const NearbyPharmacyViewSchema = z.object({
  id: Id,
  name: z.string(),
  address: PharmacyAddressSchema,
  location: GeoPointViewSchema,
  distanceKm: z.number().nonnegative().meta({ description: 'Kilometres, rounded to 2 decimals.' }),
  canSupplyAll: z.boolean().meta({
    description: 'Declares every medicine of `medicines` as available (true when none were asked for).',
  }),
  openNow: z.boolean().meta({ description: 'Open now by its service hours (Pacific/Auckland time).' }),
});
export type NearbyPharmacyView = z.infer<typeof NearbyPharmacyViewSchema>;

export const NearbyPharmaciesViewSchema = z.object({
  pharmacies: z.array(NearbyPharmacyViewSchema),
  searchCenter: GeoPointViewSchema,
  searchRadius: z.number().positive().meta({ description: 'Kilometres.' }),
});
export type NearbyPharmaciesView = z.infer<typeof NearbyPharmaciesViewSchema>;

export const ScannedOrderItemViewSchema = z.object({
  medicineId: Id,
  name: z.string(),
  pinyin: z.string(),
  englishName: z.string(),
  unit: z.string(),
  quantity: z.string().meta({ description: 'Per pack, in `unit`, as a decimal string ("12.5").' }),
  packs: z.number().int().positive(),
});
export type ScannedOrderItemView = z.infer<typeof ScannedOrderItemViewSchema>;

export const ScanResultViewSchema = z.object({
  order: z.object({
    id: Id,
    platformOrderId: z.string(),
    status: z.enum(ORDER_STATUSES),
    items: z.array(ScannedOrderItemViewSchema),
    patientName: z.string(),
    expiresAt: Timestamp,
  }),
  estimatedPayoutCents: CentsSchema.meta({
    description: "Σ quantity × packs × this pharmacy's declared wholesale price, over the items it declares.",
  }),
  currency: CurrencySchema,
  redeemable: z.boolean().meta({
    description:
      'This pharmacy may dispense it now: it declares every item as available and the order is PAID (anyone may claim it) or held by this pharmacy (DISPENSING, or REJECTED after its own proof); never while another pharmacy holds it.',
  }),
  undeclaredMedicineIds: z.array(Id).meta({
    description: 'Items this pharmacy does not declare as available (why `redeemable` may be false).',
  }),
  claimedBy: z.enum(['you', 'another']).nullable().meta({
    description:
      'Who holds the order (DISPENSING, PENDING_REVIEW or REJECTED): this pharmacy, another one, or nobody (null).',
  }),
});
export type ScanResultView = z.infer<typeof ScanResultViewSchema>;

/** A pharmacy's claim on an order (`POST /pharmacies/claims`, its release). */
export const ClaimResultViewSchema = z.object({
  orderId: Id,
  platformOrderId: z.string(),
  pharmacyId: Id.meta({ description: 'The pharmacy holding the order (after a release: the one that held it).' }),
  status: z.enum(ORDER_STATUSES),
  payoutCents: CentsSchema.meta({
    description:
      "Fixed at the claim for the life of the claim: min(Σ quantity × packs × this pharmacy's declared wholesale price, the order's totalAmount). The settlement pays exactly this.",
  }),
  currency: CurrencySchema,
  holdExpiresAt: Timestamp.nullable().meta({
    description:
      'Until when the pharmacy holds the order without (re)submitted proof (DISPENSING_HOLD_HOURS, 72 by default, from the claim or the rejection); then the order expires and the clinic is refunded. Null while its proof is under review, and after a release.',
  }),
  claimedAt: Timestamp,
  /** This pharmacy held it already (HTTP 200 instead of 201). */
  alreadyHeld: z.boolean(),
});
export type ClaimResultView = z.infer<typeof ClaimResultViewSchema>;

export const ClaimListItemViewSchema = z.object({
  orderId: Id,
  platformOrderId: z.string(),
  status: z.enum(ORDER_STATUSES),
  payoutCents: CentsSchema,
  currency: CurrencySchema,
  holdExpiresAt: Timestamp.nullable(),
  claimedAt: Timestamp,
});
export type ClaimListItemView = z.infer<typeof ClaimListItemViewSchema>;

export const ClaimPageViewSchema = pageOf(ClaimListItemViewSchema);
export type ClaimPageView = z.infer<typeof ClaimPageViewSchema>;

export const UploadUrlViewSchema = z.object({
  fileId: Id,
  /** For the local store, relative to the gateway (`/api/v1/files/upload/<token>`); else absolute. */
  uploadUrl: z
    .string()
    .meta({ description: 'Send the bytes here with `method` and `headers`, before `expiresIn` runs out.' }),
  method: z.literal('PUT'),
  headers: z.record(z.string(), z.string()),
  expiresIn: z.number().int().positive().meta({ description: 'Seconds.' }),
});
export type UploadUrlView = z.infer<typeof UploadUrlViewSchema>;

/** What an upload URL allows: at most `maxBytes` (the declared size) of `contentType`. */
export const UploadCheckViewSchema = z.object({
  fileId: Id,
  maxBytes: z.number().int().positive(),
  contentType: z.string(),
});
export type UploadCheckView = z.infer<typeof UploadCheckViewSchema>;

export const PutFileViewSchema = z.object({
  fileId: Id,
  size: z.number().int().positive().meta({ description: 'Bytes received.' }),
});
export type PutFileView = z.infer<typeof PutFileViewSchema>;

export const StoredFileBytesViewSchema = z.object({
  fileId: Id,
  fileName: z.string(),
  contentType: ContentType,
  size: z.number().int().nonnegative(),
  base64: z.string(),
});
export type StoredFileBytesView = z.infer<typeof StoredFileBytesViewSchema>;

export const ConfirmedFileViewSchema = z.object({
  fileId: Id,
  status: z.literal('confirmed'),
  size: z.number().int().positive(),
  contentType: ContentType,
  checksum: z.string().meta({ description: 'sha256 hex of the stored bytes.' }),
});
export type ConfirmedFileView = z.infer<typeof ConfirmedFileViewSchema>;

export const ProofFileViewSchema = z.object({
  fileId: Id,
  fileName: z.string(),
  contentType: ContentType,
  size: z.number().int().nonnegative(),
  /** Signed; relative to the gateway for the local store. Present in admin listings. */
  downloadUrl: z.string().optional().meta({ description: 'Signed and expiring (admin listings only).' }),
  expiresIn: z
    .number()
    .int()
    .positive()
    .optional()
    .meta({ description: 'Seconds the download URL stays valid.' }),
});
export type ProofFileView = z.infer<typeof ProofFileViewSchema>;

export const ProofViewSchema = z.object({
  id: Id,
  orderId: Id,
  pharmacyId: Id,
  reviewStatus: z.enum(PROOF_REVIEW_STATUSES),
  payoutCents: CentsSchema.meta({
    description:
      'What the pharmacy is owed once approved: the payout fixed when it claimed the order (never above what the clinic paid).',
  }),
  currency: CurrencySchema,
  notes: z.string().nullable(),
  files: z.array(ProofFileViewSchema),
  submittedBy: Id,
  submittedAt: Timestamp,
  reviewerId: Id.nullable(),
  reviewComments: z.string().nullable(),
  reviewedAt: Timestamp.nullable(),
});
export type ProofView = z.infer<typeof ProofViewSchema>;

export const ProofPageViewSchema = pageOf(ProofViewSchema);
export type ProofPageView = z.infer<typeof ProofPageViewSchema>;
