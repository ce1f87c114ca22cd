import { z } from 'zod';

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

/** NUMERIC(12,2) holds at most 9,999,999,999.99. */
const MAX_CENTS = 999_999_999_999;

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
  wholesalePriceCents: z.number().int().nonnegative().max(MAX_CENTS),
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

export interface GeoPoint {
  lat: number;
  lng: number;
}

export interface PharmacyAddress {
  street: string;
  city: string;
  country: string;
  postalCode: string;
}

export interface PharmacyView {
  id: string;
  name: string;
  address: PharmacyAddress;
  location: GeoPoint;
  contact: { email: string; phone: string | null };
  licenseInfo: string | null;
  serviceHours: ServiceHours;
  locale: 'en' | 'zh';
  status: PharmacyStatusName;
  createdAt: string;
  updatedAt: string;
}

export interface PharmacyPageView {
  items: PharmacyView[];
  total: number;
  page: number;
  limit: number;
}

export interface InventoryView {
  pharmacyId: string;
  items: { medicineId: string; wholesalePriceCents: number; available: boolean; updatedAt: string }[];
}

export interface NearbyPharmacyView {
  id: string;
  name: string;
  address: PharmacyAddress;
  location: GeoPoint;
  /** Kilometres, rounded to 2 decimals. */
  distanceKm: number;
  canSupplyAll: boolean;
  /** Open now, by its service hours in Pacific/Auckland time. */
  openNow: boolean;
}

export interface NearbyPharmaciesView {
  pharmacies: NearbyPharmacyView[];
  searchCenter: GeoPoint;
  /** Kilometres. */
  searchRadius: number;
}

export interface ScannedOrderItemView {
  medicineId: string;
  name: string;
  pinyin: string;
  englishName: string;
  unit: string;
  /** Per pack, decimal string ("12.5"). */
  quantity: string;
  packs: number;
}

export interface ScanResultView {
  order: {
    id: string;
    platformOrderId: string;
    status: string;
    items: ScannedOrderItemView[];
    patientName: string;
    expiresAt: string;
  };
  /** Σ quantity × packs × this pharmacy's declared wholesale price, over the items it declares. */
  estimatedPayoutCents: number;
  currency: 'NZD';
  redeemable: boolean;
  /** Items this pharmacy does not declare as available (why `redeemable` may be false). */
  undeclaredMedicineIds: string[];
  /** Who holds the order: this pharmacy, another one, or nobody. */
  claimedBy: 'you' | 'another' | null;
}

/** A pharmacy's claim on an order (`POST /pharmacies/claims`, its release). */
export interface ClaimResultView {
  orderId: string;
  platformOrderId: string;
  pharmacyId: string;
  status: string;
  /** Fixed at the claim: min(Σ quantity × packs × declared wholesale price, the order's total). */
  payoutCents: number;
  currency: 'NZD';
  /** Null while the proof is under review, and after a release. */
  holdExpiresAt: string | null;
  claimedAt: string;
  /** This pharmacy held it already (HTTP 200 instead of 201). */
  alreadyHeld: boolean;
}

export interface ClaimListItemView {
  orderId: string;
  platformOrderId: string;
  status: string;
  payoutCents: number;
  currency: 'NZD';
  holdExpiresAt: string | null;
  claimedAt: string;
}

export interface ClaimPageView {
  items: ClaimListItemView[];
  total: number;
  page: number;
  limit: number;
}

export interface UploadUrlView {
  fileId: string;
  /** For the local store, relative to the gateway (`/api/v1/files/upload/<token>`); else absolute. */
  uploadUrl: string;
  method: 'PUT';
  headers: Record<string, string>;
  /** Seconds. */
  expiresIn: number;
}

/** What an upload URL allows: at most `maxBytes` (the declared size) of `contentType`. */
export interface UploadCheckView {
  fileId: string;
  maxBytes: number;
  contentType: string;
}

export interface PutFileView {
  fileId: string;
  size: number;
}

export interface StoredFileBytesView {
  fileId: string;
  fileName: string;
  contentType: UploadContentType;
  size: number;
  base64: string;
}

export interface ConfirmedFileView {
  fileId: string;
  status: 'confirmed';
  size: number;
  contentType: UploadContentType;
  /** sha256 hex of the stored bytes. */
  checksum: string;
}

export interface ProofFileView {
  fileId: string;
  fileName: string;
  contentType: UploadContentType;
  size: number;
  /** Signed; relative to the gateway for the local store. Present in admin listings. */
  downloadUrl?: string;
  expiresIn?: number;
}

export interface ProofView {
  id: string;
  orderId: string;
  pharmacyId: string;
  reviewStatus: ProofReviewStatus;
  payoutCents: number;
  currency: 'NZD';
  notes: string | null;
  files: ProofFileView[];
  submittedBy: string;
  submittedAt: string;
  reviewerId: string | null;
  reviewComments: string | null;
  reviewedAt: string | null;
}

export interface ProofPageView {
  items: ProofView[];
  total: number;
  page: number;
  limit: number;
}
