import type { SqlExecutor } from '@prescriptchain/messaging';
import type { InventoryRecord, InventoryRepository } from '../../../application/ports/pharmacy-store';
import { centsToDecimal, decimalToCents } from '../../../domain/money';
import type { DeclaredSupply } from '../../../domain/order-redemption';
import { idList, iso } from './sql-params';

/** An `inventory_item` row, the NUMERIC price read as text so no float ever holds it. */
interface InventoryRow {
  medicine_id: string;
  price: string;
  available: boolean;
  updated_at: Date;
}

type DeclaredRow = Omit<InventoryRow, 'updated_at'>;

/** What each pharmacy declares it stocks, at which wholesale price. */
export class SqlInventoryRepository implements InventoryRepository {
  constructor(private readonly db: SqlExecutor) {}

  async replace(
    pharmacyId: string,
    items: { medicineId: string; priceCents: number; available: boolean }[],
    at: Date,
  ): Promise<void> {
    await this.db.$executeRawUnsafe('DELETE FROM inventory_item WHERE pharmacy_id = $1::uuid', pharmacyId);
    if (items.length === 0) return;
    // The whole list in one statement: one jsonb parameter unpacked into rows, prices as decimal strings.
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
    const rows = await this.db.$queryRawUnsafe<InventoryRow[]>(
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
    const rows = await this.db.$queryRawUnsafe<DeclaredRow[]>(
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
