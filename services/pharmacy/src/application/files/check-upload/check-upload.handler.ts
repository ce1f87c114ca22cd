import { Injectable } from '@nestjs/common';
import { CodedError, type UploadCheckView } from '@prescriptchain/contracts';
import { Clock } from '../../clock';
import { PharmacyStore } from '../../ports/pharmacy-store';
import { invalidFileUrl } from '../file-errors';
import { FileUrlSigner } from '../file-url-signer';

/**
 * Asked by the gateway before it reads the body of an upload: the token must be ours, unexpired and
 * for uploading, and name a file not yet confirmed. Answers how many bytes of which type the upload
 * may carry, so the gateway reads no more than that — and nothing at all for a forged URL.
 */
@Injectable()
export class CheckUploadHandler {
  constructor(
    private readonly store: PharmacyStore,
    private readonly signer: FileUrlSigner,
    private readonly clock: Clock,
  ) {}

  async execute(input: { token: string }): Promise<UploadCheckView> {
    const claims = this.signer.verify(input.token, 'put', this.clock.now());
    if (!claims) throw invalidFileUrl();
    const file = await this.store.read.files.findById(claims.fileId);
    if (!file) throw invalidFileUrl();
    if (file.status === 'confirmed')
      throw new CodedError('CONFLICT', 'This file is already confirmed and cannot be replaced.');
    return { fileId: file.id, maxBytes: file.declaredSize, contentType: file.contentType };
  }
}
