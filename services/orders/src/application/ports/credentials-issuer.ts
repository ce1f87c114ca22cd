import type { CredentialClaims, CredentialJwk } from '@prescriptchain/contracts';
import type { Credential } from '../../domain/order/order.entity';

/**
 * Mints and checks prescription credentials: the platformOrderId, the signed QR token (keys kept in
 * orders' database, private halves encrypted) and the 6-digit verification code (stored hashed, and
 * encrypted so its owner can print it again).
 */
export abstract class CredentialsIssuer {
  abstract issue(orderId: string, issuedAt: Date, expiresAt: Date): Promise<Credential>;
  /** The claims of a token this service signed and that has not expired; INVALID_CREDENTIAL otherwise. */
  abstract verifyToken(token: string): Promise<CredentialClaims>;
  abstract verificationCodeMatches(credential: Credential, code: string): boolean;
  abstract revealVerificationCode(credential: Credential): string;
  /** The public keys that verify tokens (for pharmacy's offline checks). */
  abstract publicKeys(): Promise<CredentialJwk[]>;
}
