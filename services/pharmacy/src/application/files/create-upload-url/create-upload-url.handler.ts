import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { UploadUrlView } from '@prescriptchain/contracts';
import { type ProofContentType, safeFileName } from '../../../domain/file-content';
import type { Caller } from '../../caller';
import { Clock } from '../../clock';
import { operatorPharmacy } from '../../operator-access';
import { PharmacyConfig } from '../../pharmacy-config';
import { FileStorage } from '../../ports/file-storage';
import { PharmacyStore } from '../../ports/pharmacy-store';

/** A pharmacy operator asks where to upload a proof file; the file belongs to their pharmacy. */
@Injectable()
export class CreateUploadUrlHandler {
  constructor(
    private readonly store: PharmacyStore,
    private readonly storage: FileStorage,
    private readonly clock: Clock,
    private readonly config: PharmacyConfig,
  ) {}

  async execute(
    caller: Caller,
    input: { fileName: string; contentType: ProofContentType; size: number; purpose: 'fulfillment_proof' },
  ): Promise<UploadUrlView> {
    const pharmacy = await operatorPharmacy(this.store.read, caller);
    const id = randomUUID();
    const file = {
      id,
      pharmacyId: pharmacy.id,
      uploaderId: caller.userId,
      fileName: safeFileName(input.fileName),
      contentType: input.contentType,
      declaredSize: input.size,
      storageKey: `pharmacies/${pharmacy.id}/${id}`,
      purpose: input.purpose,
      createdAt: this.clock.now(),
    };
    await this.store.read.files.insert(file);
    const target = await this.storage.createUpload(
      {
        key: file.storageKey,
        fileId: id,
        fileName: file.fileName,
        contentType: file.contentType,
        size: file.declaredSize,
      },
      this.config.uploadUrlTtlSeconds,
    );
    return {
      fileId: id,
      uploadUrl: target.url,
      method: target.method,
      headers: target.headers,
      expiresIn: target.expiresIn,
    };
  }
}
