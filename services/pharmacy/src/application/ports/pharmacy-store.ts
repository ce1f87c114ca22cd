import type { MessageDefinition } from '@prescriptchain/contracts';
import type { z } from 'zod';
import type { ProofContentType } from '../../domain/file-content';
import type { ProofStatus } from '../../domain/fulfillment-proof';
import type { DeclaredSupply, OrderLine } from '../../domain/order-redemption';
import type { ServiceHours } from '../../domain/service-hours';
import type { CredentialJwk } from './order-fulfilment';

// ---------------------------------------------------------------- records

export type PharmacyStatus = 'active' | 'suspended';

export interface PharmacyRecord {
  id: string;
  name: string;
  address: { street: string; city: string; country: string; postalCode: string };
  location: { lat: number; lng: number };
  contactEmail: string;
  contactPhone: string | null;
  licenseInfo: string | null;
  serviceHours: ServiceHours;
  locale: 'en' | 'zh';
  status: PharmacyStatus;
  createdAt: Date;
  updatedAt: Date;
}

export type PharmacyData = Omit<PharmacyRecord, 'createdAt' | 'updatedAt'>;

export interface NearbyQuery {
  lat: number;
  lng: number;
  radiusMeters: number;
  limit: number;
  /** Distinct ids; empty = none requested. */
  medicineIds: string[];
}

export interface NearbyRow {
  pharmacy: Pick<PharmacyRecord, 'id' | 'name' | 'address' | 'location' | 'serviceHours'>;
  distanceMeters: number;
  /** How many of the requested medicines it declares as available. */
  suppliedCount: number;
}

export interface InventoryRecord {
  medicineId: string;
  priceCents: number;
  available: boolean;
  updatedAt: Date;
}

export interface OrderViewRecord {
  orderId: string;
  platformOrderId: string | null;
  status: string;
  statusAt: Date;
  items: OrderLine[];
  /** Decrypted. */
  patientName: string | null;
  expiresAt: Date | null;
  assignedPharmacyId: string | null;
  verificationCodeHash: string | null;
  credentialKid: string | null;
}

export interface PaidOrderData {
  orderId: string;
  platformOrderId: string;
  items: OrderLine[];
  patientName: string;
  expiresAt: Date;
  verificationCodeHash: string | null;
  credentialKid: string | null;
}

export type ScanMethod = 'qr' | 'code';
export type ScanOutcome = 'verified' | 'invalid_credential' | 'locked' | 'rate_limited';

export interface ScanEntry {
  pharmacyId: string;
  operatorId: string;
  orderId: string | null;
  method: ScanMethod;
  outcome: ScanOutcome;
  at: Date;
}

export interface StoredFileRecord {
  id: string;
  pharmacyId: string;
  uploaderId: string;
  fileName: string;
  contentType: ProofContentType;
  declaredSize: number;
  size: number | null;
  sha256: string | null;
  storageKey: string;
  purpose: string;
  status: 'pending' | 'confirmed';
  createdAt: Date;
  confirmedAt: Date | null;
}

export interface ProofRecord {
  id: string;
  orderId: string;
  pharmacyId: string;
  submittedBy: string;
  status: ProofStatus;
  payoutCents: number;
  notes: string | null;
  fileIds: string[];
  claimAttempts: number;
  lastClaimError: string | null;
  reviewerId: string | null;
  reviewComments: string | null;
  reviewedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface PageRequest {
  page: number;
  limit: number;
}

export interface PageOf<T> {
  items: T[];
  total: number;
}

/** The message being handled: the inbox keys on it; what it causes is correlated to it. */
export interface IncomingMessage {
  messageId: string;
  type: string;
  correlationId: string;
  occurredAt: string;
}

// ---------------------------------------------------------------- repositories

export interface PharmacyRepository {
  insert(data: PharmacyData, at: Date): Promise<PharmacyRecord>;
  update(data: PharmacyData, at: Date): Promise<PharmacyRecord>;
  findById(id: string, options?: { forUpdate?: boolean }): Promise<PharmacyRecord | null>;
  list(
    filter: { status?: PharmacyStatus; search?: string },
    page: PageRequest,
  ): Promise<PageOf<PharmacyRecord>>;
  /** Active pharmacies within the radius, nearest first. */
  nearby(query: NearbyQuery): Promise<NearbyRow[]>;
}

export interface OperatorRepository {
  /** Records the link unless a newer one (by `linkedAt`) is already there; true when it changed. */
  link(link: { userId: string; pharmacyId: string; linkedBy: string; linkedAt: Date }): Promise<boolean>;
  pharmacyOf(userId: string): Promise<string | null>;
}

export interface InventoryRepository {
  replace(
    pharmacyId: string,
    items: { medicineId: string; priceCents: number; available: boolean }[],
    at: Date,
  ): Promise<void>;
  list(pharmacyId: string): Promise<InventoryRecord[]>;
  declared(pharmacyId: string, medicineIds: readonly string[]): Promise<Map<string, DeclaredSupply>>;
}

export interface OrderViewRepository {
  /** Creates or completes the order's row; the status moves to PAID only if nothing newer set it. */
  upsertPaid(data: PaidOrderData, occurredAt: Date): Promise<void>;
  /**
   * Moves the status unless a newer event already did (a stub row is created for an order not seen
   * yet). `assignedPharmacyId` undefined = leave as is.
   */
  applyStatus(
    orderId: string,
    status: string,
    occurredAt: Date,
    assignedPharmacyId?: string | null,
  ): Promise<void>;
  findById(orderId: string, options?: { forUpdate?: boolean }): Promise<OrderViewRecord | null>;
  findByPlatformOrderId(
    platformOrderId: string,
    options?: { forUpdate?: boolean },
  ): Promise<OrderViewRecord | null>;
}

export interface CredentialKeyRepository {
  save(jwk: CredentialJwk): Promise<void>;
  find(kid: string): Promise<CredentialJwk | null>;
  count(): Promise<number>;
}

export interface ScanRepository {
  record(entry: ScanEntry): Promise<void>;
  /** Times of wrong codes typed for the order after `since` and after its last correct code. */
  codeFailuresForOrder(orderId: string, since: Date): Promise<Date[]>;
  /** Times of wrong codes (any order, or none) the pharmacy typed after `since`. */
  codeFailuresForPharmacy(pharmacyId: string, since: Date): Promise<Date[]>;
}

export interface FileRepository {
  insert(file: Omit<StoredFileRecord, 'size' | 'sha256' | 'status' | 'confirmedAt'>): Promise<void>;
  findById(id: string, options?: { forUpdate?: boolean }): Promise<StoredFileRecord | null>;
  findMany(ids: readonly string[]): Promise<StoredFileRecord[]>;
  markConfirmed(id: string, confirmed: { size: number; sha256: string; at: Date }): Promise<void>;
}

export interface ProofRepository {
  /** Inserts a `claiming` proof; false when the order already has a live (claiming/pending/approved) one. */
  insertClaiming(proof: {
    id: string;
    orderId: string;
    pharmacyId: string;
    submittedBy: string;
    payoutCents: number;
    notes: string | null;
    fileIds: string[];
    at: Date;
  }): Promise<boolean>;
  findById(id: string, options?: { forUpdate?: boolean }): Promise<ProofRecord | null>;
  findLiveForOrder(orderId: string): Promise<ProofRecord | null>;
  /** claiming → pending|failed; false when it was no longer claiming. */
  resolveClaim(id: string, outcome: 'pending' | 'failed', error: string | null, at: Date): Promise<boolean>;
  noteClaimAttempt(id: string, error: string | null, at: Date): Promise<void>;
  /**
   * Claiming proofs untouched since `olderThan`, leased (their `updatedAt` bumped) so another
   * instance's sweeper leaves them alone for a while.
   */
  leaseStaleClaims(olderThan: Date, limit: number, at: Date): Promise<ProofRecord[]>;
  markReviewed(
    id: string,
    review: { status: 'approved' | 'rejected'; reviewerId: string; comments: string | null; at: Date },
  ): Promise<void>;
  list(
    filter: { statuses: ProofStatus[]; pharmacyId?: string },
    page: PageRequest,
  ): Promise<PageOf<ProofRecord>>;
}

export interface PharmacyRepositories {
  pharmacies: PharmacyRepository;
  operators: OperatorRepository;
  inventory: InventoryRepository;
  orders: OrderViewRepository;
  credentialKeys: CredentialKeyRepository;
  scans: ScanRepository;
  files: FileRepository;
  proofs: ProofRepository;
}

export interface PharmacyTx extends PharmacyRepositories {
  /** true the first time this consumer sees the message (recorded in this transaction). */
  claimInbox(consumer: string, message: IncomingMessage): Promise<boolean>;
  /** Outboxes an event, committed with the transaction. */
  publish<S extends z.ZodType>(
    definition: MessageDefinition<S>,
    payload: z.input<S>,
    cause?: { correlationId: string; causationId: string | null },
  ): Promise<void>;
}

/** Pharmacy's own database (and, through `publish`, its outbox). */
export abstract class PharmacyStore {
  /** `timeoutMs` bounds the whole transaction (default 5 s). */
  abstract transaction<R>(fn: (tx: PharmacyTx) => Promise<R>, options?: { timeoutMs?: number }): Promise<R>;
  /** Repositories outside any transaction (single reads and writes). */
  abstract readonly read: PharmacyRepositories;
}
