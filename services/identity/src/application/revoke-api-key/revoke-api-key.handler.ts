import { Injectable } from '@nestjs/common';
import { CodedError } from '@prescriptchain/contracts';
import type { Caller } from '../caller';
import { Clock } from '../clock';
import { IdentityStore } from '../ports/identity-store';

/** Revokes one of the caller's keys; authentication refuses it from the next request on. Idempotent. */
@Injectable()
export class RevokeApiKeyHandler {
  constructor(
    private readonly store: IdentityStore,
    private readonly clock: Clock,
  ) {}

  async execute(caller: Caller, input: { id: string }): Promise<null> {
    await this.store.transaction(async (tx) => {
      // Owner-scoped lookup: someone else's key is "not found", never "forbidden".
      const key = await tx.apiKeys.findForOwner(caller.userId, input.id);
      if (!key) throw new CodedError('NOT_FOUND');
      if (key.revokedAt) return;
      await tx.apiKeys.revoke(key.id, this.clock.now());
      await tx.audit.record({
        actorId: caller.userId,
        action: 'api_key.revoked',
        subjectId: caller.userId,
        ip: caller.ip ?? null,
        details: { apiKeyId: key.id, prefix: key.prefix },
      });
    });
    return null;
  }
}
