import { Injectable } from '@nestjs/common';
import { CodedError, type StoredFileBytesView } from '@prescriptchain/contracts';
import { Clock } from '../../clock';
import { FileStorage } from '../../ports/file-storage';
import { PharmacyStore } from '../../ports/pharmacy-store';
import { invalidFileUrl } from '../file-errors';
import { FileUrlSigner } from '../file-url-signer';

/** The bytes behind a download URL we signed (the gateway serves them). */
@Injectable()
export class ServeDownloadHandler {
  constructor(
    private readonly store: PharmacyStore,
    private readonly storage: FileStorage,
    private readonly signer: FileUrlSigner,
    private readonly clock: Clock,
  ) {}

  async execute(input: { token: string }): Promise<StoredFileBytesView> {
    const claims = this.signer.verify(input.token, 'get', this.clock.now());
    const file = claims ? await this.store.read.files.findById(claims.fileId) : null;
    if (!file) throw invalidFileUrl();
    const bytes = await this.storage.read(file.storageKey);
    if (!bytes) throw new CodedError('NOT_FOUND', 'The file has no content.');
    return {
      fileId: file.id,
      fileName: file.fileName,
      contentType: file.contentType,
      size: bytes.length,
      base64: bytes.toString('base64'),
    };
  }
}
