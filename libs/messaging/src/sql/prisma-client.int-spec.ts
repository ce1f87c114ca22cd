/**
 * The kit's SQL goes through a real Prisma 7 client (rust-free, over @prisma/adapter-pg), generated
 * here from the messaging models of tables.md — the same shape every service's client has.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ClinicCreatedV1, EXCHANGES } from '@prescriptchain/contracts';
import { type TestVhost, createTestVhost, eventually } from '../../../../test/support/infra';
import { AmqpConnection } from '../amqp/amqp.connection';
import { Inbox } from '../inbox/inbox';
import { Outbox } from '../outbox/outbox';
import { type CapturedQueue, type MessagingDb, captureQueue, createMessagingDb, recordingLogger } from '../testing/messaging-test-kit';
import type { SqlClient } from './sql-client';

const SCHEMA = `
generator client {
  provider     = "prisma-client"
  output       = "./client"
  moduleFormat = "cjs"
}

datasource db {
  provider = "postgresql"
}

model OutboxMessage {
  id          BigInt    @id @default(autoincrement())
  messageId   String    @unique @map("message_id") @db.Uuid
  exchange    String
  routingKey  String    @map("routing_key")
  type        String
  envelope    Json
  traceparent String?
  createdAt   DateTime  @default(now()) @map("created_at") @db.Timestamptz(3)
  attempts    Int       @default(0)
  lastError   String?   @map("last_error")
  sentAt      DateTime? @map("sent_at") @db.Timestamptz(3)

  @@map("outbox_message")
}

model InboxMessage {
  consumer   String
  messageId  String   @map("message_id") @db.Uuid
  type       String
  receivedAt DateTime @default(now()) @map("received_at") @db.Timestamptz(3)

  @@id([consumer, messageId])
  @@index([receivedAt])
  @@map("inbox_message")
}
`;

// Under the package (gitignored `tmp/`) so the client resolves @prisma/client from the workspace.
const dir = join(__dirname, '..', '..', 'tmp', `prisma-${randomUUID().slice(0, 8)}`);

describe('the kit over a real Prisma 7 client', () => {
  let db: MessagingDb;
  let vhost: TestVhost;
  let prisma: SqlClient & { $disconnect(): Promise<void>; outboxMessage: any };
  let connection: AmqpConnection;
  let capture: CapturedQueue;

  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'schema.prisma'), SCHEMA);
    const cli = join(dirname(require.resolve('prisma/package.json')), 'build', 'index.js');
    const gen = spawnSync(process.execPath, [cli, 'generate', '--schema', join(dir, 'schema.prisma')], {
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (gen.status !== 0) throw new Error(`prisma generate failed: ${gen.stderr || gen.stdout}`);
    [db, vhost] = await Promise.all([createMessagingDb('prisma'), createTestVhost('prisma')]);
    // The client is generated at run time, so it can only be required at run time.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PrismaClient } = require(join(dir, 'client', 'client.ts'));
    const { PrismaPg } = await import('@prisma/adapter-pg');
    prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.database.url }) });
    connection = new AmqpConnection({ url: vhost.url, name: 'identity-outbox', logger: recordingLogger() });
    capture = await captureQueue(vhost.url, EXCHANGES.events);
  }, 60_000);

  afterAll(async () => {
    await capture?.close();
    await connection?.close();
    await prisma?.$disconnect();
    await vhost?.drop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
    try {
      rmdirSync(dirname(dir)); // only when no other run is using it
    } catch {
      // not empty
    }
  });

  it('enqueues in an interactive transaction, relays, marks sent and claims the inbox', async () => {
    const outbox = new Outbox({ db: prisma, connection, service: 'identity', logger: recordingLogger() });
    const payload = { clinicId: randomUUID(), name: 'Prisma Clinic', ownerId: null };
    const [a, b] = await prisma.$transaction((tx) =>
      outbox.enqueue(tx, [
        { definition: ClinicCreatedV1, payload },
        { definition: ClinicCreatedV1, payload: { ...payload, clinicId: randomUUID() } },
      ]),
    );
    expect(await outbox.backlog()).toBe(2);

    await outbox.relay();
    await eventually(() => capture.messages.length === 2);
    expect(capture.messages.map((m) => m.properties.messageId)).toEqual([a.messageId, b.messageId]);
    const rows = await prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r: { messageId: string; sentAt: Date | null }) => [r.messageId, r.sentAt instanceof Date])).toEqual([
      [a.messageId, true],
      [b.messageId, true],
    ]);
    expect(await outbox.backlog()).toBe(0);

    const inbox = new Inbox(prisma);
    expect(await prisma.$transaction((tx) => inbox.claim(tx, 'accounts.test', a))).toBe(true);
    expect(await prisma.$transaction((tx) => inbox.claim(tx, 'accounts.test', a))).toBe(false);
    expect(await inbox.purgeOlderThan(new Date(Date.now() + 60_000))).toBe(1);
    expect(await outbox.purgeSent(new Date(Date.now() + 60_000))).toBe(2);
    await outbox.stop();
  });

  it('rolls the outbox row back with the interactive transaction', async () => {
    const outbox = new Outbox({ db: prisma, connection, service: 'identity', logger: recordingLogger() });
    await expect(
      prisma.$transaction(async (tx) => {
        await outbox.enqueue(tx, { definition: ClinicCreatedV1, payload: { clinicId: randomUUID(), name: 'x', ownerId: null } });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await prisma.outboxMessage.count()).toBe(0);
    await outbox.stop();
  });

  it('records a failed publish on the row and leaves it pending', async () => {
    const outbox = new Outbox({ db: prisma, connection, service: 'identity', logger: recordingLogger(), publishTimeoutMs: 500, flushTimeoutMs: 200 });
    const env = await prisma.$transaction((tx) =>
      outbox.enqueue(tx, { definition: ClinicCreatedV1, payload: { clinicId: randomUUID(), name: 'x', ownerId: null } }),
    );
    // A header table over amqplib's 64 KiB encoding limit: the client refuses the publish.
    await prisma.$executeRawUnsafe(
      'UPDATE outbox_message SET traceparent = $2 WHERE message_id = $1::uuid',
      env.messageId,
      'x'.repeat(70_000),
    );
    await outbox.relay();
    const [row] = await prisma.$queryRawUnsafe<{ attempts: number; last_error: string | null; sent_at: Date | null }[]>(
      'SELECT attempts, last_error, sent_at FROM outbox_message WHERE message_id = $1::uuid',
      env.messageId,
    );
    expect(row.sent_at).toBeNull();
    expect(row.attempts).toBeGreaterThanOrEqual(1);
    expect(row.last_error).toEqual(expect.any(String));
    expect(await outbox.backlog()).toBe(1);
    await outbox.stop();
  });
});
