import { Injectable } from '@nestjs/common';
import type { Caller } from '../caller';
import { Clock } from '../clock';
import { IdentityStore } from '../ports/identity-store';
import { sha256Hex } from '../secrets';

/** Ends the session the refresh token belongs to (its whole family). Idempotent; others' tokens are ignored. */
@Injectable()
export class LogoutHandler {
  constructor(
    private readonly store: IdentityStore,
    private readonly clock: Clock,
  ) {}

  async execute(caller: Caller, input: { refreshToken: string }): Promise<null> {
    const token = await this.store.repos.refreshTokens.findByHash(sha256Hex(input.refreshToken));
    if (token && token.userId === caller.userId && !token.revokedAt) {
      await this.store.repos.refreshTokens.revokeFamily(token.familyId, this.clock.now());
    }
    return null;
  }
}
