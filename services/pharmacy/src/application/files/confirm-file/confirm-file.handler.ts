import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CodedError, type ConfirmedFileView } from '@prescriptchain/contracts';
import { sniffContentType } from '../../../domain/file-content';
import type { Caller } from '../../caller';
import { Clock } from '../../clock';
import { operatorPharmacy } from '../../operator-access';
import { FileStorage } from '../../ports/file-storage';
import { PharmacyStore, type StoredFileRecord } from '../../ports/pharmacy-store';

const refuse = (message: string, path: string, detail: string) =>
  new CodedError('VALIDATION_FAILED', message, [{ path, message: detail }]);

/**
 * The uploader's pharmacy confirms an uploaded file: what storage holds must exist, be no larger
 * than declared, be of the declared type (magic bytes) and match the checksum when one is given.
 * Only then may a proof use it. Confirming again answers the same.
 */
@Injectable()
export class ConfirmFileHandler {
  constructor(
    private readonly store: PharmacyStore,
    private readonly storage: FileStorage,
    private readonly clock: Clock,
  ) {}

  async execute(caller: Caller, input: { fileId: string; checksum?: string }): Promise<ConfirmedFileView> {
    const pharmacy = await operatorPharmacy(this.store.read, caller);
    const checksum = input.checksum?.toLowerCase();
    // Storage may be remote (Supabase, 10 MB): a longer transaction than the default 5 s.
    return this.store.transaction(
      async (tx) => {
        const file = await tx.files.findById(input.fileId, { forUpdate: true });
        if (!file || file.pharmacyId !== pharmacy.id) throw new CodedError('NOT_FOUND', 'File not found.');
        if (file.status === 'confirmed') {
          if (checksum && checksum !== file.sha256)
            throw refuse(
              'The checksum does not match the file.',
              'checksum',
              'does not match the uploaded content',
            );
          return view(file, file.size!, file.sha256!);
        }
        const bytes = await this.storage.read(file.storageKey);
        if (!bytes || bytes.length === 0)
          throw refuse('Nothing has been uploaded for this file yet.', 'fileId', 'no content uploaded');
        if (bytes.length > file.declaredSize) {
          throw refuse(
            `The file is larger than the ${file.declaredSize} bytes declared.`,
            'size',
            'larger than declared',
          );
        }
        if (sniffContentType(bytes) !== file.contentType) {
          throw refuse(
            `The content is not ${file.contentType}.`,
            'contentType',
            'content does not match the declared type',
          );
        }
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        if (checksum && checksum !== sha256)
          throw refuse(
            'The checksum does not match the file.',
            'checksum',
            'does not match the uploaded content',
          );
        await tx.files.markConfirmed(file.id, { size: bytes.length, sha256, at: this.clock.now() });
        return view(file, bytes.length, sha256);
      },
      { timeoutMs: 60_000 },
    );
  }
}

const view = (file: StoredFileRecord, size: number, sha256: string): ConfirmedFileView => ({
  fileId: file.id,
  status: 'confirmed',
  size,
  contentType: file.contentType,
  checksum: sha256,
});
