/**
 * orders and accounts, both for real, in this process: each its own Nest microservice on the
 * messaging kit's AmqpTransport, each on its own fresh (migrated) PostgreSQL database, both on one
 * fresh RabbitMQ vhost — so the saga's messages really flow orders → accounts.debit.requested →
 * accounts → accounts.debit.succeeded|rejected → orders. The test drives orders through its RPC, as
 * the gateway does, and listens to everything published on the events exchange, raw.
 *
 * accounts runs with its store wrapped in FaultInjectingAccountsStore (a test arms faults on it) and
 * can be stopped and started again on the same database and vhost (a process restart).
 */
import { randomUUID } from 'node:crypto';
import { type INestMicroservice, Module, type Provider } from '@nestjs/common';
import {
  ACCOUNTS_RPC,
  ClinicCreatedV1,
  EXCHANGES,
  type Envelope,
  type LedgerEntryView,
  ORDERS_RPC,
  type OrderCaller,
  type OrderView,
  type PingReply,
  RPC,
  decimalToCents,
  queueNames,
} from '@prescriptchain/contracts';
import {
  AmqpRpcClient,
  MessagingModule,
  Outbox,
  assertExchanges,
  createServiceMicroservice,
} from '@prescriptchain/messaging';
import * as amqplib from 'amqplib';
import { Pool } from 'pg';
import { AccountsCoreModule } from '../../../services/accounts/src/accounts-core.module';
import {
  AccountsPrismaModule,
  AccountsPrismaService,
} from '../../../services/accounts/src/adapters/outbound/prisma/accounts-prisma.service';
import { PrismaAccountsStore } from '../../../services/accounts/src/adapters/outbound/prisma/prisma-accounts.store';
import { AccountsStore } from '../../../services/accounts/src/application/ports/accounts-store';
import {
  MIGRATIONS_DIR as ACCOUNTS_MIGRATIONS,
  WEBHOOK_SECRET,
  quiet,
} from '../../../services/accounts/test/accounts-test-kit';
import {
  OrdersPrismaModule,
  OrdersPrismaService,
} from '../../../services/orders/src/adapters/outbound/prisma/orders-prisma.service';
import { CatalogueModule } from '../../../services/orders/src/catalogue.module';
import { OrderingModule } from '../../../services/orders/src/ordering.module';
import { MIGRATIONS_DIR as ORDERS_MIGRATIONS } from '../../../services/orders/test/orders/orders-test-kit';
import { migrate } from '../../../tools/migrate';
import {
  type TestDatabase,
  type TestVhost,
  createTestDatabase,
  createTestVhost,
  eventually,
} from '../../support/infra';
import { FaultInjectingAccountsStore } from './fault-injecting-accounts.store';

export interface SagaPlatformOptions {
  /** orders' SAGA_TIMEOUT_MS. */
  sagaTimeoutMs: number;
}

/** One message as it crossed the events exchange: its envelope and the exact bytes and properties. */
export interface HeardMessage {
  envelope: Envelope<Record<string, any>>;
  content: Buffer;
  properties: amqplib.MessageProperties;
}

export interface Clinic {
  clinicId: string;
  /** A practitioner member of the clinic (the gateway's caller for orders RPCs). */
  caller: OrderCaller;
}

export async function startSagaPlatform(name: string, options: SagaPlatformOptions) {
  const [vhost, ordersDb, accountsDb] = await Promise.all([
    createTestVhost(name),
    createTestDatabase(`${name}_orders`),
    createTestDatabase(`${name}_accounts`),
  ]);
  await Promise.all([
    migrate(ordersDb.url, ORDERS_MIGRATIONS, { log: () => undefined }),
    migrate(accountsDb.url, ACCOUNTS_MIGRATIONS, { log: () => undefined }),
  ]);

  // orders reads its saga settings from the environment (OrderingModule); restored on close.
  const env = {
    SAGA_TIMEOUT_MS: String(options.sagaTimeoutMs),
    // The deadline job runs only when a test runs it (EnforceDeadlinesHandler), never on a timer.
    ORDER_JOBS_INTERVAL_MS: '0',
  };
  const savedEnv = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);

  const sqlPools = {
    orders: new Pool({ connectionString: ordersDb.url, max: 3 }),
    accounts: new Pool({ connectionString: accountsDb.url, max: 3 }),
  };
  for (const pool of Object.values(sqlPools)) pool.on('error', () => undefined);

  // Everything published on the events exchange, from before either service starts.
  const broker = await amqplib.connect(vhost.url);
  const channel = await broker.createConfirmChannel();
  await assertExchanges(channel);
  const { queue } = await channel.assertQueue('', { exclusive: true });
  await channel.bindQueue(queue, EXCHANGES.events, '#');
  const heard: HeardMessage[] = [];
  await channel.consume(
    queue,
    (m) =>
      m &&
      heard.push({
        envelope: JSON.parse(m.content.toString('utf8')),
        content: m.content,
        properties: m.properties,
      }),
    { noAck: true },
  );

  const ordersApp = await startOrders(ordersDb, vhost);
  let faults: FaultInjectingAccountsStore | null = null;
  let accountsApp: INestMicroservice | null = null;

  async function startAccounts(): Promise<void> {
    const core = AccountsCoreModule.forRoot({
      config: {
        payments: {
          provider: 'sandbox',
          stripeSecretKey: null,
          webhookSecret: WEBHOOK_SECRET,
          stripeApi: null,
          webhookUrl: null,
          sandboxSettleMs: null,
        },
      },
    });
    // The real store, wrapped: the module's own binding of AccountsStore is replaced, nothing else.
    core.providers = (core.providers ?? []).map((p): Provider =>
      typeof p === 'object' && 'provide' in p && p.provide === AccountsStore
        ? {
            provide: AccountsStore,
            useFactory: (prisma: AccountsPrismaService, outbox: Outbox) =>
              (faults = new FaultInjectingAccountsStore(new PrismaAccountsStore(prisma, outbox))),
            inject: [AccountsPrismaService, Outbox],
          }
        : p,
    );
    @Module({
      imports: [
        AccountsPrismaModule.forRoot(accountsDb.url),
        MessagingModule.forService({
          service: 'accounts',
          prismaToken: AccountsPrismaService,
          url: vhost.url,
          logger: quiet,
        }),
        core,
      ],
    })
    class SagaAccountsModule {}

    const app = await createServiceMicroservice(SagaAccountsModule, {
      service: 'accounts',
      url: vhost.url,
      logger: quiet,
      retryDelaysMs: [250],
      closeTimeoutMs: 3_000,
      publishTimeoutMs: 1_000,
      nest: { logger: false },
      shutdownHooks: false,
    });
    await app.listen();
    accountsApp = app;
  }

  async function stopAccounts(): Promise<void> {
    const app = accountsApp;
    accountsApp = null;
    await app?.close();
  }

  await startAccounts();
  const rpc = new AmqpRpcClient({ url: vhost.url, name: `${name}-gateway`, logger: quiet });
  await rpc.connect();

  const sql = async <T = Record<string, any>>(
    db: 'orders' | 'accounts',
    text: string,
    values: unknown[] = [],
  ): Promise<T[]> => (await sqlPools[db].query(text, values)).rows as T[];

  const ordersMedicines = new Map(
    (await sql<{ id: string; sku: string }>('orders', 'SELECT id, sku FROM medicines')).map(
      (r) => [r.sku, r.id] as const,
    ),
  );

  const platform = {
    vhost,
    ordersDb,
    accountsDb,
    ordersApp,
    rpc,
    heard,
    sql,

    get accountsApp(): INestMicroservice {
      if (!accountsApp) throw new Error('accounts is stopped');
      return accountsApp;
    },
    /** The fault hooks of the running accounts instance's store. */
    get faults(): FaultInjectingAccountsStore {
      if (!faults) throw new Error('accounts has not started');
      return faults;
    },
    startAccounts,
    stopAccounts,

    call<T>(pattern: string, data: unknown, deadlineMs = 15_000): Promise<T> {
      return rpc.call<T>(pattern, data, { deadlineMs });
    },

    /** A clinic as identity announces it (accounts opens its account), with one practitioner member. */
    async openClinic(): Promise<Clinic> {
      const clinicId = randomUUID();
      await platform.publish(envelopeOf(ClinicCreatedV1.type, { clinicId, name: 'Saga TCM', ownerId: null }));
      await eventually(
        async () =>
          (await sql('accounts', 'SELECT 1 FROM clinic_account WHERE clinic_id = $1', [clinicId])).length,
        10_000,
      );
      return { clinicId, caller: { userId: randomUUID(), role: 'practitioner', clinicIds: [clinicId] } };
    },

    /** Funds the clinic as an admin does: accounts.accounts.adjust over RPC. */
    fund(clinicId: string, amountCents: number): Promise<LedgerEntryView> {
      return platform.call<LedgerEntryView>(ACCOUNTS_RPC.adjust, {
        clinicId,
        amountCents,
        reason: 'saga test funding',
        caller: { userId: randomUUID(), role: 'admin', clinicIds: [] },
        idempotencyKey: randomUUID(),
      });
    },

    /** orders.orders.create: 当归 10 g × 3 packs = 420 cents, with an Idempotency-Key as the gateway sends. */
    createOrder({ clinicId, caller }: Clinic): Promise<OrderView> {
      return platform.call<OrderView>(ORDERS_RPC.create, {
        caller,
        clinicId,
        patientInfo: { name: 'Mere Tane' },
        items: [{ medicineId: platform.medicine('RAW-DANGGUI'), quantity: '10' }],
        packs: 3,
        idempotencyKey: `saga-${randomUUID()}`,
      });
    },

    getOrder({ caller }: Clinic, orderId: string): Promise<OrderView> {
      return platform.call<OrderView>(ORDERS_RPC.get, { caller, orderId });
    },

    /** Waits (bounded) until the order leaves PENDING_PAYMENT or reaches `status`. */
    async settled(orderId: string, status?: string, timeoutMs = 10_000): Promise<string> {
      return eventually(async () => {
        const [row] = await sql<{ status: string }>('orders', 'SELECT status FROM orders WHERE id = $1', [
          orderId,
        ]);
        if (!row) return undefined;
        return (status ? row.status === status : row.status !== 'PENDING_PAYMENT') ? row.status : undefined;
      }, timeoutMs);
    },

    /** A PAID order (the clinic must have the money). */
    async paidOrder(clinic: Clinic): Promise<OrderView> {
      const created = await platform.createOrder(clinic);
      await platform.settled(created.id, 'PAID');
      return platform.getOrder(clinic, created.id);
    },

    medicine(sku: string): string {
      const id = ordersMedicines.get(sku);
      if (!id) throw new Error(`no medicine ${sku}`);
      return id;
    },

    /** Publishes straight to the events exchange, as a relay (or a broker redelivering a copy) would. */
    async publish(envelope: Envelope<unknown>, content?: Buffer, properties?: amqplib.MessageProperties) {
      channel.publish(EXCHANGES.events, envelope.type, content ?? Buffer.from(JSON.stringify(envelope)), {
        persistent: true,
        contentType: 'application/json',
        ...(properties ? pickPublishProperties(properties) : {}),
        messageId: envelope.messageId,
      });
      await channel.waitForConfirms();
    },

    /** Messages heard on the exchange, of one type, about one order. */
    heardOf(type: string, orderId?: string): HeardMessage[] {
      return heard.filter(
        (m) => m.envelope.type === type && (!orderId || m.envelope.payload.orderId === orderId),
      );
    },

    /** Envelopes a service's outbox holds (its source of truth for what it published), of one type. */
    async outboxed(db: 'orders' | 'accounts', type: string, orderId: string): Promise<Envelope<any>[]> {
      const rows = await sql<{ envelope: Envelope<any> }>(
        db,
        `SELECT envelope FROM outbox_message WHERE type = $1 AND envelope->'payload'->>'orderId' = $2 ORDER BY id`,
        [type, orderId],
      );
      return rows.map((r) => r.envelope);
    },

    /** Messages a service's consumers have settled (acked after their handler resolved), process-wide. */
    async consumed(service: 'orders' | 'accounts'): Promise<number> {
      return (await platform.call<PingReply>(RPC.ping(service), {}, 5_000)).messaging.consumed;
    },

    /** Ready (not yet delivered or requeued) messages of a queue, straight from the broker. */
    async ready(queueName: string): Promise<number> {
      const ch = await broker.createChannel();
      try {
        return (await ch.checkQueue(queueName)).messageCount;
      } finally {
        await ch.close().catch(() => undefined);
      }
    },

    /** Takes every ready message off a queue (they are lost to its consumer); returns how many. */
    async purge(queueName: string): Promise<number> {
      const ch = await broker.createChannel();
      try {
        return (await ch.purgeQueue(queueName)).messageCount;
      } finally {
        await ch.close().catch(() => undefined);
      }
    },

    /** Both services' dead-letter queues: what gave up instead of being handled. */
    async deadLettered(): Promise<{ orders: number; accounts: number }> {
      return {
        orders: await platform.ready(queueNames('orders').deadLetter),
        accounts: await platform.ready(queueNames('accounts').deadLetter),
      };
    },

    /** The clinic's account row and its ledger, read from accounts' database. */
    async books(clinicId: string) {
      const [account] = await sql<{ balance: string; used_credit: string; credit_limit: string }>(
        'accounts',
        'SELECT balance::text, used_credit::text, credit_limit::text FROM clinic_account WHERE clinic_id = $1',
        [clinicId],
      );
      const entries = await sql<{ type: string; amount: string; order_id: string | null }>(
        'accounts',
        'SELECT type, amount::text, order_id FROM ledger_entry WHERE clinic_id = $1 ORDER BY seq',
        [clinicId],
      );
      const ledger = entries.map((e) => ({
        type: e.type,
        amountCents: decimalToCents(e.amount),
        orderId: e.order_id,
      }));
      return {
        balanceCents: decimalToCents(account.balance),
        usedCreditCents: decimalToCents(account.used_credit),
        creditLimitCents: decimalToCents(account.credit_limit),
        ledger,
        ledgerSumCents: ledger.reduce((sum, e) => sum + e.amountCents, 0),
      };
    },

    /** Ledger entries of one order (debit / refund), oldest first. */
    async orderEntries(orderId: string): Promise<{ type: string; amountCents: number }[]> {
      const rows = await sql<{ type: string; amount: string }>(
        'accounts',
        'SELECT type, amount::text FROM ledger_entry WHERE order_id = $1 ORDER BY seq',
        [orderId],
      );
      return rows.map((r) => ({ type: r.type, amountCents: decimalToCents(r.amount) }));
    },

    async close(): Promise<void> {
      await rpc.close().catch(() => undefined);
      await stopAccounts().catch(() => undefined);
      await ordersApp.close().catch(() => undefined);
      await broker.close().catch(() => undefined);
      await Promise.all(Object.values(sqlPools).map((p) => p.end().catch(() => undefined)));
      for (const [k, v] of Object.entries(savedEnv)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await Promise.all(
        [ordersDb.drop(), accountsDb.drop(), vhost.drop()].map((p) => p.catch(() => undefined)),
      );
    },
  };
  return platform;
}

export type SagaPlatform = Awaited<ReturnType<typeof startSagaPlatform>>;

async function startOrders(db: TestDatabase, vhost: TestVhost): Promise<INestMicroservice> {
  @Module({
    imports: [
      OrdersPrismaModule.forRoot(db.url),
      MessagingModule.forService({
        service: 'orders',
        prismaToken: OrdersPrismaService,
        url: vhost.url,
        logger: quiet,
      }),
      CatalogueModule,
      OrderingModule,
    ],
  })
  class SagaOrdersModule {}
  const app = await createServiceMicroservice(SagaOrdersModule, {
    service: 'orders',
    url: vhost.url,
    logger: quiet,
    retryDelaysMs: [250],
    nest: { logger: false },
    shutdownHooks: false,
  });
  await app.listen();
  return app;
}

/** A fresh envelope of another service's message. */
export function envelopeOf<P>(type: string, payload: P, correlationId: string = randomUUID()): Envelope<P> {
  return {
    messageId: randomUUID(),
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    correlationId,
    causationId: null,
    traceparent: null,
    payload,
  };
}

function pickPublishProperties(p: amqplib.MessageProperties): amqplib.Options.Publish {
  return {
    contentType: p.contentType,
    correlationId: p.correlationId,
    type: p.type,
    timestamp: p.timestamp,
    appId: p.appId,
    headers: p.headers,
  };
}
