import { Injectable } from '@nestjs/common';
import type { ApiKeyView } from '@prescriptchain/contracts';
import type { Caller } from '../caller';
import { Clock } from '../clock';
import { IdentityStore } from '../ports/identity-store';
import { apiKeyView } from '../views';

/** The caller's own keys, without secrets, with when each was last used. */
@Injectable()
export class ListApiKeysHandler {
  constructor(
    private readonly store: IdentityStore,
    private readonly clock: Clock,
  ) {}

  async execute(caller: Caller): Promise<ApiKeyView[]> {
    const now = this.clock.now();
    return (await this.store.repos.apiKeys.listForOwner(caller.userId)).map((k) => apiKeyView(k, now));
  }
}
