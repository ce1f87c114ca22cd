import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlExecutor } from '@prescriptchain/messaging';
import type { NearbyQuery, NearbyRow } from '../../../application/ports/pharmacy-store';
import type { PharmacyRow } from './sql-pharmacy.repository';

/** One row of sql/nearby-pharmacies.sql. */
type NearbyPharmacyRow = Pick<
  PharmacyRow,
  'id' | 'name' | 'street' | 'city' | 'country' | 'postal_code' | 'service_hours' | 'lat' | 'lng'
> & { distance_m: number; supplied: number };

/** The SQL text (sql/nearby-pharmacies.sql, copied next to the compiled file by the build). */
export const NEARBY_PHARMACIES_SQL = readFileSync(join(__dirname, 'sql', 'nearby-pharmacies.sql'), 'utf8');

/**
 * Active pharmacies within the radius, nearest first. Only type imports here: the benchmark
 * (tools/bench/nearby.bench.js) loads this compiled file on its own to time exactly this code.
 */
export async function queryNearbyPharmacies(
  db: Pick<SqlExecutor, '$queryRawUnsafe'>,
  q: NearbyQuery,
): Promise<NearbyRow[]> {
  const rows = await db.$queryRawUnsafe<NearbyPharmacyRow[]>(
    NEARBY_PHARMACIES_SQL,
    q.lat,
    q.lng,
    q.radiusMeters,
    q.limit,
    // uuids as one comma-separated parameter: Prisma's raw parameters and arrays do not mix reliably.
    q.medicineIds.join(','),
  );
  return rows.map((r) => ({
    pharmacy: {
      id: r.id,
      name: r.name,
      address: { street: r.street, city: r.city, country: r.country, postalCode: r.postal_code },
      location: { lat: Number(r.lat), lng: Number(r.lng) },
      serviceHours: r.service_hours ?? {},
    },
    distanceMeters: Number(r.distance_m),
    suppliedCount: Number(r.supplied),
  }));
}
