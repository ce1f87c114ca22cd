import { Injectable } from '@nestjs/common';
import { CodedError, MAX_UPLOAD_BYTES, type PutFileView } from '@prescriptchain/contracts';
import { sniffContentType } from '../../../domain/file-content';
import { Clock } from '../../clock';
import { FileStorage } from '../../ports/file-storage';
import { PharmacyStore } from '../../ports/pharmacy-store';
import { invalidFileUrl } from '../file-errors';
import { FileUrlSigner } from '../file-url-signer';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The bytes PUT to an upload URL we signed (the gateway forwards them): the token must be ours,
 * unexpired and for uploading; the bytes no larger than declared and of the declared type. A
 * confirmed file never changes again.
 */
@Injectable()
export class ReceiveUploadHandler {
  constructor(
    private readonly store: PharmacyStore,
    private readonly storage: FileStorage,
    private readonly signer: FileUrlSigner,
    private readonly clock: Clock,
  ) {}

  async execute(input: { token: string; base64: string }): Promise<PutFileView> {
    const claims = this.signer.verify(input.token, 'put', this.clock.now());
    if (!claims) throw invalidFileUrl();
    if (!BASE64.test(input.base64))
      throw new CodedError('VALIDATION_FAILED', 'The body is not base64.', [
        { path: 'base64', message: 'must be base64' },
      ]);
    const bytes = Buffer.from(input.base64, 'base64');
    if (bytes.length > MAX_UPLOAD_BYTES)
      throw new CodedError('PAYLOAD_TOO_LARGE', 'Files may be at most 10 MB.');
    if (bytes.length === 0)
      throw new CodedError('VALIDATION_FAILED', 'The file is empty.', [
        { path: 'body', message: 'must not be empty' },
      ]);
    return this.store.transaction(
      async (tx) => {
        // Locked while writing, so a confirmation cannot interleave with a second upload.
        const file = await tx.files.findById(claims.fileId, { forUpdate: true });
        if (!file) throw invalidFileUrl();
        if (file.status === 'confirmed')
          throw new CodedError('CONFLICT', 'This file is already confirmed and cannot be replaced.');
        if (bytes.length > file.declaredSize) {
          throw new CodedError(
            'PAYLOAD_TOO_LARGE',
            `The file is larger than the ${file.declaredSize} bytes declared.`,
          );
        }
        if (sniffContentType(bytes) !== file.contentType) {
          throw new CodedError('VALIDATION_FAILED', `The content is not ${file.contentType}.`, [
            { path: 'body', message: `content does not match the declared type ${file.contentType}` },
          ]);
        }
        await this.storage.write(file.storageKey, bytes, file.contentType);
        return { fileId: file.id, size: bytes.length };
      },
      { timeoutMs: 60_000 },
    );
  }
}
