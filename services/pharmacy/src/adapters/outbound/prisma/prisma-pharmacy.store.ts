import type { MessageDefinition } from '@prescriptchain/contracts';
import { Inbox, type Outbox, type PiiCipher, type SqlExecutor } from '@prescriptchain/messaging';
import type { z } from 'zod';
import type {
  CredentialKeyRepository,
  FileRepository,
  IncomingMessage,
  InventoryRecord,
  InventoryRepository,
  NearbyQuery,
  NearbyRow,
  OperatorRepository,
  OrderHoldPatch,
  OrderViewRecord,
  OrderViewRepository,
  PageOf,
  PageRequest,
  PaidOrderData,
  PharmacyData,
  PharmacyRecord,
  PharmacyRepositories,
  PharmacyRepository,
  PharmacyStatus,
  PharmacyStore,
  PharmacyTx,
  ProofRecord,
  ProofRepository,
  ScanEntry,
  ScanRepository,
  StoredFileRecord,
} from '../../../application/ports/pharmacy-store';
import type { CredentialJwk } from '../../../application/ports/order-fulfilment';
import { CodedError } from '@prescriptchain/contracts';
import { FulfillmentProof, type ProofStatus } from '../../../domain/fulfillment-proof';
import { centsToDecimal, decimalToCents } from '../../../domain/money';
import type { DeclaredSupply, OrderLine } from '../../../domain/order-redemption';
import { queryNearbyPharmacies } from './nearby-pharmacies.query';
import type { PharmacyPrismaService } from './pharmacy-prisma.service';

type Row = Record<string, any>;

const iso = (d: Date) => d.toISOString();
/** uuids as one comma-separated parameter: Prisma's raw parameters and arrays do not mix reliably. */
const idList = (ids: readonly string[]) => ids.join(',');

const PHARMACY_COLUMNS = `id, name, street, city, country, postal_code, contact_email, contact_phone, license_info,
  service_hours, locale, status, created_at, updated_at,
  ST_Y(location::geometry) AS lat, ST_X(location::geometry) AS lng`;

function toPharmacy(r: Row): PharmacyRecord {
  return {
    id: r.id,
    name: r.name,
    address: { street: r.street, city: r.city, country: r.country, postalCode: r.postal_code },
    location: { lat: Number(r.lat), lng: Number(r.lng) },
    contactEmail: r.contact_email,
    contactPhone: r.contact_phone,
    licenseInfo: r.license_info,
    serviceHours: r.service_hours ?? {},
    locale: r.locale,
    status: r.status,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

class SqlPharmacyRepository implements PharmacyRepository {
  constructor(private readonly db: SqlExecutor) {}

  async insert(p: PharmacyData, at: Date): Promise<PharmacyRecord> {
    const rows = await this.db.$queryRawUnsafe<Row[]>(
      `INSERT INTO pharmacy (id, name, street, city, country, postal_code, location, contact_email, contact_phone,
                             license_info, service_hours, locale, status, created_at, updated_at)
       VALUES ($1::uuid, $2, $3, $4, $5, $6, ST_SetSRID(ST_MakePoint($8::float8, $7::float8), 4326)::geography,
               $9, $10, $11, $12::jsonb, $13, $14, $15::timestamptz, $15::timestamptz)
       RETURNING ${PHARMACY_COLUMNS}`,
      ...this.values(p),
      iso(at),
    );
    return toPharmacy(rows[0]);
  }

  async update(p: PharmacyData, at: Date): Promise<PharmacyRecord> {
    const rows = await this.db.$queryRawUnsafe<Row[]>(
      `UPDATE pharmacy SET name = $2, street = $3, city = $4, country = $5, postal_code = $6,
              location = ST_SetSRID(ST_MakePoint($8::float8, $7::float8), 4326)::geography,
              contact_email = $9, contact_phone = $10, license_info = $11, service_hours = $12::jsonb,
              locale = $13, status = $14, updated_at = $15::timestamptz
        WHERE id = $1::uuid
       RETURNING ${PHARMACY_COLUMNS}`,
      ...this.values(p),
      iso(at),
    );
    return toPharmacy(rows[0]);
  }

  private values(p: PharmacyData): unknown[] {
    return [
      p.id,
      p.name,
      p.address.street,
      p.address.city,
      p.address.country,
      p.address.postalCode,
      p.location.lat,
      p.location.lng,
      p.contactEmail,
      p.contactPhone,
      p.licenseInfo,
      JSON.stringify(p.serviceHours ?? {}),
      p.locale,
      p.status,
    ];
  }

  async findById(id: string, options: { forUpdate?: boolean } = {}): Promise<PharmacyRecord | null> {
    const rows = await this.db.$queryRawUnsafe<Row[]>(
      `SELECT ${PHARMACY_COLUMNS} FROM pharmacy WHERE id = $1::uuid${options.forUpdate ? ' FOR UPDATE' : ''}`,
      id,
    );
    return rows[0] ? toPharmacy(rows[0]) : null;
  }

  async list(
    filter: { status?: PharmacyStatus; search?: string },
    page: PageRequest,
  ): Promise<PageOf<PharmacyRecord>> {
    const where = `WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR name ILIKE '%' || $2 || '%' OR city ILIKE '%' || $2 || '%')`;
    const search = filter.search ? filter.search.replace(/[\\%_]/g, (c) => `\\${c}`) : null;
    const [rows, count] = await Promise.all([
      this.db.$queryRawUnsafe<Row[]>(
        `SELECT ${PHARMACY_COLUMNS} FROM pharmacy ${where} ORDER BY name, id LIMIT $3::int OFFSET $4::bigint`,
        filter.status ?? null,
        search,
        page.limit,
        (page.page - 1) * page.limit,
      ),
      this.db.$queryRawUnsafe<Row[]>(
        `SELECT count(*)::int AS n FROM pharmacy ${where}`,
        filter.status ?? null,
        search,
      ),
    ]);
    return { items: rows.map(toPharmacy), total: Number(count[0].n) };
  }

  nearby(q: NearbyQuery): Promise<NearbyRow[]> {
    return queryNearbyPharmacies(this.db, q);
  }
}

class SqlOperatorRepository implements OperatorRepository {
  constructor(private readonly db: SqlExecutor) {}

  async link(l: { userId: string; pharmacyId: string; linkedBy: string; linkedAt: Date }): Promise<boolean> {
    const n = await this.db.$executeRawUnsafe(
      `INSERT INTO pharmacy_operator (user_id, pharmacy_id, linked_by, linked_at)
       VALUES ($1::uuid, $2::uuid, $3::uuid, $4::timestamptz)
       ON CONFLICT (user_id) DO UPDATE SET pharmacy_id = EXCLUDED.pharmacy_id, linked_by = EXCLUDED.linked_by,
                                           linked_at = EXCLUDED.linked_at
        WHERE pharmacy_operator.linked_at <= EXCLUDED.linked_at`,
      l.userId,
      l.pharmacyId,
      l.linkedBy,
      iso(l.linkedAt),
    );
    return Number(n) === 1;
  }

  async pharmacyOf(userId: string): Promise<string | null> {
    const rows = await this.db.$queryRawUnsafe<Row[]>(
      'SELECT pharmacy_id FROM pharmacy_operator WHERE user_id = $1::uuid',
      userId,
    );
    return rows[0]?.pharmacy_id ?? null;
  }
}

class SqlInventoryRepository implements InventoryRepository {
  constructor(private readonly db: SqlExecutor) {}

  async replace(
    pharmacyId: string,
    items: { medicineId: string; priceCents: number; available: boolean }[],
    at: Date,
  ): Promise<void> {
    await this.db.$executeRawUnsafe('DELETE FROM inventory_item WHERE pharmacy_id = $1::uuid', pharmacyId);
    if (items.length === 0) return;
    const json = JSON.stringify(
      items.map((i) => ({ m: i.medicineId, p: centsToDecimal(i.priceCents), a: i.available })),
    );
    await this.db.$executeRawUnsafe(
      `INSERT INTO inventory_item (pharmacy_id, medicine_id, wholesale_price, available, updated_at)
       SELECT $1::uuid, x.m::uuid, x.p::numeric(12,2), x.a, $3::timestamptz
         FROM jsonb_to_recordset($2::jsonb) AS x(m text, p text, a boolean)`,
      pharmacyId,
      json,
      iso(at),
    );
  }

  async list(pharmacyId: string): Promise<InventoryRecord[]> {
    const rows = await this.db.$queryRawUnsafe<Row[]>(
      `SELECT medicine_id, wholesale_price::text AS price, available, updated_at
         FROM inventory_item WHERE pharmacy_id = $1::uuid ORDER BY medicine_id`,
      pharmacyId,
    );
    return rows.map((r) => ({
      medicineId: r.medicine_id,
      priceCents: decimalToCents(r.price),
      available: r.available,
      updatedAt: new Date(r.updated_at),
    }));
  }

  async declared(pharmacyId: string, medicineIds: readonly string[]): Promise<Map<string, DeclaredSupply>> {
    if (medicineIds.length === 0) return new Map();
    const rows = await this.db.$queryRawUnsafe<Row[]>(
      `SELECT medicine_id, wholesale_price::text AS price, available FROM inventory_item
        WHERE pharmacy_id = $1::uuid AND medicine_id = ANY(string_to_array($2, ',')::uuid[])`,
      pharmacyId,
      idList([...new Set(medicineIds)]),
    );
    return new Map(
      rows.map((r) => [r.medicine_id, { priceCents: decimalToCents(r.price), available: r.available }]),
    );
  }
}

const ORDER_VIEW_COLUMNS = `order_id, platform_order_id, status, status_at, items, patient_name_enc, expires_at,
  assigned_pharmacy_id, verification_code_hash, credential_kid, payout::text AS payout, claimed_at, hold_expires_at`;

class SqlOrderViewRepository implements OrderViewRepository {
  constructor(
    private readonly db: SqlExecutor,
    private readonly cipher: PiiCipher,
  ) {}

  async upsertPaid(d: PaidOrderData, occurredAt: Date): Promise<void> {
    await this.db.$executeRawUnsafe(
      `INSERT INTO order_view (order_id, platform_order_id, status, status_at, items, patient_name_enc, expires_at,
                               verification_code_hash, credential_kid, updated_at)
       VALUES ($1::uuid, $2, 'PAID', $3::timestamptz, $4::jsonb, $5, $6::timestamptz, $7, $8, now())
       ON CONFLICT (order_id) DO UPDATE SET
         platform_order_id = EXCLUDED.platform_order_id, items = EXCLUDED.items,
         patient_name_enc = EXCLUDED.patient_name_enc, expires_at = EXCLUDED.expires_at,
         verification_code_hash = EXCLUDED.verification_code_hash, credential_kid = EXCLUDED.credential_kid,
         status = CASE WHEN order_view.status_at <= EXCLUDED.status_at THEN 'PAID' ELSE order_view.status END,
         status_at = GREATEST(order_view.status_at, EXCLUDED.status_at),
         updated_at = now()`,
      d.orderId,
      d.platformOrderId,
      iso(occurredAt),
      JSON.stringify(d.items),
      this.cipher.encrypt(d.patientName),
      iso(d.expiresAt),
      d.verificationCodeHash,
      d.credentialKid,
    );
  }

  async applyStatus(
    orderId: string,
    status: string,
    occurredAt: Date,
    hold: OrderHoldPatch = {},
  ): Promise<void> {
    const has = (k: keyof OrderHoldPatch) => hold[k] !== undefined;
    await this.db.$executeRawUnsafe(
      `INSERT INTO order_view (order_id, status, status_at, assigned_pharmacy_id, payout, claimed_at, hold_expires_at, updated_at)
       VALUES ($1::uuid, $2, $3::timestamptz, $4::uuid, $6::numeric(12,2), $8::timestamptz, $10::timestamptz, now())
       ON CONFLICT (order_id) DO UPDATE SET
         status = EXCLUDED.status, status_at = EXCLUDED.status_at,
         assigned_pharmacy_id = CASE WHEN $5::boolean THEN EXCLUDED.assigned_pharmacy_id ELSE order_view.assigned_pharmacy_id END,
         payout = CASE WHEN $7::boolean THEN EXCLUDED.payout ELSE order_view.payout END,
         claimed_at = CASE WHEN $9::boolean THEN EXCLUDED.claimed_at ELSE order_view.claimed_at END,
         hold_expires_at = CASE WHEN $11::boolean THEN EXCLUDED.hold_expires_at ELSE order_view.hold_expires_at END,
         updated_at = now()
        WHERE order_view.status_at <= EXCLUDED.status_at`,
      orderId,
      status,
      iso(occurredAt),
      hold.assignedPharmacyId ?? null,
      has('assignedPharmacyId'),
      hold.payoutCents == null ? null : centsToDecimal(hold.payoutCents),
      has('payoutCents'),
      hold.claimedAt ? iso(hold.claimedAt) : null,
      has('claimedAt'),
      hold.holdExpiresAt ? iso(hold.holdExpiresAt) : null,
      has('holdExpiresAt'),
    );
  }

  async listHeldBy(
    pharmacyId: string,
    statuses: readonly string[],
    page: PageRequest,
  ): Promise<PageOf<OrderViewRecord>> {
    const where = `assigned_pharmacy_id = $1::uuid AND status = ANY(string_to_array($2, ',')) AND platform_order_id IS NOT NULL`;
    const [rows, count] = await Promise.all([
      this.db.$queryRawUnsafe<Row[]>(
        `SELECT ${ORDER_VIEW_COLUMNS} FROM order_view WHERE ${where}
          ORDER BY claimed_at DESC NULLS LAST, order_id LIMIT $3::int OFFSET $4::int`,
        pharmacyId,
        statuses.join(','),
        page.limit,
        (page.page - 1) * page.limit,
      ),
      this.db.$queryRawUnsafe<Row[]>(
        `SELECT count(*)::int AS n FROM order_view WHERE ${where}`,
        pharmacyId,
        statuses.join(','),
      ),
    ]);
    return { items: rows.map((r) => this.toRecord(r)), total: Number(count[0].n) };
  }

  findById(orderId: string, options: { forUpdate?: boolean } = {}): Promise<OrderViewRecord | null> {
    return this.findOne('order_id = $1::uuid', orderId, options.forUpdate);
  }

  findByPlatformOrderId(
    platformOrderId: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<OrderViewRecord | null> {
    return this.findOne('platform_order_id = $1', platformOrderId, options.forUpdate);
  }

  private async findOne(where: string, value: string, forUpdate = false): Promise<OrderViewRecord | null> {
    const rows = await this.db.$queryRawUnsafe<Row[]>(
      `SELECT ${ORDER_VIEW_COLUMNS} FROM order_view WHERE ${where}${forUpdate ? ' FOR UPDATE' : ''}`,
      value,
    );
    return rows[0] ? this.toRecord(rows[0]) : null;
  }

  private toRecord(r: Row): OrderViewRecord {
    return {
      orderId: r.order_id,
      platformOrderId: r.platform_order_id,
      status: r.status,
      statusAt: new Date(r.status_at),
      items: (r.items ?? []) as OrderLine[],
      patientName: r.patient_name_enc === null ? null : this.cipher.decrypt(r.patient_name_enc),
      expiresAt: r.expires_at === null ? null : new Date(r.expires_at),
      assignedPharmacyId: r.assigned_pharmacy_id,
      verificationCodeHash: r.verification_code_hash,
      credentialKid: r.credential_kid,
      payoutCents: r.payout === null ? null : decimalToCents(r.payout),
      claimedAt: r.claimed_at === null ? null : new Date(r.claimed_at),
      holdExpiresAt: r.hold_expires_at === null ? null : new Date(r.hold_expires_at),
    };
  }
}

class SqlCredentialKeyRepository implements CredentialKeyRepository {
  constructor(private readonly db: SqlExecutor) {}

  async save(jwk: CredentialJwk): Promise<void> {
    await this.db.$executeRawUnsafe(
      'INSERT INTO credential_key (kid, jwk) VALUES ($1, $2::jsonb) ON CONFLICT (kid) DO NOTHING',
      jwk.kid,
      JSON.stringify(jwk),
    );
  }

  async find(kid: string): Promise<CredentialJwk | null> {
    const rows = await this.db.$queryRawUnsafe<Row[]>('SELECT jwk FROM credential_key WHERE kid = $1', kid);
    return (rows[0]?.jwk as CredentialJwk | undefined) ?? null;
  }

  async count(): Promise<number> {
    const rows = await this.db.$queryRawUnsafe<Row[]>('SELECT count(*)::int AS n FROM credential_key');
    return Number(rows[0].n);
  }
}

class SqlScanRepository implements ScanRepository {
  constructor(private readonly db: SqlExecutor) {}

  async record(e: ScanEntry): Promise<void> {
    await this.db.$executeRawUnsafe(
      `INSERT INTO scan_log (id, pharmacy_id, operator_id, order_id, method, outcome, at)
       VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid, $4, $5, $6::timestamptz)`,
      e.pharmacyId,
      e.operatorId,
      e.orderId,
      e.method,
      e.outcome,
      iso(e.at),
    );
  }

  async codeFailuresForOrder(orderId: string, since: Date): Promise<Date[]> {
    const rows = await this.db.$queryRawUnsafe<Row[]>(
      `SELECT at FROM scan_log
        WHERE order_id = $1::uuid AND method = 'code' AND outcome = 'invalid_credential' AND at > $2::timestamptz
          AND at > COALESCE((SELECT max(at) FROM scan_log
                              WHERE order_id = $1::uuid AND method = 'code' AND outcome = 'verified'), '-infinity')
        ORDER BY at`,
      orderId,
      iso(since),
    );
    return rows.map((r) => new Date(r.at));
  }

  async codeFailuresForPharmacy(pharmacyId: string, since: Date): Promise<Date[]> {
    const rows = await this.db.$queryRawUnsafe<Row[]>(
      `SELECT at FROM scan_log
        WHERE pharmacy_id = $1::uuid AND method = 'code' AND outcome = 'invalid_credential' AND at > $2::timestamptz
        ORDER BY at`,
      pharmacyId,
      iso(since),
    );
    return rows.map((r) => new Date(r.at));
  }
}

function toFile(r: Row): StoredFileRecord {
  return {
    id: r.id,
    pharmacyId: r.pharmacy_id,
    uploaderId: r.uploader_id,
    fileName: r.file_name,
    contentType: r.content_type,
    declaredSize: Number(r.declared_size),
    size: r.size === null ? null : Number(r.size),
    sha256: r.sha256,
    storageKey: r.storage_key,
    purpose: r.purpose,
    status: r.status,
    createdAt: new Date(r.created_at),
    confirmedAt: r.confirmed_at === null ? null : new Date(r.confirmed_at),
  };
}

class SqlFileRepository implements FileRepository {
  constructor(private readonly db: SqlExecutor) {}

  async insert(f: Omit<StoredFileRecord, 'size' | 'sha256' | 'status' | 'confirmedAt'>): Promise<void> {
    await this.db.$executeRawUnsafe(
      `INSERT INTO stored_file (id, pharmacy_id, uploader_id, file_name, content_type, declared_size, storage_key,
                                purpose, created_at)
       VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6::int, $7, $8, $9::timestamptz)`,
      f.id,
      f.pharmacyId,
      f.uploaderId,
      f.fileName,
      f.contentType,
      f.declaredSize,
      f.storageKey,
      f.purpose,
      iso(f.createdAt),
    );
  }

  async findById(id: string, options: { forUpdate?: boolean } = {}): Promise<StoredFileRecord | null> {
    const rows = await this.db.$queryRawUnsafe<Row[]>(
      `SELECT * FROM stored_file WHERE id = $1::uuid${options.forUpdate ? ' FOR UPDATE' : ''}`,
      id,
    );
    return rows[0] ? toFile(rows[0]) : null;
  }

  async findMany(ids: readonly string[]): Promise<StoredFileRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.$queryRawUnsafe<Row[]>(
      `SELECT * FROM stored_file WHERE id = ANY(string_to_array($1, ',')::uuid[])`,
      idList(ids),
    );
    return rows.map(toFile);
  }

  async markConfirmed(id: string, c: { size: number; sha256: string; at: Date }): Promise<void> {
    await this.db.$executeRawUnsafe(
      `UPDATE stored_file SET status = 'confirmed', size = $2::int, sha256 = $3, confirmed_at = $4::timestamptz
        WHERE id = $1::uuid`,
      id,
      c.size,
      c.sha256,
      iso(c.at),
    );
  }
}

const PROOF_COLUMNS = `p.id, p.order_id, p.pharmacy_id, p.submitted_by, p.status, p.payout::text AS payout, p.notes,
  p.claim_attempts, p.last_claim_error, p.reviewer_id, p.review_comments, p.reviewed_at, p.created_at, p.updated_at,
  COALESCE((SELECT string_agg(f.file_id::text, ',' ORDER BY f.position) FROM proof_file f WHERE f.proof_id = p.id), '') AS file_ids`;

function toProof(r: Row): ProofRecord {
  return {
    id: r.id,
    orderId: r.order_id,
    pharmacyId: r.pharmacy_id,
    submittedBy: r.submitted_by,
    status: r.status,
    payoutCents: decimalToCents(r.payout),
    notes: r.notes,
    fileIds: r.file_ids ? String(r.file_ids).split(',') : [],
    claimAttempts: Number(r.claim_attempts),
    lastClaimError: r.last_claim_error,
    reviewerId: r.reviewer_id,
    reviewComments: r.review_comments,
    reviewedAt: r.reviewed_at === null ? null : new Date(r.reviewed_at),
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

class SqlProofRepository implements ProofRepository {
  constructor(private readonly db: SqlExecutor) {}

  async insert(proof: FulfillmentProof): Promise<'inserted' | 'order-has-live-proof'> {
    const p = proof.snapshot;
    // ON CONFLICT on the partial unique index: a second live proof for the order is not inserted.
    const inserted = await this.db.$executeRawUnsafe(
      `INSERT INTO fulfillment_proof (id, order_id, pharmacy_id, submitted_by, status, payout, notes, created_at, updated_at)
       VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6::numeric(12,2), $7, $8::timestamptz, $8::timestamptz)
       ON CONFLICT (order_id) WHERE status IN ('claiming', 'pending', 'approved') DO NOTHING`,
      p.id,
      p.orderId,
      p.pharmacyId,
      p.submittedBy,
      p.status,
      centsToDecimal(p.payoutCents),
      p.notes,
      iso(p.createdAt),
    );
    if (Number(inserted) !== 1) return 'order-has-live-proof';
    // A file already backing another proof is not linked again (the partial unique index on
    // file_id); fewer links than files means one was taken, and the caller's transaction is undone.
    const linked = await this.db.$queryRawUnsafe<Row[]>(
      `INSERT INTO proof_file (proof_id, file_id, position)
       SELECT $1::uuid, f.id::uuid, f.n::int - 1 FROM unnest(string_to_array($2, ',')) WITH ORDINALITY AS f(id, n)
       ON CONFLICT (file_id) WHERE NOT freed DO NOTHING
       RETURNING file_id`,
      p.id,
      idList(p.fileIds),
    );
    if (linked.length !== p.fileIds.length) {
      const taken = p.fileIds.filter((id) => !linked.some((l) => l.file_id === id));
      throw new CodedError(
        'CONFLICT',
        'A file backs one proof only: upload new photos for this proof.',
        taken.map((id) => ({ path: 'fileIds', message: `file ${id} already backs another proof` })),
      );
    }
    return 'inserted';
  }

  async findById(id: string): Promise<ProofRecord | null> {
    const rows = await this.db.$queryRawUnsafe<Row[]>(
      `SELECT ${PROOF_COLUMNS} FROM fulfillment_proof p WHERE p.id = $1::uuid`,
      id,
    );
    return rows[0] ? toProof(rows[0]) : null;
  }

  async lock(id: string): Promise<FulfillmentProof | null> {
    const rows = await this.db.$queryRawUnsafe<Row[]>(
      `SELECT ${PROOF_COLUMNS} FROM fulfillment_proof p WHERE p.id = $1::uuid FOR UPDATE OF p`,
      id,
    );
    return rows[0] ? FulfillmentProof.restore(toProof(rows[0])) : null;
  }

  async save(proof: FulfillmentProof): Promise<void> {
    const p = proof.snapshot;
    await this.db.$executeRawUnsafe(
      `UPDATE fulfillment_proof SET status = $2, payout = $3::numeric(12,2), claim_attempts = $4::int,
              last_claim_error = $5, reviewer_id = $6::uuid, review_comments = $7,
              reviewed_at = $8::timestamptz, updated_at = $9::timestamptz
        WHERE id = $1::uuid`,
      p.id,
      p.status,
      centsToDecimal(p.payoutCents),
      p.claimAttempts,
      p.lastClaimError,
      p.reviewerId,
      p.reviewComments,
      p.reviewedAt ? iso(p.reviewedAt) : null,
      iso(p.updatedAt),
    );
    if (p.status === 'failed') {
      await this.db.$executeRawUnsafe('UPDATE proof_file SET freed = true WHERE proof_id = $1::uuid', p.id);
    }
  }

  async findLiveForOrder(orderId: string): Promise<ProofRecord | null> {
    const rows = await this.db.$queryRawUnsafe<Row[]>(
      `SELECT ${PROOF_COLUMNS} FROM fulfillment_proof p
        WHERE p.order_id = $1::uuid AND p.status IN ('claiming', 'pending', 'approved')`,
      orderId,
    );
    return rows[0] ? toProof(rows[0]) : null;
  }

  async leaseStaleClaims(olderThan: Date, limit: number, at: Date): Promise<ProofRecord[]> {
    const leased = await this.db.$queryRawUnsafe<Row[]>(
      `UPDATE fulfillment_proof SET updated_at = $3::timestamptz
        WHERE id IN (SELECT id FROM fulfillment_proof
                      WHERE status = 'claiming' AND updated_at < $1::timestamptz
                      ORDER BY updated_at LIMIT $2::int FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      iso(olderThan),
      limit,
      iso(at),
    );
    const proofs = await Promise.all(leased.map((r: Row) => this.findById(r.id)));
    return proofs.filter((p): p is ProofRecord => p !== null);
  }

  async list(
    filter: { statuses: ProofStatus[]; pharmacyId?: string },
    page: PageRequest,
  ): Promise<PageOf<ProofRecord>> {
    const where = `WHERE p.status = ANY(string_to_array($1, ',')) AND ($2::uuid IS NULL OR p.pharmacy_id = $2::uuid)`;
    const [rows, count] = await Promise.all([
      this.db.$queryRawUnsafe<Row[]>(
        `SELECT ${PROOF_COLUMNS} FROM fulfillment_proof p ${where}
          ORDER BY p.created_at DESC, p.id LIMIT $3::int OFFSET $4::bigint`,
        filter.statuses.join(','),
        filter.pharmacyId ?? null,
        page.limit,
        (page.page - 1) * page.limit,
      ),
      this.db.$queryRawUnsafe<Row[]>(
        `SELECT count(*)::int AS n FROM fulfillment_proof p ${where}`,
        filter.statuses.join(','),
        filter.pharmacyId ?? null,
      ),
    ]);
    return { items: rows.map(toProof), total: Number(count[0].n) };
  }
}

function repositories(db: SqlExecutor, cipher: PiiCipher): PharmacyRepositories {
  return {
    pharmacies: new SqlPharmacyRepository(db),
    operators: new SqlOperatorRepository(db),
    inventory: new SqlInventoryRepository(db),
    orders: new SqlOrderViewRepository(db, cipher),
    credentialKeys: new SqlCredentialKeyRepository(db),
    scans: new SqlScanRepository(db),
    files: new SqlFileRepository(db),
    proofs: new SqlProofRepository(db),
  };
}

/** PharmacyStore on the service's Prisma client (raw SQL: PostGIS, partial indexes, row locks). */
export class PrismaPharmacyStore implements PharmacyStore {
  readonly read: PharmacyRepositories;

  constructor(
    prisma: PharmacyPrismaService,
    private readonly outbox: Outbox,
    private readonly cipher: PiiCipher,
  ) {
    this.read = repositories(prisma, cipher);
  }

  transaction<R>(fn: (tx: PharmacyTx) => Promise<R>, options: { timeoutMs?: number } = {}): Promise<R> {
    return this.outbox.transaction(
      async (db) => {
        const tx: PharmacyTx = {
          ...repositories(db, this.cipher),
          claimInbox: (consumer: string, message: IncomingMessage) => Inbox.claim(db, consumer, message),
          publish: async <S extends z.ZodType>(
            definition: MessageDefinition<S>,
            payload: z.input<S>,
            cause?: { correlationId: string; causationId: string | null },
          ) => {
            await this.outbox.enqueue(db, {
              definition,
              payload,
              correlationId: cause?.correlationId,
              causationId: cause?.causationId,
            });
          },
        };
        return fn(tx);
      },
      options.timeoutMs ? { timeout: options.timeoutMs } : undefined,
    );
  }
}
