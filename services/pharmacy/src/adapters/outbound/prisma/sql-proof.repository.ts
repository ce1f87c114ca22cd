import { CodedError } from '@prescriptchain/contracts';
import type { SqlExecutor } from '@prescriptchain/messaging';
import type {
  PageOf,
  PageRequest,
  ProofRecord,
  ProofRepository,
} from '../../../application/ports/pharmacy-store';
import { FulfillmentProof, type ProofStatus } from '../../../domain/fulfillment-proof';
import { centsToDecimal, decimalToCents } from '../../../domain/money';
import { type CountRow, idList, iso, offsetOf } from './sql-params';

/** A `fulfillment_proof` row as PROOF_COLUMNS selects it, with its files' ids in order. */
interface ProofRow {
  id: string;
  order_id: string;
  pharmacy_id: string;
  submitted_by: string;
  status: ProofStatus;
  payout: string;
  notes: string | null;
  claim_attempts: number;
  last_claim_error: string | null;
  reviewer_id: string | null;
  review_comments: string | null;
  reviewed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  /** Comma-separated, by position; '' when the proof has none. */
  file_ids: string;
}

interface IdRow {
  id: string;
}

interface LinkedFileRow {
  file_id: string;
}

// The proof's files are folded into one text column (a correlated subquery), so a proof is one row.
const PROOF_COLUMNS = `p.id, p.order_id, p.pharmacy_id, p.submitted_by, p.status, p.payout::text AS payout, p.notes,
  p.claim_attempts, p.last_claim_error, p.reviewer_id, p.review_comments, p.reviewed_at, p.created_at, p.updated_at,
  COALESCE((SELECT string_agg(f.file_id::text, ',' ORDER BY f.position) FROM proof_file f WHERE f.proof_id = p.id), '') AS file_ids`;

function toProof(r: ProofRow): ProofRecord {
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

/** Fulfillment proofs and the files that back them; the lifecycle itself is the FulfillmentProof entity's. */
export class SqlProofRepository implements ProofRepository {
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
    const linked = await this.db.$queryRawUnsafe<LinkedFileRow[]>(
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
    const rows = await this.db.$queryRawUnsafe<ProofRow[]>(
      `SELECT ${PROOF_COLUMNS} FROM fulfillment_proof p WHERE p.id = $1::uuid`,
      id,
    );
    return rows[0] ? toProof(rows[0]) : null;
  }

  async lock(id: string): Promise<FulfillmentProof | null> {
    const rows = await this.db.$queryRawUnsafe<ProofRow[]>(
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
    // A failed proof never reached review: its files may back the pharmacy's next attempt.
    if (p.status === 'failed') {
      await this.db.$executeRawUnsafe('UPDATE proof_file SET freed = true WHERE proof_id = $1::uuid', p.id);
    }
  }

  async findLiveForOrder(orderId: string): Promise<ProofRecord | null> {
    const rows = await this.db.$queryRawUnsafe<ProofRow[]>(
      `SELECT ${PROOF_COLUMNS} FROM fulfillment_proof p
        WHERE p.order_id = $1::uuid AND p.status IN ('claiming', 'pending', 'approved')`,
      orderId,
    );
    return rows[0] ? toProof(rows[0]) : null;
  }

  async leaseStaleClaims(olderThan: Date, limit: number, at: Date): Promise<ProofRecord[]> {
    // SKIP LOCKED: two sweepers running at once take disjoint proofs instead of waiting on each other;
    // bumping updated_at is the lease (the proof is not stale again until `olderThan` passes it).
    const leased = await this.db.$queryRawUnsafe<IdRow[]>(
      `UPDATE fulfillment_proof SET updated_at = $3::timestamptz
        WHERE id IN (SELECT id FROM fulfillment_proof
                      WHERE status = 'claiming' AND updated_at < $1::timestamptz
                      ORDER BY updated_at LIMIT $2::int FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      iso(olderThan),
      limit,
      iso(at),
    );
    const proofs = await Promise.all(leased.map((r) => this.findById(r.id)));
    return proofs.filter((p): p is ProofRecord => p !== null);
  }

  async list(
    filter: { statuses: ProofStatus[]; pharmacyId?: string },
    page: PageRequest,
  ): Promise<PageOf<ProofRecord>> {
    const where = `WHERE p.status = ANY(string_to_array($1, ',')) AND ($2::uuid IS NULL OR p.pharmacy_id = $2::uuid)`;
    const [rows, count] = await Promise.all([
      this.db.$queryRawUnsafe<ProofRow[]>(
        `SELECT ${PROOF_COLUMNS} FROM fulfillment_proof p ${where}
          ORDER BY p.created_at DESC, p.id LIMIT $3::int OFFSET $4::bigint`,
        filter.statuses.join(','),
        filter.pharmacyId ?? null,
        page.limit,
        offsetOf(page),
      ),
      this.db.$queryRawUnsafe<CountRow[]>(
        `SELECT count(*)::int AS n FROM fulfillment_proof p ${where}`,
        filter.statuses.join(','),
        filter.pharmacyId ?? null,
      ),
    ]);
    return { items: rows.map(toProof), total: Number(count[0].n) };
  }
}
