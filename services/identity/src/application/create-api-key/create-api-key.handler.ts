import { Injectable } from '@nestjs/common';
import type { CreatedApiKeyView } from '@prescriptchain/contracts';
import {
  API_KEY_PREFIX_ALPHABET,
  API_KEY_PREFIX_LENGTH,
  API_KEY_SECRET_ALPHABET,
  API_KEY_SECRET_LENGTH,
  assertMayHoldApiKeys,
  assertValidExpiry,
  formatApiKey,
} from '../../domain/api-key';
import type { Caller } from '../caller';
import { Clock } from '../clock';
import { IdentityStore } from '../ports/identity-store';
import { newId, randomString, sha256Hex } from '../secrets';

/** A key for an integration. The whole key is returned once here; we keep its prefix and sha256 only. */
@Injectable()
export class CreateApiKeyHandler {
  constructor(
    private readonly store: IdentityStore,
    private readonly clock: Clock,
  ) {}

  async execute(
    caller: Caller,
    input: { name: string; expiresAt?: Date | null },
  ): Promise<CreatedApiKeyView> {
    assertMayHoldApiKeys(caller.role);
    const now = this.clock.now();
    const expiresAt = input.expiresAt ?? null;
    assertValidExpiry(expiresAt, now);
    const prefix = randomString(API_KEY_PREFIX_ALPHABET, API_KEY_PREFIX_LENGTH);
    const key = formatApiKey(prefix, randomString(API_KEY_SECRET_ALPHABET, API_KEY_SECRET_LENGTH));
    const id = newId();
    await this.store.transaction(async (tx) => {
      await tx.apiKeys.insert({
        id,
        userId: caller.userId,
        name: input.name.trim(),
        prefix,
        secretHash: sha256Hex(key),
        createdAt: now,
        expiresAt,
        lastUsedAt: null,
        revokedAt: null,
      });
      await tx.audit.record({
        actorId: caller.userId,
        action: 'api_key.created',
        subjectId: caller.userId,
        ip: caller.ip ?? null,
        details: { apiKeyId: id, prefix },
      });
    });
    return {
      id,
      name: input.name.trim(),
      prefix,
      key,
      createdAt: now.toISOString(),
      expiresAt: expiresAt?.toISOString() ?? null,
    };
  }
}
