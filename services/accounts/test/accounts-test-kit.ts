/**
 * Accounts on a throw-away PostgreSQL database and RabbitMQ vhost: the real Prisma store, the
 * messaging kit's Outbox and the sandbox payment provider, with the use cases built by hand. What a
 * use case "published" is read from outbox_message, the source of truth the relay publishes from.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { decimalToCents, EXCHANGES, type Envelope } from '@prescriptchain/contracts';
import {
  AmqpConnection,
  MessagingModule,
  Outbox,
  createServiceMicroservice,
} from '@prescriptchain/messaging';
import * as amqplib from 'amqplib';
import { Pool } from 'pg';
import {
  type TestDatabase,
  type TestVhost,
  createTestDatabase,
  createTestVhost,
} from '../../../test/support/infra';
import { migrate } from '../../../tools/migrate';
import { AccountsCoreModule } from '../src/accounts-core.module';
import type { AccountsConfig } from '../src/accounts.config';
import { type QrPaymentsConfig, qrPaymentsConfigFromEnv } from '../src/qr-payments.config';
import {
  AccountsPrismaModule,
  AccountsPrismaService,
} from '../src/adapters/outbound/prisma/accounts-prisma.service';
import {
  type OutboxWriter,
  PrismaAccountsStore,
} from '../src/adapters/outbound/prisma/prisma-accounts.store';
import { SandboxPaymentGateway } from '../src/adapters/outbound/sandbox/sandbox-payment.gateway';
import { StaticPaymentGateways } from '../src/application/ports/payment-gateway';
import type { AccountsCaller } from '../src/application/caller-scope';
import { AdjustBalanceHandler } from '../src/application/adjust-balance/adjust-balance.handler';
import { CreateRechargeIntentHandler } from '../src/application/create-recharge-intent/create-recharge-intent.handler';
import { DebitOrderHandler } from '../src/application/debit-order/debit-order.handler';
import { GetAccountHandler } from '../src/application/get-account/get-account.handler';
import { GetPharmacySettlementsHandler } from '../src/application/get-pharmacy-settlements/get-pharmacy-settlements.handler';
import { HandlePaymentWebhookHandler } from '../src/application/handle-payment-webhook/handle-payment-webhook.handler';
import { ListLedgerHandler } from '../src/application/list-ledger/list-ledger.handler';
import { ListSettlementsHandler } from '../src/application/list-settlements/list-settlements.handler';
import { MarkSettlementPaidHandler } from '../src/application/mark-settlement-paid/mark-settlement-paid.handler';
import { OpenAccountHandler } from '../src/application/open-account/open-account.handler';
import { OpenSettlementHandler } from '../src/application/open-settlement/open-settlement.handler';
import { RefundOrderHandler } from '../src/application/refund-order/refund-order.handler';
import { UpdateAccountHandler } from '../src/application/update-account/update-account.handler';

export const MIGRATIONS_DIR = path.join(__dirname, '..', 'prisma', 'migrations');
export const WEBHOOK_SECRET = 'whsec_accounts_test_secret';
export const ADMIN_ID = '0f0e0d0c-0b0a-4908-8706-050403020100';

export interface KitOptions {
  /** Wraps the real outbox (fault injection). */
  outbox?: (real: Outbox) => OutboxWriter;
  /** Sandbox auto-settle delay; default null (tests settle by hand). */
  settleAfterMs?: number | null;
}

/** Callers as the gateway sends them (accounts scopes every read and move of a clinic's money by them). */
export const asAdmin = (userId: string = randomUUID()): AccountsCaller => ({
  userId,
  role: 'admin',
  clinicIds: [],
  pharmacyId: null,
});
export const asMember = (clinicId: string, userId: string = randomUUID()): AccountsCaller => ({
  userId,
  role: 'practitioner',
  clinicIds: [clinicId],
  pharmacyId: null,
});
export const asOperator = (pharmacyId: string, userId: string = randomUUID()): AccountsCaller => ({
  userId,
  role: 'pharmacy_operator',
  clinicIds: [],
  pharmacyId,
});

export async function createAccountsKit(name: string, options: KitOptions = {}) {
  const db: TestDatabase = await createTestDatabase(name);
  const vhost: TestVhost = await createTestVhost(name);
  await migrate(db.url, MIGRATIONS_DIR);
  const prisma = new AccountsPrismaService(db.url);
  const pool = new Pool({ connectionString: db.url, max: 4 });
  pool.on('error', () => undefined);
  const connection = new AmqpConnection({ url: vhost.url, name: `${name}-outbox`, logger: quiet });
  const realOutbox = new Outbox({ db: prisma, connection, service: 'accounts', logger: quiet });
  const store = new PrismaAccountsStore(prisma, options.outbox ? options.outbox(realOutbox) : realOutbox);

  // The sandbox delivers to the webhook handler, which verifies with the sandbox: tie the knot late.
  const late: { webhook?: HandlePaymentWebhookHandler } = {};
  const sandbox = new SandboxPaymentGateway({
    prisma,
    webhookSecret: WEBHOOK_SECRET,
    deliver: async (rawBody, signature) => {
      await late.webhook!.execute({ rawBody, signature });
    },
    settleAfterMs: options.settleAfterMs ?? null,
    retryDelaysMs: [50],
  });
  const cardGateways = new StaticPaymentGateways([sandbox]);
  const webhook = (late.webhook = new HandlePaymentWebhookHandler(store, cardGateways));

  const kit = {
    db,
    vhost,
    prisma,
    store,
    sandbox,
    openAccount: new OpenAccountHandler(store),
    debit: new DebitOrderHandler(store),
    refund: new RefundOrderHandler(store),
    openSettlement: new OpenSettlementHandler(store),
    getAccount: new GetAccountHandler(store),
    listLedger: new ListLedgerHandler(store),
    adjust: new AdjustBalanceHandler(store),
    updateAccount: new UpdateAccountHandler(store),
    recharge: new CreateRechargeIntentHandler(store, cardGateways),
    webhook,
    listSettlements: new ListSettlementsHandler(store),
    markPaid: new MarkSettlementPaidHandler(store),
    pharmacySettlements: new GetPharmacySettlementsHandler(store),

    /** Raw SQL on the suite's database (what is really stored). */
    async sql<T = Record<string, any>>(text: string, values: unknown[] = []): Promise<T[]> {
      return (await pool.query(text, values)).rows as T[];
    },

    /** An open account with some money in it (set directly: a fixture, not a movement). */
    async account(
      state: { balanceCents?: number; creditLimitCents?: number; status?: 'active' | 'suspended' } = {},
    ) {
      const clinicId = randomUUID();
      await kit.openAccount.execute({ clinicId });
      const cents = (c = 0) => (c / 100).toFixed(2);
      // Opening balance as if topped up, so the ledger still sums to the account.
      if (state.balanceCents) {
        await kit.sql(
          `INSERT INTO ledger_entry (id, clinic_id, type, amount, balance_after, used_credit_after, reference)
           VALUES ($1, $2, 'topup', $3::numeric, $3::numeric, 0, $4)`,
          [randomUUID(), clinicId, cents(state.balanceCents), `pi_fixture_${randomUUID()}`],
        );
      }
      await kit.sql(
        `UPDATE clinic_account SET balance = $2::numeric, credit_limit = $3::numeric, status = $4 WHERE clinic_id = $1`,
        [clinicId, cents(state.balanceCents), cents(state.creditLimitCents), state.status ?? 'active'],
      );
      return clinicId;
    },

    /** The account row and its ledger, checked against each other. */
    async books(clinicId: string) {
      const [account] = await kit.sql<{ balance: string; used_credit: string; credit_limit: string }>(
        `SELECT balance::text, used_credit::text, credit_limit::text FROM clinic_account WHERE clinic_id = $1`,
        [clinicId],
      );
      const [ledger] = await kit.sql<{ sum: string; n: number }>(
        `SELECT coalesce(sum(amount), 0)::text AS sum, count(*)::int AS n FROM ledger_entry WHERE clinic_id = $1`,
        [clinicId],
      );
      const [last] = await kit.sql<{ balance_after: string; used_credit_after: string }>(
        `SELECT balance_after::text, used_credit_after::text FROM ledger_entry WHERE clinic_id = $1 ORDER BY seq DESC LIMIT 1`,
        [clinicId],
      );
      const c = decimalToCents;
      return {
        balanceCents: c(account.balance),
        usedCreditCents: c(account.used_credit),
        creditLimitCents: c(account.credit_limit),
        ledgerSumCents: c(ledger.sum),
        entries: ledger.n,
        last: last
          ? { balanceCents: c(last.balance_after), usedCreditCents: c(last.used_credit_after) }
          : null,
      };
    },

    /** Envelopes written to the outbox, optionally of one type. */
    async published(
      type?: string,
    ): Promise<{ type: string; correlationId: string; causationId: string | null; payload: any }[]> {
      const rows = await kit.sql<{ envelope: any }>(
        `SELECT envelope FROM outbox_message ${type ? 'WHERE type = $1' : ''} ORDER BY id`,
        type ? [type] : [],
      );
      return rows.map((r) => r.envelope);
    },

    async close() {
      await sandbox.stop().catch(() => undefined);
      await realOutbox.stop().catch(() => undefined);
      await connection.close().catch(() => undefined);
      await prisma.$disconnect();
      await pool.end();
      await db.drop();
      await vhost.drop();
    },
  };
  return kit;
}

export type AccountsKit = Awaited<ReturnType<typeof createAccountsKit>>;

/** The whole service as `main.ts` wires it (consumers, RPC, relay) on the kit's database and vhost. */
export async function startAccountsService(
  kit: AccountsKit,
  config?: Partial<AccountsConfig['payments']>,
  /** Scan-to-pay (default: both sandboxes, settling only by hand, no reconciliation timer). */
  qr?: Partial<QrPaymentsConfig>,
): Promise<INestMicroservice> {
  @Module({
    imports: [
      AccountsPrismaModule.forRoot(kit.db.url),
      MessagingModule.forService({
        service: 'accounts',
        prismaToken: AccountsPrismaService,
        url: kit.vhost.url,
        logger: quiet,
      }),
      AccountsCoreModule.forRoot({
        config: {
          payments: {
            provider: 'sandbox',
            stripeSecretKey: null,
            webhookSecret: WEBHOOK_SECRET,
            stripeApi: null,
            webhookUrl: null,
            sandboxSettleMs: null,
            ...config,
          },
          qr: { ...qrPaymentsConfigFromEnv({}), sandboxSettleMs: null, reconcileIntervalMs: 0, ...qr },
        },
      }),
    ],
  })
  class TestAccountsModule {}

  const app = await createServiceMicroservice(TestAccountsModule, {
    service: 'accounts',
    url: kit.vhost.url,
    logger: quiet,
    retryDelaysMs: [200],
    nest: { logger: false },
    shutdownHooks: false,
  });
  await app.listen();
  return app;
}

const noop = () => undefined;
export const quiet = { debug: noop, info: noop, warn: noop, error: noop };

/** The catalogue key of a rejected promise's CodedError (or 'ok'), for compact assertions. */
export async function errorKey(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (e) {
    const key = (e as { key?: string }).key;
    if (!key) throw e;
    return key;
  }
}

/** A plain amqplib publisher of envelopes and a capture queue of everything accounts publishes. */
export async function brokerProbe(url: string) {
  const conn = await amqplib.connect(url);
  const channel = await conn.createConfirmChannel();
  await channel.assertExchange(EXCHANGES.events, 'topic', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true });
  await channel.bindQueue(queue, EXCHANGES.events, 'accounts.#');
  const captured: Envelope<any>[] = [];
  await channel.consume(queue, (m) => m && captured.push(JSON.parse(m.content.toString('utf8'))), {
    noAck: true,
  });
  return {
    captured,
    /** Publishes an envelope the way the outbox relay does (persistent, confirmed). */
    async publish(type: string, payload: unknown, envelope: Partial<Envelope> = {}): Promise<Envelope> {
      const e: Envelope = {
        messageId: randomUUID(),
        type,
        version: 1,
        occurredAt: new Date().toISOString(),
        correlationId: randomUUID(),
        causationId: null,
        traceparent: null,
        payload,
        ...envelope,
      };
      channel.publish(EXCHANGES.events, type, Buffer.from(JSON.stringify(e)), {
        persistent: true,
        messageId: e.messageId,
        contentType: 'application/json',
      });
      await channel.waitForConfirms();
      return e;
    },
    close: () => conn.close().catch(() => undefined),
  };
}
