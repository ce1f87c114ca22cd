/**
 * Notifications on a throw-away PostgreSQL database and RabbitMQ vhost: the migrated schema, the
 * real Prisma store and Outbox, and helpers to publish events the way other services' outboxes do.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { EXCHANGES, type Envelope, HEADERS, type MessageDefinition } from '@prescriptchain/contracts';
import { AmqpConnection, Outbox } from '@prescriptchain/messaging';
import * as amqplib from 'amqplib';
import { Client } from 'pg';
import type { z } from 'zod';
import {
  type TestDatabase,
  type TestVhost,
  createTestDatabase,
  createTestVhost,
} from '../../../test/support/infra';
import { migrate } from '../../../tools/migrate';
import { TestClock } from '../../../test/support/test-clock';
import { NotificationsPrismaService } from '../src/adapters/outbound/prisma/notifications-prisma.service';
import { PrismaNotificationsStore } from '../src/adapters/outbound/prisma/prisma-notifications.store';
import type { NotificationsConfig } from '../src/application/notifications-config';
import { EmailSender, type OutgoingEmail, type SentEmail } from '../src/application/ports/email-sender';

export const MIGRATIONS_DIR = path.join(__dirname, '..', 'prisma', 'migrations');

/** A fake of the EmailSender port: records what it was given; `behaviour` decides each attempt. */
export class RecordingEmailSender extends EmailSender {
  readonly sent: OutgoingEmail[] = [];
  attempts = 0;
  constructor(
    private readonly behaviour: (attempt: number, email: OutgoingEmail) => Promise<void> | void = () =>
      undefined,
  ) {
    super();
  }
  async send(email: OutgoingEmail): Promise<SentEmail> {
    this.attempts++;
    await this.behaviour(this.attempts, email);
    this.sent.push(email);
    return { providerMessageId: `test-${this.attempts}` };
  }
}

export function testConfig(
  over: { dispatch?: Partial<NotificationsConfig['dispatch']>; mailDir?: string } = {},
): NotificationsConfig {
  return {
    mail: {
      from: 'PrescriptChain <no-reply@prescriptchain.test>',
      mailDir: over.mailDir ?? '.data/mail-test',
    },
    dispatch: {
      pollMs: 0,
      batchSize: 10,
      maxAttempts: 3,
      baseDelayMs: 1_000,
      maxDelayMs: 60_000,
      sendTimeoutMs: 2_000,
      ...over.dispatch,
    },
  };
}

export async function createNotificationsKit(name: string) {
  const db: TestDatabase = await createTestDatabase(name);
  const vhost: TestVhost = await createTestVhost(name);
  await migrate(db.url, MIGRATIONS_DIR);
  const prisma = new NotificationsPrismaService(db.url);
  const connection = new AmqpConnection({ url: vhost.url, name: `${name}-outbox` });
  const outbox = new Outbox({ db: prisma, connection, service: 'notifications' });
  const store = new PrismaNotificationsStore(prisma, outbox);
  let publisher: amqplib.ChannelModel | undefined;

  const kit = {
    db,
    vhost,
    prisma,
    outbox,
    store,

    /** Raw SQL on the suite's database. */
    async sql<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
      const c = new Client({ connectionString: db.url });
      await c.connect();
      try {
        return (await c.query(text, values)).rows as T[];
      } finally {
        await c.end();
      }
    },

    /** An envelope as another service's outbox would write it. */
    envelope<S extends z.ZodType>(
      definition: MessageDefinition<S>,
      payload: z.input<S>,
      occurredAt = new Date(),
    ): Envelope<z.output<S>> {
      const messageId = randomUUID();
      return {
        messageId,
        type: definition.type,
        version: definition.version,
        occurredAt: occurredAt.toISOString(),
        correlationId: messageId,
        causationId: null,
        traceparent: null,
        payload: definition.payload.parse(payload),
      };
    },

    /** Publishes an envelope to the events exchange (persistent, confirmed), as the outbox relay does. */
    async publish(envelope: Envelope): Promise<Envelope> {
      publisher ??= await amqplib.connect(vhost.url);
      const ch = await publisher.createConfirmChannel();
      try {
        await ch.assertExchange(EXCHANGES.events, 'topic', { durable: true });
        ch.publish(EXCHANGES.events, envelope.type, Buffer.from(JSON.stringify(envelope)), {
          persistent: true,
          messageId: envelope.messageId,
          contentType: 'application/json',
          headers: { [HEADERS.messageType]: envelope.type, [HEADERS.messageVersion]: envelope.version },
        });
        await ch.waitForConfirms();
      } finally {
        await ch.close();
      }
      return envelope;
    },

    async close() {
      await publisher?.close().catch(() => undefined);
      await outbox.stop().catch(() => undefined);
      await connection.close().catch(() => undefined);
      await prisma.$disconnect();
      await db.drop();
      await vhost.drop();
    },
  };
  return kit;
}

export type NotificationsKit = Awaited<ReturnType<typeof createNotificationsKit>>;

export { TestClock };
