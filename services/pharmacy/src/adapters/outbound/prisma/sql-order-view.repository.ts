import { Inbox, type PiiCipher, type SqlExecutor } from '@prescriptchain/messaging';
import type {
  InboxClaim,
  OrderHoldPatch,
  OrderViewRecord,
  OrderViewRepository,
  PageOf,
  PageRequest,
  PaidOrderData,
} from '../../../application/ports/pharmacy-store';
import { centsToDecimal, decimalToCents } from '../../../domain/money';
import type { OrderLine } from '../../../domain/order-redemption';
import { type CountRow, iso, offsetOf } from './sql-params';

/** An `order_view` row as ORDER_VIEW_COLUMNS selects it (the payout as text, the patient's name encrypted). */
interface OrderViewRow {
  order_id: string;
  platform_order_id: string | null;
  status: string;
  status_at: Date;
  items: OrderLine[] | null;
  patient_name_enc: string | null;
  expires_at: Date | null;
  assigned_pharmacy_id: string | null;
  verification_code_hash: string | null;
  credential_kid: string | null;
  payout: string | null;
  claimed_at: Date | null;
  hold_expires_at: Date | null;
}

const ORDER_VIEW_COLUMNS = `order_id, platform_order_id, status, status_at, items, patient_name_enc, expires_at,
  assigned_pharmacy_id, verification_code_hash, credential_kid, payout::text AS payout, claimed_at, hold_expires_at`;

/** How the new row's values come: `VALUES (…)`, or `SELECT … FROM claim` (only if an inbox claim took). */
type RowSource = 'VALUES' | 'FROM claim';
const rowOf = (source: RowSource, columns: string) =>
  source === 'VALUES' ? `VALUES (${columns})` : `SELECT ${columns} FROM claim`;

// The paid event's data always lands (a status event may have made a stub row first); the status
// becomes PAID only if no newer event already moved it on.
const UPSERT_PAID_SQL = (source: RowSource) =>
  `INSERT INTO order_view (order_id, platform_order_id, status, status_at, items, patient_name_enc, expires_at,
                           verification_code_hash, credential_kid, updated_at)
   ${rowOf(source, `$1::uuid, $2, 'PAID', $3::timestamptz, $4::jsonb, $5, $6::timestamptz, $7, $8, now()`)}
   ON CONFLICT (order_id) DO UPDATE SET
     platform_order_id = EXCLUDED.platform_order_id, items = EXCLUDED.items,
     patient_name_enc = EXCLUDED.patient_name_enc, expires_at = EXCLUDED.expires_at,
     verification_code_hash = EXCLUDED.verification_code_hash, credential_kid = EXCLUDED.credential_kid,
     status = CASE WHEN order_view.status_at <= EXCLUDED.status_at THEN 'PAID' ELSE order_view.status END,
     status_at = GREATEST(order_view.status_at, EXCLUDED.status_at),
     updated_at = now()`;

// Each hold field comes as a value and a flag ($4/$5, $6/$7, $8/$9, $10/$11): the flag says the
// patch carries the field, so an explicit null clears it while an absent field is left alone.
const APPLY_STATUS_SQL = (source: RowSource) =>
  `INSERT INTO order_view (order_id, status, status_at, assigned_pharmacy_id, payout, claimed_at, hold_expires_at, updated_at)
   ${rowOf(source, `$1::uuid, $2, $3::timestamptz, $4::uuid, $6::numeric(12,2), $8::timestamptz, $10::timestamptz, now()`)}
   ON CONFLICT (order_id) DO UPDATE SET
     status = EXCLUDED.status, status_at = EXCLUDED.status_at,
     assigned_pharmacy_id = CASE WHEN $5::boolean THEN EXCLUDED.assigned_pharmacy_id ELSE order_view.assigned_pharmacy_id END,
     payout = CASE WHEN $7::boolean THEN EXCLUDED.payout ELSE order_view.payout END,
     claimed_at = CASE WHEN $9::boolean THEN EXCLUDED.claimed_at ELSE order_view.claimed_at END,
     hold_expires_at = CASE WHEN $11::boolean THEN EXCLUDED.hold_expires_at ELSE order_view.hold_expires_at END,
     updated_at = now()
    WHERE order_view.status_at <= EXCLUDED.status_at`;

function statusValues(orderId: string, status: string, occurredAt: Date, hold: OrderHoldPatch): unknown[] {
  const has = (k: keyof OrderHoldPatch) => hold[k] !== undefined;
  return [
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
  ];
}

/**
 * Pharmacy's copy of the orders it may redeem, fed by orders' events. Events can arrive out of order,
 * so every write compares `status_at` with the event's time and the newer status wins.
 */
export class SqlOrderViewRepository implements OrderViewRepository {
  constructor(
    private readonly db: SqlExecutor,
    private readonly cipher: PiiCipher,
  ) {}

  async upsertPaid(d: PaidOrderData, occurredAt: Date): Promise<void> {
    await this.db.$executeRawUnsafe(UPSERT_PAID_SQL('VALUES'), ...this.paidValues(d, occurredAt));
  }

  async upsertPaidOnce(inbox: InboxClaim, d: PaidOrderData, occurredAt: Date): Promise<boolean> {
    return this.once(UPSERT_PAID_SQL('FROM claim'), this.paidValues(d, occurredAt), inbox);
  }

  async applyStatus(
    orderId: string,
    status: string,
    occurredAt: Date,
    hold: OrderHoldPatch = {},
  ): Promise<void> {
    await this.db.$executeRawUnsafe(APPLY_STATUS_SQL('VALUES'), ...statusValues(orderId, status, occurredAt, hold));
  }

  async applyStatusOnce(
    inbox: InboxClaim,
    orderId: string,
    status: string,
    occurredAt: Date,
    hold: OrderHoldPatch = {},
  ): Promise<boolean> {
    return this.once(APPLY_STATUS_SQL('FROM claim'), statusValues(orderId, status, occurredAt, hold), inbox);
  }

  /** `write` (rows taken `FROM claim`) with the inbox claim as its CTE: one statement, atomic alone. */
  private async once(write: string, values: unknown[], inbox: InboxClaim): Promise<boolean> {
    const rows = await this.db.$queryRawUnsafe<{ claimed: number }[]>(
      `WITH claim AS (${Inbox.claimStatement(values.length + 1)}), effect AS (${write})
       SELECT count(*)::int AS claimed FROM claim`,
      ...values,
      ...Inbox.claimValues(inbox.consumer, inbox.message),
    );
    return Number(rows[0]?.claimed ?? 0) === 1;
  }

  private paidValues(d: PaidOrderData, occurredAt: Date): unknown[] {
    return [
      d.orderId,
      d.platformOrderId,
      iso(occurredAt),
      JSON.stringify(d.items),
      this.cipher.encrypt(d.patientName),
      iso(d.expiresAt),
      d.verificationCodeHash,
      d.credentialKid,
    ];
  }

  async listHeldBy(
    pharmacyId: string,
    statuses: readonly string[],
    page: PageRequest,
  ): Promise<PageOf<OrderViewRecord>> {
    // A stub row (a status seen before the paid event) has no platform order id yet and is not listed.
    const where = `assigned_pharmacy_id = $1::uuid AND status = ANY(string_to_array($2, ',')) AND platform_order_id IS NOT NULL`;
    const [rows, count] = await Promise.all([
      this.db.$queryRawUnsafe<OrderViewRow[]>(
        `SELECT ${ORDER_VIEW_COLUMNS} FROM order_view WHERE ${where}
          ORDER BY claimed_at DESC NULLS LAST, order_id LIMIT $3::int OFFSET $4::int`,
        pharmacyId,
        statuses.join(','),
        page.limit,
        offsetOf(page),
      ),
      this.db.$queryRawUnsafe<CountRow[]>(
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
    const rows = await this.db.$queryRawUnsafe<OrderViewRow[]>(
      `SELECT ${ORDER_VIEW_COLUMNS} FROM order_view WHERE ${where}${forUpdate ? ' FOR UPDATE' : ''}`,
      value,
    );
    return rows[0] ? this.toRecord(rows[0]) : null;
  }

  private toRecord(r: OrderViewRow): OrderViewRecord {
    return {
      orderId: r.order_id,
      platformOrderId: r.platform_order_id,
      status: r.status,
      statusAt: new Date(r.status_at),
      items: r.items ?? [],
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
