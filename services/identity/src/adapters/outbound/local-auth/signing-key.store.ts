import type { PublicJwk } from '../../../application/ports/auth-provider';
import type { SigningKeyMeta } from '../../../domain/signing-key-ring';

export interface SigningKeyRecord extends SigningKeyMeta {
  algorithm: 'EdDSA';
  publicJwk: PublicJwk;
  /** PKCS#8 PEM, encrypted with the PII cipher. */
  privateKeyEnc: string;
}

export interface SigningKeyChanges {
  at: Date;
  demote: string[];
  retire: string[];
  add: SigningKeyRecord | null;
}

/** Where the local auth provider keeps its signing keys (the database, or memory in unit tests). */
export interface SigningKeyStore {
  /** Keys not yet retired. */
  list(): Promise<SigningKeyRecord[]>;
  /**
   * Lets `decide` look at the current keys and applies what it returns in one transaction,
   * serialised with every other process doing the same (replicas starting together rotate once).
   */
  change(decide: (current: SigningKeyRecord[]) => Promise<SigningKeyChanges | null>): Promise<boolean>;
}
