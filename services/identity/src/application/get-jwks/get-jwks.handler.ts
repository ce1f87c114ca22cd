import { Injectable } from '@nestjs/common';
import { AuthProvider, type JsonWebKeySet } from '../ports/auth-provider';

/** The public keys that verify access tokens (what `/.well-known/jwks.json` serves). */
@Injectable()
export class GetJwksHandler {
  constructor(private readonly auth: AuthProvider) {}

  execute(): Promise<JsonWebKeySet> {
    return this.auth.jwks();
  }
}
