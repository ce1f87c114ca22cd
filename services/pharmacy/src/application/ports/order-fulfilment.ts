/**
 * Orders' side of fulfilment (RPC to orders): it owns the order's state machine, so claiming an
 * order and recording the review's decision are its compare-and-sets. Refusals arrive as CodedErrors
 * (INVALID_ORDER_STATUS, ORDER_NOT_FOUND); GATEWAY_TIMEOUT / SERVICE_UNAVAILABLE mean "unknown".
 */
export abstract class OrderFulfilment {
  /** PAID (or REJECTED for this pharmacy) → PENDING_REVIEW for `pharmacyId`, payout fixed. */
  abstract claimForReview(input: { orderId: string; pharmacyId: string; payoutCents: number }): Promise<void>;
  /** PENDING_REVIEW → FULFILLED (approve) or REJECTED (reject). */
  abstract review(input: {
    orderId: string;
    decision: 'approve' | 'reject';
    reviewerId: string;
    comments: string | null;
  }): Promise<void>;
}

export interface CredentialJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

/** Orders' current credential public keys (`orders.credentials.jwks`), for a cold read model. */
export abstract class CredentialKeyDirectory {
  abstract fetchKeys(): Promise<CredentialJwk[]>;
}
