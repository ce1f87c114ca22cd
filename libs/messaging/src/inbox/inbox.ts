import type { Envelope } from '@prescriptchain/contracts';
import type { SqlClient, SqlExecutor } from '../sql/sql-client';

/**
 * Idempotent consumers. `claim` records (consumer, messageId) in the transaction of the effect:
 * true = first time, do the effect; false = already done, return without effect (the transport
 * acks). `ON CONFLICT DO NOTHING` plus the row count, because a unique-violation inside a PostgreSQL
 * transaction aborts the whole transaction (catching Prisma's P2002 cannot save it).
 */
export class Inbox {
  constructor(private readonly db: SqlClient) {}

  static async claim(tx: SqlExecutor, consumer: string, envelope: Pick<Envelope, 'messageId' | 'type'>): Promise<boolean> {
    const inserted = await tx.$executeRawUnsafe(
      'INSERT INTO inbox_message (consumer, message_id, type) VALUES ($1, $2::uuid, $3) ON CONFLICT DO NOTHING',
      consumer,
      envelope.messageId,
      envelope.type,
    );
    return Number(inserted) === 1;
  }

  /**
   * The claim as a data-modifying CTE body (`WITH claim AS (${Inbox.claimStatement(n)}) …`), for a
   * consumer whose whole effect is one statement: it returns one row the first time, none for a
   * redelivery, and the rest of the statement conditions its writes on it. Its parameters are
   * `$first…$first+2`, valued by `claimValues`.
   */
  static claimStatement(first: number): string {
    return `INSERT INTO inbox_message (consumer, message_id, type) VALUES ($${first}, $${first + 1}::uuid, $${first + 2})
      ON CONFLICT DO NOTHING RETURNING 1 AS claimed`;
  }

  static claimValues(consumer: string, envelope: Pick<Envelope, 'messageId' | 'type'>): [string, string, string] {
    return [consumer, envelope.messageId, envelope.type];
  }

  claim(tx: SqlExecutor, consumer: string, envelope: Pick<Envelope, 'messageId' | 'type'>): Promise<boolean> {
    return Inbox.claim(tx, consumer, envelope);
  }

  /** Forgets messages received before `olderThan` (the retention window; default use: 14 days). */
  purgeOlderThan(olderThan: Date): Promise<number> {
    return this.db.$executeRawUnsafe('DELETE FROM inbox_message WHERE received_at < $1::timestamptz', olderThan.toISOString());
  }
}
