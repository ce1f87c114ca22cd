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

  claim(tx: SqlExecutor, consumer: string, envelope: Pick<Envelope, 'messageId' | 'type'>): Promise<boolean> {
    return Inbox.claim(tx, consumer, envelope);
  }

  /** Forgets messages received before `olderThan` (the retention window; default use: 14 days). */
  purgeOlderThan(olderThan: Date): Promise<number> {
    return this.db.$executeRawUnsafe('DELETE FROM inbox_message WHERE received_at < $1::timestamptz', olderThan.toISOString());
  }
}
