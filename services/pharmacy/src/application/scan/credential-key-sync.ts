import { Injectable } from '@nestjs/common';
import { CredentialJwkSchema } from '@prescriptchain/contracts';
import { CredentialKeyDirectory } from '../ports/credential-key-directory';
import { PharmacyStore } from '../ports/pharmacy-store';

/**
 * Fills the credential keys from orders' JWKS over RPC: at start-up when none are known (a fresh
 * database missed the published events), and when a token names a kid we have not seen.
 */
@Injectable()
export class CredentialKeySync {
  constructor(
    private readonly store: PharmacyStore,
    private readonly directory: CredentialKeyDirectory,
  ) {}

  /** Returns how many keys it stored. */
  async run(options: { onlyIfEmpty: boolean }): Promise<number> {
    if (options.onlyIfEmpty && (await this.store.read.credentialKeys.count()) > 0) return 0;
    const keys = (await this.directory.fetchKeys()).filter((k) => CredentialJwkSchema.safeParse(k).success);
    for (const key of keys) await this.store.read.credentialKeys.save(key);
    return keys.length;
  }
}
