import type { MessageDefinition } from '@prescriptchain/contracts';
import { Inbox, type Outbox, type PiiCipher, type SqlExecutor } from '@prescriptchain/messaging';
import type { z } from 'zod';
import type {
  IncomingMessage,
  PharmacyRepositories,
  PharmacyStore,
  PharmacyTx,
} from '../../../application/ports/pharmacy-store';
import type { PharmacyPrismaService } from './pharmacy-prisma.service';
import { SqlCredentialKeyRepository } from './sql-credential-key.repository';
import { SqlFileRepository } from './sql-file.repository';
import { SqlInventoryRepository } from './sql-inventory.repository';
import { SqlOperatorRepository } from './sql-operator.repository';
import { SqlOrderViewRepository } from './sql-order-view.repository';
import { SqlPharmacyRepository } from './sql-pharmacy.repository';
import { SqlProofRepository } from './sql-proof.repository';
import { SqlScanRepository } from './sql-scan.repository';

/** The same repositories on the plain client (`read`) or on one transaction's client. */
function repositories(db: SqlExecutor, cipher: PiiCipher): PharmacyRepositories {
  return {
    pharmacies: new SqlPharmacyRepository(db),
    operators: new SqlOperatorRepository(db),
    inventory: new SqlInventoryRepository(db),
    orders: new SqlOrderViewRepository(db, cipher),
    credentialKeys: new SqlCredentialKeyRepository(db),
    scans: new SqlScanRepository(db),
    files: new SqlFileRepository(db),
    proofs: new SqlProofRepository(db),
  };
}

/**
 * PharmacyStore on the service's Prisma client. The repositories are raw SQL (PostGIS, partial unique
 * indexes, row locks, SKIP LOCKED) and run on whatever executor they are given, so one transaction —
 * the outbox's — covers them, the inbox claim and the events it publishes.
 */
export class PrismaPharmacyStore implements PharmacyStore {
  readonly read: PharmacyRepositories;

  constructor(
    prisma: PharmacyPrismaService,
    private readonly outbox: Outbox,
    private readonly cipher: PiiCipher,
  ) {
    this.read = repositories(prisma, cipher);
  }

  transaction<R>(fn: (tx: PharmacyTx) => Promise<R>, options: { timeoutMs?: number } = {}): Promise<R> {
    return this.outbox.transaction(
      async (db) => {
        const tx: PharmacyTx = {
          ...repositories(db, this.cipher),
          claimInbox: (consumer: string, message: IncomingMessage) => Inbox.claim(db, consumer, message),
          publish: async <S extends z.ZodType>(
            definition: MessageDefinition<S>,
            payload: z.input<S>,
            cause?: { correlationId: string; causationId: string | null },
          ) => {
            await this.outbox.enqueue(db, {
              definition,
              payload,
              correlationId: cause?.correlationId,
              causationId: cause?.causationId,
            });
          },
        };
        return fn(tx);
      },
      options.timeoutMs ? { timeout: options.timeoutMs } : undefined,
    );
  }
}
