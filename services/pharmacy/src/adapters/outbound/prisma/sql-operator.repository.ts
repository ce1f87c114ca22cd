import type { SqlExecutor } from '@prescriptchain/messaging';
import type { OperatorRepository } from '../../../application/ports/pharmacy-store';
import { iso } from './sql-params';

interface OperatorPharmacyRow {
  pharmacy_id: string;
}

/** Which pharmacy each operator (an identity user) works for: one pharmacy per user. */
export class SqlOperatorRepository implements OperatorRepository {
  constructor(private readonly db: SqlExecutor) {}

  async link(l: { userId: string; pharmacyId: string; linkedBy: string; linkedAt: Date }): Promise<boolean> {
    // Link events can arrive out of order: an older link never overwrites a newer one (the WHERE on
    // the conflict update), and then no row is affected.
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
    const rows = await this.db.$queryRawUnsafe<OperatorPharmacyRow[]>(
      'SELECT pharmacy_id FROM pharmacy_operator WHERE user_id = $1::uuid',
      userId,
    );
    return rows[0]?.pharmacy_id ?? null;
  }
}
