import { Injectable } from '@nestjs/common';
import type { CredentialJwk } from '../../ports/credential-key-directory';
import { type IncomingMessage, PharmacyStore } from '../../ports/pharmacy-store';

export const CREDENTIAL_KEYS_CONSUMER = 'pharmacy.credential-keys';

/** orders.credential_key.published → a key that verifies QR tokens from now on. */
@Injectable()
export class RecordCredentialKeyHandler {
  constructor(private readonly store: PharmacyStore) {}

  async execute(jwk: CredentialJwk, message: IncomingMessage): Promise<void> {
    await this.store.transaction(async (tx) => {
      if (!(await tx.claimInbox(CREDENTIAL_KEYS_CONSUMER, message))) return;
      await tx.credentialKeys.save(jwk);
    });
  }
}
