import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Clock } from '../../../application/clock';
import { FileUrlSigner } from '../../../application/files/file-url-signer';
import { FileStorage, type StorageObject, type UploadTarget } from '../../../application/ports/file-storage';

/**
 * Files on local disk (FILES_DIR) behind URLs we sign ourselves (HMAC, expiring). Pharmacy has no
 * HTTP server: the gateway serves `<prefix>/upload/<token>` and `<prefix>/download/<token>` and
 * forwards the bytes over RPC (pharmacy.files.put / pharmacy.files.get). Several replicas need the
 * same FILES_DIR (a shared volume) and FILES_URL_SECRET.
 */
export class LocalDiskFileStorage extends FileStorage {
  private readonly root: string;

  constructor(
    private readonly options: { dir: string; urlPrefix: string },
    private readonly signer: FileUrlSigner,
    private readonly clock: Clock,
  ) {
    super();
    this.root = resolve(options.dir);
  }

  async createUpload(object: StorageObject, expiresInSeconds: number): Promise<UploadTarget> {
    const token = this.signer.sign({ op: 'put', fileId: object.fileId, exp: this.expiry(expiresInSeconds) });
    return {
      url: `${this.options.urlPrefix}/upload/${token}`,
      method: 'PUT',
      headers: { 'Content-Type': object.contentType },
      expiresIn: expiresInSeconds,
    };
  }

  async createDownloadUrl(object: StorageObject, expiresInSeconds: number): Promise<string> {
    const token = this.signer.sign({ op: 'get', fileId: object.fileId, exp: this.expiry(expiresInSeconds) });
    return `${this.options.urlPrefix}/download/${token}`;
  }

  async read(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  /** Written to a temporary name and renamed: a reader sees the old bytes or the new, never half. */
  async write(key: string, bytes: Buffer): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${randomUUID()}.part`;
    await writeFile(temporary, bytes, { mode: 0o600 });
    await rename(temporary, path);
  }

  private expiry(seconds: number): number {
    return Math.floor(this.clock.now().getTime() / 1000) + seconds;
  }

  /** Keys are ours (`pharmacies/<uuid>/<uuid>`), but a path never leaves the root whatever it says. */
  private pathOf(key: string): string {
    const path = resolve(join(this.root, key));
    if (!path.startsWith(this.root + sep)) throw new Error(`storage key escapes the files directory: ${key}`);
    return path;
  }
}
