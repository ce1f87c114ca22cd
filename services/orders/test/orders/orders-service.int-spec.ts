import { randomUUID } from 'node:crypto';
import { type INestMicroservice, Module } from '@nestjs/common';
import {
  type CredentialFileView,
  type CredentialJwk,
  type CredentialView,
  EXCHANGES,
  type Envelope,
  ORDERS_RPC,
  type OrderCaller,
  type OrderView,
} from '@prescriptchain/contracts';
import {
  AmqpRpcClient,
  MessagingModule,
  assertExchanges,
  createServiceMicroservice,
} from '@prescriptchain/messaging';
import * as amqplib from 'amqplib';
import { createLocalJWKSet, jwtVerify } from 'jose';
import {
  type TestDatabase,
  type TestVhost,
  createTestDatabase,
  createTestVhost,
  eventually,
} from '../../../../test/support/infra';
import { migrate } from '../../../../tools/migrate';
import {
  OrdersPrismaModule,
  OrdersPrismaService,
} from '../../src/adapters/outbound/prisma/orders-prisma.service';
import { CatalogueModule } from '../../src/catalogue.module';
import { OrderingModule } from '../../src/ordering.module';
import { MIGRATIONS_DIR } from './orders-test-kit';

const SAGA_TIMEOUT_MS = 1_500;

/**
 * The orders service as it runs: Nest microservice on the messaging kit's transport, RPC the way the
 * gateway calls it, accounts' answers and identity's events arriving on the broker, the outbox relay
 * publishing, the deadline job on its timer.
 */
describe('orders service over RabbitMQ', () => {
  let db: TestDatabase;
  let vhost: TestVhost;
  let app: INestMicroservice;
  let rpc: AmqpRpcClient;
  let broker: amqplib.ChannelModel;
  let channel: amqplib.Channel;
  const heard: Envelope<Record<string, any>>[] = [];
  const saved: Record<string, string | undefined> = {};

  const clinicId = randomUUID();
  const caller: OrderCaller = { userId: randomUUID(), role: 'practitioner', clinicIds: [clinicId] };
  const call = <T>(pattern: string, data: unknown) => rpc.call<T>(pattern, data, { deadlineMs: 10_000 });
  const heardOf = (type: string, orderId: string) =>
    heard.filter((m) => m.type === type && m.payload.orderId === orderId);
  const hear = async (type: string, orderId: string, timeoutMs = 10_000) => {
    await eventually(() => heardOf(type, orderId).length > 0, timeoutMs);
    return heardOf(type, orderId);
  };
  /** A message as another service publishes it; a reply continues its request's conversation. */
  const publish = (type: string, payload: unknown, correlationId: string = randomUUID()) =>
    channel.publish(
      EXCHANGES.events,
      type,
      Buffer.from(
        JSON.stringify({
          messageId: randomUUID(),
          type,
          version: 1,
          occurredAt: new Date().toISOString(),
          correlationId,
          causationId: null,
          traceparent: null,
          payload,
        }),
      ),
      { persistent: true, contentType: 'application/json' },
    );

  beforeAll(async () => {
    db = await createTestDatabase('orders_service');
    vhost = await createTestVhost('orders_service');
    await migrate(db.url, MIGRATIONS_DIR);
    for (const [k, v] of Object.entries({
      SAGA_TIMEOUT_MS: String(SAGA_TIMEOUT_MS),
      ORDER_JOBS_INTERVAL_MS: '200',
    })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    // Everything orders publishes, as accounts / pharmacy / the gateway would hear it — from its start.
    broker = await amqplib.connect(vhost.url);
    channel = await broker.createChannel();
    await assertExchanges(channel);
    const { queue } = await channel.assertQueue('', { exclusive: true });
    for (const key of ['orders.#', 'accounts.debit.requested', 'accounts.refund.requested']) {
      await channel.bindQueue(queue, EXCHANGES.events, key);
    }
    await channel.consume(queue, (m) => m && heard.push(JSON.parse(m.content.toString())), { noAck: true });

    @Module({
      imports: [
        OrdersPrismaModule.forRoot(db.url),
        MessagingModule.forService({ service: 'orders', prismaToken: OrdersPrismaService, url: vhost.url }),
        CatalogueModule,
        OrderingModule,
      ],
    })
    class TestOrdersModule {}
    app = await createServiceMicroservice(TestOrdersModule, {
      service: 'orders',
      url: vhost.url,
      nest: { logger: false },
      shutdownHooks: false,
    });
    await app.listen();
    rpc = new AmqpRpcClient({ url: vhost.url, name: 'orders-service-test' });
    await rpc.connect();
  });

  afterAll(async () => {
    await rpc?.close();
    await broker?.close().catch(() => undefined);
    await app?.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await db?.drop();
    await vhost?.drop();
  });

  async function order(sku = 'RAW-DANGGUI'): Promise<OrderView> {
    const [medicine] = await medicineIds([sku]);
    return call<OrderView>(ORDERS_RPC.create, {
      caller,
      clinicId,
      patientInfo: { name: 'Mere Tane' },
      items: [{ medicineId: medicine, quantity: '10' }],
      packs: 3,
      idempotencyKey: `k-${randomUUID()}`,
    });
  }

  async function medicineIds(skus: string[]): Promise<string[]> {
    const prisma = app.get(OrdersPrismaService);
    const rows = await prisma.medicine.findMany({
      where: { sku: { in: skus } },
      select: { id: true, sku: true },
    });
    return skus.map((s) => rows.find((r) => r.sku === s)!.id);
  }

  it('runs the saga: create → debit requested → accounts says yes → PAID, paid event, credential', async () => {
    const created = await order();
    expect(created).toMatchObject({ status: 'PENDING_PAYMENT', totalCents: 420 });
    const [debit] = await hear('accounts.debit.requested', created.id);
    expect(debit.payload).toEqual({ orderId: created.id, clinicId, amountCents: 420 });

    publish(
      'accounts.debit.succeeded',
      { orderId: created.id, clinicId, amountCents: 420, fromBalanceCents: 420, fromCreditCents: 0 },
      debit.correlationId,
    );
    const [paid] = await hear('orders.order.paid', created.id);
    expect(paid.correlationId).toBe(debit.correlationId);
    const now = await call<OrderView>(ORDERS_RPC.get, { caller, orderId: created.id });
    expect(now).toMatchObject({ status: 'PAID', platformOrderId: paid.payload.platformOrderId });

    // Pharmacy verifies the QR offline with the published keys.
    const credential = await call<CredentialView>(ORDERS_RPC.getCredential, { caller, orderId: created.id });
    const { keys } = await call<{ keys: CredentialJwk[] }>(ORDERS_RPC.jwks, {});
    const { payload } = await jwtVerify(credential.qrCodeData, createLocalJWKSet({ keys }), {
      algorithms: ['EdDSA'],
    });
    expect(payload).toMatchObject({ oid: created.id, pid: credential.platformOrderId });
    expect(keys.map((k) => k.kid)).toContain(paid.payload.credentialKid);
    expect(
      heard.filter((m) => m.type === 'orders.credential_key.published').map((m) => m.payload.kid),
    ).toEqual(keys.map((k) => k.kid));

    const pdf = await call<CredentialFileView>(ORDERS_RPC.credentialPdf, { caller, orderId: created.id });
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    const png = await call<CredentialFileView>(ORDERS_RPC.credentialPng, { caller, orderId: created.id });
    expect(png.contentType).toBe('image/png');
  });

  it('remembers the clinic and practitioner names identity announces, for printed prescriptions', async () => {
    publish('identity.clinic.created', { clinicId, name: 'Ōtautahi TCM Clinic', ownerId: null });
    publish('identity.user.registered', {
      userId: caller.userId,
      email: 'li@example.nz',
      fullName: 'Dr Li Wei',
      role: 'practitioner',
      locale: 'en',
      referredByUserId: null,
    });
    const prisma = app.get(OrdersPrismaService);
    const names = () => prisma.orderPartyName.findMany({ where: { id: { in: [clinicId, caller.userId] } } });
    await eventually(async () => (await names()).length === 2);
    expect((await names()).map((r) => r.name).sort()).toEqual(['Dr Li Wei', 'Ōtautahi TCM Clinic']);
  });

  it('fails a payment nobody answers with TIMEOUT on the job timer, and asks accounts to refund', async () => {
    const created = await order();
    const [failed] = await hear('orders.order.payment_failed', created.id, SAGA_TIMEOUT_MS + 8_000);
    expect(failed.payload.reason).toBe('TIMEOUT');
    await eventually(() => heardOf('accounts.refund.requested', created.id).length === 1);
    expect((await call<OrderView>(ORDERS_RPC.get, { caller, orderId: created.id })).status).toBe(
      'PAYMENT_FAILED',
    );
  });

  it("answers RPC errors with their codes: bad input, someone else's order, a claim of an unpaid order", async () => {
    await expect(call(ORDERS_RPC.create, { caller, clinicId, items: [] })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const created = await order();
    const stranger = { ...caller, userId: randomUUID() };
    await expect(call(ORDERS_RPC.get, { caller: stranger, orderId: created.id })).rejects.toMatchObject({
      code: '2001',
    });
    await expect(
      call(ORDERS_RPC.claim, {
        orderId: created.id,
        pharmacyId: randomUUID(),
        declaredPayoutCents: 1,
        claimedBy: randomUUID(),
      }),
    ).rejects.toMatchObject({ code: '2003' });
  });
});
