/** One of orders' credential-signing public keys, as a JWK. */
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
