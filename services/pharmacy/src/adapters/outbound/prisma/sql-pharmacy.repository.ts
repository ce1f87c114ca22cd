import type { SqlExecutor } from '@prescriptchain/messaging';
import type {
  NearbyQuery,
  NearbyRow,
  PageOf,
  PageRequest,
  PharmacyData,
  PharmacyRecord,
  PharmacyRepository,
  PharmacyStatus,
} from '../../../application/ports/pharmacy-store';
import type { ServiceHours } from '../../../domain/service-hours';
import { queryNearbyPharmacies } from './nearby-pharmacies.query';
import { type CountRow, iso, offsetOf } from './sql-params';

/** A `pharmacy` row as PHARMACY_COLUMNS selects it (the geography point split into lat/lng). */
export interface PharmacyRow {
  id: string;
  name: string;
  street: string;
  city: string;
  country: string;
  postal_code: string;
  contact_email: string;
  contact_phone: string | null;
  license_info: string | null;
  service_hours: ServiceHours | null;
  locale: PharmacyRecord['locale'];
  status: PharmacyStatus;
  created_at: Date;
  updated_at: Date;
  lat: number;
  lng: number;
}

// `location` is geography(Point, 4326): read back through geometry, where ST_Y is the latitude.
const PHARMACY_COLUMNS = `id, name, street, city, country, postal_code, contact_email, contact_phone, license_info,
  service_hours, locale, status, created_at, updated_at,
  ST_Y(location::geometry) AS lat, ST_X(location::geometry) AS lng`;

function toPharmacy(r: PharmacyRow): PharmacyRecord {
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

/** The directory: raw SQL because the location is a PostGIS geography, which Prisma's client cannot write. */
export class SqlPharmacyRepository implements PharmacyRepository {
  constructor(private readonly db: SqlExecutor) {}

  // $7 is the latitude and $8 the longitude (values() order); ST_MakePoint takes (x = lng, y = lat).
  async insert(p: PharmacyData, at: Date): Promise<PharmacyRecord> {
    const rows = await this.db.$queryRawUnsafe<PharmacyRow[]>(
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
    const rows = await this.db.$queryRawUnsafe<PharmacyRow[]>(
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

  /** $1…$14 of insert and update. */
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
    const rows = await this.db.$queryRawUnsafe<PharmacyRow[]>(
      `SELECT ${PHARMACY_COLUMNS} FROM pharmacy WHERE id = $1::uuid${options.forUpdate ? ' FOR UPDATE' : ''}`,
      id,
    );
    return rows[0] ? toPharmacy(rows[0]) : null;
  }

  async list(
    filter: { status?: PharmacyStatus; search?: string },
    page: PageRequest,
  ): Promise<PageOf<PharmacyRecord>> {
    // A null parameter switches its condition off. The search is a substring of the name or the city,
    // with the user's own \ % _ escaped so that they match literally.
    const where = `WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR name ILIKE '%' || $2 || '%' OR city ILIKE '%' || $2 || '%')`;
    const search = filter.search ? filter.search.replace(/[\\%_]/g, (c) => `\\${c}`) : null;
    const [rows, count] = await Promise.all([
      this.db.$queryRawUnsafe<PharmacyRow[]>(
        `SELECT ${PHARMACY_COLUMNS} FROM pharmacy ${where} ORDER BY name, id LIMIT $3::int OFFSET $4::bigint`,
        filter.status ?? null,
        search,
        page.limit,
        offsetOf(page),
      ),
      this.db.$queryRawUnsafe<CountRow[]>(
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
