export interface StorageObject {
  /** Where the bytes live (`pharmacies/<pharmacyId>/<fileId>`). */
  key: string;
  fileId: string;
  fileName: string;
  contentType: string;
  /** Declared size in bytes: the most an upload may carry. */
  size: number;
}

export interface UploadTarget {
  url: string;
  method: 'PUT';
  headers: Record<string, string>;
  expiresIn: number;
}

/** Where uploaded files are kept: local disk behind our own signed URLs, or Supabase Storage. */
export abstract class FileStorage {
  /** A signed, expiring URL the client PUTs the bytes to. */
  abstract createUpload(object: StorageObject, expiresInSeconds: number): Promise<UploadTarget>;
  /** A signed, expiring URL that serves the bytes. */
  abstract createDownloadUrl(object: StorageObject, expiresInSeconds: number): Promise<string>;
  /** The stored bytes, or null when nothing was uploaded under `key`. */
  abstract read(key: string): Promise<Buffer | null>;
  /** Stores bytes under `key` (the upload URLs we sign ourselves land here). */
  abstract write(key: string, bytes: Buffer, contentType: string): Promise<void>;
}
