import type { JwksView, PublicJwkView } from '@prescriptchain/contracts';
import type { Role, UserStatus } from '../../domain/user.entity';

/** What an access token says about its bearer (a snapshot: authentication re-reads status). */
export interface AccessClaims {
  sub: string;
  role: Role;
  status: UserStatus;
  clinicIds: string[];
  pharmacyId: string | null;
  /** The user's token epoch when issued (JWT claim `tep`); absent in tokens from before epochs (= 0). */
  tokenEpoch?: number;
}

export interface VerifiedAccessClaims extends AccessClaims {
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/** A public signing key and the set `/.well-known/jwks.json` serves, as the contract declares them. */
export type PublicJwk = PublicJwkView;
export type JsonWebKeySet = JwksView;

/**
 * Who checks passwords and signs access tokens. The local provider (the default) keeps argon2id
 * hashes in our user table and signs EdDSA JWTs with keys from our database. A hosted provider
 * (Supabase Auth, later) implements the same methods by delegating the password operations
 * (`enrolPassword` creates its user and returns null for our password_hash column; `checkPassword`
 * signs in there), while refresh-token families, statuses and API keys stay identity's own rules.
 */
export abstract class AuthProvider {
  /** Readies the provider at start-up (the local one makes sure a signing key exists). */
  abstract start(): Promise<void>;
  /** Registers a new account's password; returns what we keep in password_hash (null if the provider keeps it). */
  abstract enrolPassword(
    account: { userId: string; email: string },
    password: string,
  ): Promise<string | null>;
  /**
   * Undoes `enrolPassword` when the registration that followed it failed, so a provider that keeps
   * its own user record (Supabase) does not keep the email taken. Nothing to undo locally.
   */
  async discardEnrolment(_account: { userId: string }): Promise<void> {}
  /**
   * Replaces an enrolled account's password; returns the new password_hash (null if the provider
   * keeps it). Identity revokes the user's sessions itself.
   */
  abstract setPassword(account: { userId: string; email: string }, password: string): Promise<string | null>;
  /** True when the password is right; never throws for a wrong one. Takes as long for an unknown account. */
  abstract checkPassword(
    account: { userId: string; email: string; passwordHash: string | null } | null,
    password: string,
  ): Promise<boolean>;
  abstract issueAccessToken(claims: AccessClaims): Promise<{ accessToken: string; expiresIn: number }>;
  /** Throws TOKEN_EXPIRED for an expired token, INVALID_CREDENTIALS for anything else unverifiable. */
  abstract verifyAccessToken(accessToken: string): Promise<VerifiedAccessClaims>;
  /** The public keys that verify access tokens (current and recently rotated out). */
  abstract jwks(): Promise<JsonWebKeySet>;
}
