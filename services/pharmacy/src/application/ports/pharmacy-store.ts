import type { MessageDefinition } from '@prescriptchain/contracts';
import type { z } from 'zod';
import type { ProofContentType } from '../../domain/file-content';
import type { FulfillmentProof, ProofProps, ProofStatus } from '../../domain/fulfillment-proof';
import type { DeclaredSupply, OrderLine } from '../../domain/order-redemption';
import type { ServiceHours } from '../../domain/service-hours';
import type { CredentialJwk } from './credential-key-directory';

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
  /** The claim, as orders fixed it (null while nobody holds the order). */
  payoutCents: number | null;
  claimedAt: Date | null;
  holdExpiresAt: Date | null;
}

/** What a move of the order changes besides its status; an absent field is left as it is. */
export interface OrderHoldPatch {
  assignedPharmacyId?: string | null;
  payoutCents?: number | null;
  claimedAt?: Date | null;
  holdExpiresAt?: Date | null;
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

/** A proof as stored (the FulfillmentProof entity's snapshot). */
export type ProofRecord = ProofProps;

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

/** Who consumes which message (the inbox row an `…Once` write records with its effect). */
export interface InboxClaim {
  consumer: string;
  message: Pick<IncomingMessage, 'messageId' | 'type'>;
}

export interface OrderViewRepository {
  /** Creates or completes the order's row; the status moves to PAID only if nothing newer set it. */
  upsertPaid(data: PaidOrderData, occurredAt: Date): Promise<void>;
  /**
   * Moves the status unless a newer event already did (a stub row is created for an order not seen
   * yet), with what the move changes of the hold (absent fields are left as they are).
   */
  applyStatus(orderId: string, status: string, occurredAt: Date, hold?: OrderHoldPatch): Promise<void>;
  /**
   * `upsertPaid` for a consumed event, with the consumer's inbox claim, in ONE statement (atomic on
   * its own, no transaction needed): false when the consumer had already seen the message (nothing written).
   */
  upsertPaidOnce(inbox: InboxClaim, data: PaidOrderData, occurredAt: Date): Promise<boolean>;
  /** `applyStatus` for a consumed event with its inbox claim, in one statement; false for a redelivery. */
  applyStatusOnce(
    inbox: InboxClaim,
    orderId: string,
    status: string,
    occurredAt: Date,
    hold?: OrderHoldPatch,
  ): Promise<boolean>;
  /** The orders `pharmacyId` holds (or held) in one of `statuses`, most recently claimed first. */
  listHeldBy(
    pharmacyId: string,
    statuses: readonly string[],
    page: PageRequest,
  ): Promise<PageOf<OrderViewRecord>>;
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
  /**
   * Stores a new proof with its files. 'order-has-live-proof' (nothing written) when the order
   * already has a live (claiming/pending/approved) proof; CONFLICT when one of its files already
   * backs another proof (a file backs one proof only).
   */
  insert(proof: FulfillmentProof): Promise<'inserted' | 'order-has-live-proof'>;
  findById(id: string): Promise<ProofRecord | null>;
  /** The proof, locked until the transaction ends (`FOR UPDATE`), for a move of its lifecycle. */
  lock(id: string): Promise<FulfillmentProof | null>;
  /** Writes what the entity's moves changed; a failed proof's files are freed for another proof. */
  save(proof: FulfillmentProof): Promise<void>;
  findLiveForOrder(orderId: string): Promise<ProofRecord | null>;
  /**
   * Claiming proofs untouched since `olderThan`, leased (their `updatedAt` bumped) so another
   * instance's sweeper leaves them alone for a while.
   */
  leaseStaleClaims(olderThan: Date, limit: number, at: Date): Promise<ProofRecord[]>;
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
