import type { SqlExecutor } from '@prescriptchain/messaging';
import type { ScanEntry, ScanRepository } from '../../../application/ports/pharmacy-store';
import { iso } from './sql-params';

interface ScanTimeRow {
  at: Date;
}

/** Every credential scan and typed code, kept for the audit and for the wrong-code limits. */
export class SqlScanRepository implements ScanRepository {
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
    // A correct code resets the order's count: only failures after the last verified code count.
    const rows = await this.db.$queryRawUnsafe<ScanTimeRow[]>(
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
    const rows = await this.db.$queryRawUnsafe<ScanTimeRow[]>(
      `SELECT at FROM scan_log
        WHERE pharmacy_id = $1::uuid AND method = 'code' AND outcome = 'invalid_credential' AND at > $2::timestamptz
        ORDER BY at`,
      pharmacyId,
      iso(since),
    );
    return rows.map((r) => new Date(r.at));
  }
}
