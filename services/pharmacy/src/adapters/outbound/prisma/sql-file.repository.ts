import type { SqlExecutor } from '@prescriptchain/messaging';
import type { FileRepository, StoredFileRecord } from '../../../application/ports/pharmacy-store';
import type { ProofContentType } from '../../../domain/file-content';
import { idList, iso } from './sql-params';

/** A `stored_file` row (all of its columns). */
interface StoredFileRow {
  id: string;
  pharmacy_id: string;
  uploader_id: string;
  file_name: string;
  content_type: ProofContentType;
  declared_size: number;
  size: number | null;
  sha256: string | null;
  storage_key: string;
  purpose: string;
  status: StoredFileRecord['status'];
  created_at: Date;
  confirmed_at: Date | null;
}

function toFile(r: StoredFileRow): StoredFileRecord {
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

/** Uploaded files: a row is made when the upload URL is issued and confirmed once the bytes are checked. */
export class SqlFileRepository implements FileRepository {
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
    const rows = await this.db.$queryRawUnsafe<StoredFileRow[]>(
      `SELECT * FROM stored_file WHERE id = $1::uuid${options.forUpdate ? ' FOR UPDATE' : ''}`,
      id,
    );
    return rows[0] ? toFile(rows[0]) : null;
  }

  async findMany(ids: readonly string[]): Promise<StoredFileRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.$queryRawUnsafe<StoredFileRow[]>(
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
