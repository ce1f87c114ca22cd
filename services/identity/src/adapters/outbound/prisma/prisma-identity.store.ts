import { CodedError, type MessageDefinition, type PayloadOf } from '@prescriptchain/contracts';
import { EventPublisher } from '../../../application/ports/event-publisher';
import {
  type IdentityRepositories,
  IdentityStore,
  type IdentityTransaction,
} from '../../../application/ports/identity-store';
import type { PrismaClient } from '../../../generated/prisma/client';
import type { PiiCipher } from '../crypto/pii-cipher';
import { type IdentityDb, isUniqueViolation } from './identity-prisma.service';
import { PrismaClinicsRepository, PrismaPharmacyLinksRepository } from './prisma-clinics.repository';
import {
  PrismaApiKeysRepository,
  PrismaAuditTrail,
  PrismaLoginThrottlesRepository,
  PrismaRefreshTokensRepository,
} from './prisma-credentials.repository';
import { PrismaUsersRepository } from './prisma-users.repository';

/**
 * Identity's database through Prisma. Inside `transaction`, repositories and `publish` share one
 * interactive transaction, so events land in the outbox exactly when the state change commits.
 */
export class PrismaIdentityStore extends IdentityStore {
  readonly repos: IdentityRepositories;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly cipher: PiiCipher,
    private readonly events: EventPublisher,
  ) {
    super();
    this.repos = this.repositories(prisma);
  }

  async transaction<T>(work: (tx: IdentityTransaction) => Promise<T>): Promise<T> {
    let published = false;
    try {
      const result = await this.prisma.$transaction(
        (db) =>
          work({
            ...this.repositories(db),
            publish: <D extends MessageDefinition>(definition: D, payload: PayloadOf<D>) => {
              published = true;
              return this.events.publish(db, definition, payload);
            },
            lock: async (name: string) => {
              await db.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', name);
            },
          }),
        { timeout: 15_000, maxWait: 10_000 },
      );
      if (published) this.events.afterCommit();
      return result;
    } catch (err) {
      // Checked first in the use cases; a race between two requests still ends as a clean 409.
      if (isUniqueViolation(err)) throw new CodedError('CONFLICT');
      throw err;
    }
  }

  private repositories(db: IdentityDb): IdentityRepositories {
    return {
      users: new PrismaUsersRepository(db, this.cipher),
      clinics: new PrismaClinicsRepository(db, this.cipher),
      pharmacyLinks: new PrismaPharmacyLinksRepository(db),
      refreshTokens: new PrismaRefreshTokensRepository(db),
      apiKeys: new PrismaApiKeysRepository(db),
      loginThrottles: new PrismaLoginThrottlesRepository(db),
      audit: new PrismaAuditTrail(db),
    };
  }
}
