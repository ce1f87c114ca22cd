import type { CredentialClaims, CredentialJwk } from '@prescriptchain/contracts';
import type { Credential } from '../../domain/order/order.entity';

/**
 * Mints and checks prescription credentials: the platformOrderId, the signed QR token (keys kept in
 * orders' database, private halves encrypted) and the 6-digit verification code (stored as a keyed
 * HMAC, and encrypted so its owner can print it again).
 */
export abstract class CredentialsIssuer {
  abstract issue(orderId: string, issuedAt: Date, expiresAt: Date): Promise<Credential>;
  /** The claims of a token this service signed and that has not expired; INVALID_CREDENTIAL otherwise. */
  abstract verifyToken(token: string): Promise<CredentialClaims>;
  abstract verificationCodeMatches(orderId: string, credential: Credential, code: string): boolean;
  /** The keyed digest pharmacy checks typed codes against; null for credentials minted before it. */
  publishableCodeDigest(credential: Credential): string | null {
    return credential.verificationCodeSalt ? null : credential.verificationCodeHash;
  }
  abstract revealVerificationCode(credential: Credential): string;
  /** The public keys that verify tokens (for pharmacy's offline checks). */
  abstract publicKeys(): Promise<CredentialJwk[]>;
}
