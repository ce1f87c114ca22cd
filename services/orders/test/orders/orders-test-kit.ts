/**
 * Orders' ordering side on a throw-away PostgreSQL database (all migrations, the real catalogue
 * seeded) with the real Prisma store, credentials issuer and renderer, and the messaging kit's
 * Outbox on a throw-away vhost; use cases built by hand, time moved by hand.
 */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Envelope, OrderCaller } from '@prescriptchain/contracts';
import { AmqpConnection, Outbox, PiiCipher, VerificationCodeHmac } from '@prescriptchain/messaging';
import { Client } from 'pg';
import {
  type TestDatabase,
  type TestVhost,
  createTestDatabase,
  createTestVhost,
} from '../../../../test/support/infra';
import { migrate } from '../../../../tools/migrate';
import { TestClock } from '../../../../test/support/test-clock';
import { JoseCredentialsIssuer } from '../../src/adapters/outbound/credentials/jose-credentials.issuer';
import { PdfCredentialsRenderer } from '../../src/adapters/outbound/credentials/pdf-credentials.renderer';
import { PrismaMedicineRepository } from '../../src/adapters/outbound/prisma/prisma-medicine.repository';
import { CredentialKeyStore } from '../../src/adapters/outbound/prisma/credential-key.store';
import { OrdersPrismaService } from '../../src/adapters/outbound/prisma/orders-prisma.service';
import { PrismaOrdersStore } from '../../src/adapters/outbound/prisma/prisma-orders.store';
import { SeedCatalogueHandler } from '../../src/application/catalogue/seed-catalogue/seed-catalogue.handler';
import { CancelOrderHandler } from '../../src/application/orders/cancel-order/cancel-order.handler';
import { CheckOrderHandler } from '../../src/application/orders/check-order/check-order.handler';
import { ClaimOrderHandler } from '../../src/application/orders/claim-order/claim-order.handler';
import {
  type CreateOrderInput,
  CreateOrderHandler,
} from '../../src/application/orders/create-order/create-order.handler';
import { EnforceDeadlinesHandler } from '../../src/application/orders/enforce-deadlines/enforce-deadlines.handler';
import { GetCredentialHandler } from '../../src/application/orders/get-credential/get-credential.handler';
import { GetOrderHandler } from '../../src/application/orders/get-order/get-order.handler';
import { ListOrdersHandler } from '../../src/application/orders/list-orders/list-orders.handler';
import { OrderPricing } from '../../src/application/orders/order-pricing';
import { OrdersConfig } from '../../src/application/orders/orders-config';
import { RecordDebitResultHandler } from '../../src/application/orders/record-debit-result/record-debit-result.handler';
import { ReleaseClaimHandler } from '../../src/application/orders/release-claim/release-claim.handler';
import { RenderCredentialHandler } from '../../src/application/orders/render-credential/render-credential.handler';
import { RetryPaymentHandler } from '../../src/application/orders/retry-payment/retry-payment.handler';
import { ReviewOrderHandler } from '../../src/application/orders/review-order/review-order.handler';
import { SubmitForReviewHandler } from '../../src/application/orders/submit-for-review/submit-for-review.handler';
import { SubmitOrderHandler } from '../../src/application/orders/submit-order/submit-order.handler';
import { VerifyCredentialHandler } from '../../src/application/orders/verify-credential/verify-credential.handler';
import type { OrdersStore } from '../../src/application/ports/orders-store';

export const MIGRATIONS_DIR = path.join(__dirname, '..', '..', 'prisma', 'migrations');

export const practitioner = (clinicIds: string[], userId: string = randomUUID()): OrderCaller => ({
  userId,
  role: 'practitioner',
  clinicIds,
});
export const admin = (): OrderCaller => ({ userId: randomUUID(), role: 'admin', clinicIds: [] });
export const operator = (pharmacyId: string): OrderCaller => ({
  userId: randomUUID(),
  role: 'pharmacy_operator',
  clinicIds: [],
  pharmacyId,
});

export interface OutboxRow {
  type: string;
  payload: Record<string, any>;
  envelope: Envelope<Record<string, any>>;
}

export async function createOrdersKit(name: string, config: Partial<OrdersConfig> = {}) {
  const db: TestDatabase = await createTestDatabase(name);
  const vhost: TestVhost = await createTestVhost(name);
  await migrate(db.url, MIGRATIONS_DIR);
  const prisma = new OrdersPrismaService(db.url);
  const medicines = new PrismaMedicineRepository(prisma);
  await new SeedCatalogueHandler(medicines).execute();

  const cfg = OrdersConfig.fromEnv(
    {},
    { sagaTimeoutMs: 60_000, credentialTtlDays: 30, jobsIntervalMs: 0, ...config },
  );
  const clock = new TestClock();
  const cipher = PiiCipher.developmentKey();
  const connection = new AmqpConnection({ url: vhost.url, name: `${name}-outbox` });
  const outbox = new Outbox({ db: prisma, connection, service: 'orders' });
  const store = new PrismaOrdersStore(prisma, outbox, cipher);
  const codeHmac = VerificationCodeHmac.developmentKey();
  const credentials = new JoseCredentialsIssuer(new CredentialKeyStore(prisma, outbox), cipher, codeHmac);
  const pricing = new OrderPricing(medicines);
  const clinicId = randomUUID();
  const owner = practitioner([clinicId]);
  const replicas: OrdersPrismaService[] = [];

  /** The use cases over a given store (a second store = a second replica, or a fault-injecting one). */
  const useCases = (s: OrdersStore) => ({
    create: new CreateOrderHandler(s, pricing, cfg, clock),
    check: new CheckOrderHandler(pricing),
    submit: new SubmitOrderHandler(s, pricing, cfg, clock),
    retryPayment: new RetryPaymentHandler(s, cfg, clock),
    cancel: new CancelOrderHandler(s, clock),
    get: new GetOrderHandler(s),
    list: new ListOrdersHandler(s),
    getCredential: new GetCredentialHandler(s, credentials),
    render: new RenderCredentialHandler(s, credentials, new PdfCredentialsRenderer()),
    debitResult: new RecordDebitResultHandler(s, credentials, cfg, clock, cipher),
    claim: new ClaimOrderHandler(s, cfg, clock),
    release: new ReleaseClaimHandler(s, clock),
    submitForReview: new SubmitForReviewHandler(s, clock),
    review: new ReviewOrderHandler(s, clock, cfg),
    deadlines: new EnforceDeadlinesHandler(s, cfg, clock),
    verify: new VerifyCredentialHandler(s, credentials, clock),
  });

  const sql = async <T = Record<string, any>>(text: string, values: unknown[] = []): Promise<T[]> => {
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      return (await c.query(text, values)).rows as T[];
    } finally {
      await c.end();
    }
  };

  const skuIds = new Map(
    (await sql<{ id: string; sku: string }>('SELECT id, sku FROM medicines')).map(
      (r) => [r.sku, r.id] as const,
    ),
  );

  const kit = {
    db,
    cfg,
    clock,
    cipher,
    prisma,
    outbox,
    store,
    credentials,
    codeHmac,
    clinicId,
    owner,
    sql,
    ...useCases(store),
    useCases,

    /** The use cases of a second instance of the service: its own database connections and outbox. */
    replica() {
      const other = new OrdersPrismaService(db.url);
      replicas.push(other);
      return useCases(
        new PrismaOrdersStore(other, new Outbox({ db: other, connection, service: 'orders' }), cipher),
      );
    },

    /** The catalogue id of a stock code (`RAW-DANGGUI`). */
    medicine(sku: string): string {
      const id = skuIds.get(sku);
      if (!id) throw new Error(`no medicine ${sku}`);
      return id;
    },

    /** A valid order request from `owner`: 当归 10.25 g + 白芍 9 g, 7 packs = 1005 + 630 = 1635 cents. */
    request(overrides: Partial<CreateOrderInput> = {}): CreateOrderInput {
      return {
        caller: owner,
        clinicId,
        patientInfo: {
          name: 'Mere Tane',
          phone: '+64 21 555 0101',
          dateOfBirth: '1984-03-02',
          pregnant: false,
        },
        items: [
          { medicineId: kit.medicine('RAW-DANGGUI'), quantity: '10.25', decoctionMethod: 'hou xia' },
          {
            medicineId: kit.medicine('RAW-BAISHAO'),
            quantity: 9,
            dosageInstructions: 'twice a day after meals',
          },
        ],
        packs: 7,
        notes: 'Avoid cold drinks',
        draft: false,
        ...overrides,
      };
    },

    /** Messages the outbox holds (sent or not), oldest first, optionally of one type / for one order. */
    async messages(type?: string, orderId?: string): Promise<OutboxRow[]> {
      const rows = await sql<{ type: string; envelope: Envelope<Record<string, any>> }>(
        'SELECT type, envelope FROM outbox_message ORDER BY id',
      );
      return rows
        .filter((r) => !type || r.type === type)
        .filter((r) => !orderId || r.envelope.payload.orderId === orderId)
        .map((r) => ({ type: r.type, payload: r.envelope.payload, envelope: r.envelope }));
    },

    /** accounts' answer to a debit request, as it would arrive (a fresh message id unless given). */
    debitSucceeded(orderId: string, amountCents: number, messageId: string = randomUUID()) {
      return envelope('accounts.debit.succeeded', messageId, {
        orderId,
        clinicId,
        amountCents,
        fromBalanceCents: amountCents,
        fromCreditCents: 0,
      });
    },
    debitRejected(
      orderId: string,
      amountCents: number,
      reason:
        | 'INSUFFICIENT_FUNDS'
        | 'ACCOUNT_SUSPENDED'
        | 'ACCOUNT_NOT_FOUND'
        | 'ORDER_CANCELLED' = 'INSUFFICIENT_FUNDS',
      messageId: string = randomUUID(),
    ) {
      return envelope('accounts.debit.rejected', messageId, { orderId, clinicId, amountCents, reason });
    },

    /** Creates an order and has accounts accept its debit: a PAID order with its credential. */
    async paidOrder(overrides: Partial<CreateOrderInput> = {}) {
      const created = await kit.create.execute(kit.request(overrides));
      await kit.debitResult.succeeded(kit.debitSucceeded(created.id, created.totalCents));
      return kit.get.execute(overrides.caller ?? owner, created.id);
    },

    async close() {
      await outbox.stop().catch(() => undefined);
      await connection.close().catch(() => undefined);
      await prisma.$disconnect().catch(() => undefined);
      await Promise.all(replicas.map((r) => r.$disconnect().catch(() => undefined)));
      await db.drop();
      await vhost.drop().catch(() => undefined);
    },
  };
  return kit;
}

export type OrdersKit = Awaited<ReturnType<typeof createOrdersKit>>;

function envelope<P>(type: string, messageId: string, payload: P): Envelope<P> {
  return {
    messageId,
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    correlationId: (payload as { orderId: string }).orderId,
    causationId: null,
    traceparent: null,
    payload,
  };
}
