import { CodedError } from '@prescriptchain/contracts';
import { createClient } from '@supabase/supabase-js';
import { FileStorage, type StorageObject, type UploadTarget } from '../../../application/ports/file-storage';

/** Supabase's signed upload URLs are valid for two hours; it does not let us choose. */
const SUPABASE_UPLOAD_URL_SECONDS = 2 * 60 * 60;

function fetchWithTimeout(timeoutMs: number): typeof fetch {
  return (input, init) => fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) });
}

/**
 * Supabase Storage (a private bucket) through @supabase/supabase-js with the service-role key:
 * clients upload straight to Supabase with a signed upload URL and download with signed URLs; we
 * read the bytes back to confirm them.
 */
export class SupabaseFileStorage extends FileStorage {
  private readonly bucket;

  constructor(options: { url: string; serviceRoleKey: string; bucket: string; timeoutMs: number }) {
    super();
    const client = createClient(options.url, options.serviceRoleKey, {
      auth: { autoRefreshToken: false, persistSession: false, detectSessionInUrl: false },
      global: { fetch: fetchWithTimeout(options.timeoutMs) },
    });
    this.bucket = client.storage.from(options.bucket);
  }

  async createUpload(object: StorageObject): Promise<UploadTarget> {
    const { data, error } = await this.bucket.createSignedUploadUrl(object.key, { upsert: true });
    if (error || !data) throw this.failed('create an upload URL', error);
    return {
      url: data.signedUrl,
      method: 'PUT',
      headers: { 'Content-Type': object.contentType, 'x-upsert': 'true' },
      expiresIn: SUPABASE_UPLOAD_URL_SECONDS,
    };
  }

  async createDownloadUrl(object: StorageObject, expiresInSeconds: number): Promise<string> {
    const { data, error } = await this.bucket.createSignedUrl(object.key, expiresInSeconds, {
      download: object.fileName,
    });
    if (error || !data) throw this.failed('create a download URL', error);
    return data.signedUrl;
  }

  async read(key: string): Promise<Buffer | null> {
    const { data, error } = await this.bucket.download(key);
    if (error) {
      // Storage answers a missing object with 404, or (older servers) 400 carrying statusCode "404".
      const e = error as { status?: number; statusCode?: string | number; code?: string };
      if (
        e.status === 404 ||
        String(e.statusCode) === '404' ||
        e.code === 'NoSuchKey' ||
        e.code === 'not_found'
      )
        return null;
      throw this.failed('read a file', error);
    }
    return Buffer.from(await data.arrayBuffer());
  }

  async write(key: string, bytes: Buffer, contentType: string): Promise<void> {
    const { error } = await this.bucket.upload(key, bytes, { contentType, upsert: true });
    if (error) throw this.failed('store a file', error);
  }

  private failed(what: string, error: unknown): CodedError {
    return new CodedError('EXTERNAL_SERVICE_ERROR', `File storage could not ${what}; try again.`, {
      provider: 'supabase',
      reason: (error as Error | null)?.message ?? null,
    });
  }
}
