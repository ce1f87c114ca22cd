/**
 * SandboxPaymentGateway against its table in a real database: the shared PaymentGateway contract,
 * plus settling by itself, retrying failed deliveries with the same event, recovering after a
 * restart, and delivering over HTTP when PAYMENTS_WEBHOOK_URL is set.
 */
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type TestDatabase, createTestDatabase, eventually } from '../../../test/support/infra';
import { migrate } from '../../../tools/migrate';
import { AccountsPrismaService } from '../src/adapters/outbound/prisma/accounts-prisma.service';
import {
  SandboxPaymentGateway,
  type WebhookDelivery,
  httpWebhookDelivery,
} from '../src/adapters/outbound/sandbox/sandbox-payment.gateway';
import { MIGRATIONS_DIR } from './accounts-test-kit';
import { describePaymentGatewayContract } from './payment-gateway.contract';
import { stripeForgeries, stripeNotice } from './stripe-api.stand-in';

const WEBHOOK_SECRET = 'whsec_sandbox_contract';

async function sandboxDb(name: string) {
  const db: TestDatabase = await createTestDatabase(name);
  await migrate(db.url, MIGRATIONS_DIR);
  const prisma = new AccountsPrismaService(db.url);
  return {
    prisma,
    close: async () => {
      await prisma.$disconnect();
      await db.drop();
    },
  };
}

const request = (over: { amountCents?: number; idempotencyKey?: string } = {}) => {
  const topUpId = randomUUID();
  return {
    reference: topUpId,
    amountCents: over.amountCents ?? 5000,
    currency: 'NZD' as const,
    description: 'PrescriptChain clinic account top-up',
    metadata: { clinicId: randomUUID(), topUpId },
    idempotencyKey: over.idempotencyKey ?? `topup-${randomUUID()}`,
    expiresAt: null,
  };
};

describePaymentGatewayContract(SandboxPaymentGateway.name, { method: 'card', followUp: false }, async () => {
  const { prisma, close } = await sandboxDb('accounts_sandbox_contract');
  const deliveries = new Map<string, { rawBody: string; signature: string }>();
  const gateway = new SandboxPaymentGateway({
    prisma,
    webhookSecret: WEBHOOK_SECRET,
    settleAfterMs: null,
    deliver: async (rawBody, signature) => {
      deliveries.set(JSON.parse(rawBody).data.object.id, { rawBody, signature });
    },
  });
  return {
    gateway,
    pay: async (id) => {
      await gateway.settle(id);
      return stripeNotice(deliveries.get(id)!);
    },
    ...stripeForgeries(WEBHOOK_SECRET),
    close: async () => {
      await gateway.stop();
      await close();
    },
  };
});

describe(`${SandboxPaymentGateway.name} settling its intents`, () => {
  let db: Awaited<ReturnType<typeof sandboxDb>>;
  const gateways: SandboxPaymentGateway[] = [];
  const make = (deliver: WebhookDelivery, settleAfterMs: number | null = 10) => {
    const g = new SandboxPaymentGateway({
      prisma: db.prisma,
      webhookSecret: WEBHOOK_SECRET,
      deliver,
      settleAfterMs,
      retryDelaysMs: [20, 20],
    });
    gateways.push(g);
    return g;
  };
  beforeAll(async () => {
    Logger.overrideLogger(false); // the failed deliveries below are on purpose
    db = await sandboxDb('accounts_sandbox');
  });
  afterAll(async () => {
    for (const g of gateways) await g.stop();
    await db?.close();
  });

  it('refuses a reused idempotency key with other parameters, as Stripe does', async () => {
    const sut = make(async () => undefined, null);
    const req = request();
    await sut.createPayment(req);
    await expect(sut.createPayment({ ...req, amountCents: 9999 })).rejects.toMatchObject({
      key: 'PAYMENT_FAILED',
    });
  });

  it('settles a new intent by itself, delivering one verifiable success event', async () => {
    const delivered: string[] = [];
    const sut = make(async (rawBody, signature) => {
      delivered.push((await sut.verifyNotice(stripeNotice({ rawBody, signature }))).paymentId!);
    });
    const { paymentId: paymentIntentId } = await sut.createPayment(request());
    await sut.createPayment(request()); // another intent, settled too
    await sut.idle();
    expect(delivered).toContain(paymentIntentId);
    expect(delivered).toHaveLength(2);
    const [row] = await db.prisma.sandboxPaymentIntent.findMany({ where: { id: paymentIntentId } });
    expect(row.status).toBe('succeeded');
  });

  it('retries a failed delivery with the same event id, so the receiver can tell a redelivery', async () => {
    const eventIds: string[] = [];
    let failures = 1;
    const sut = make(async (rawBody) => {
      eventIds.push(JSON.parse(rawBody).id);
      if (failures-- > 0) throw new Error('endpoint down');
    });
    await sut.createPayment(request());
    await sut.idle();
    expect(eventIds).toHaveLength(2);
    expect(new Set(eventIds).size).toBe(1);
  });

  it('settles after a restart what the previous process left unsettled', async () => {
    const before = make(async () => undefined, null);
    const { paymentId: paymentIntentId } = await before.createPayment(request());
    await before.stop(); // the process dies before the customer's payment is delivered

    const delivered: string[] = [];
    const after = make(async (rawBody) => {
      delivered.push(JSON.parse(rawBody).data.object.id);
    });
    await after.start();
    await after.idle();
    expect(delivered).toContain(paymentIntentId);
  });

  it('POSTs the raw body with its Stripe-Signature header when a webhook URL is configured', async () => {
    const received: { body: string; signature: string | undefined; type: string | undefined }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({
          body,
          signature: req.headers['stripe-signature'] as string,
          type: req.headers['content-type'],
        });
        res.writeHead(received.length === 1 ? 503 : 200).end(); // the first attempt fails: retried
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/payments/webhook`;
      const sut = make(httpWebhookDelivery(url));
      const { paymentId: paymentIntentId } = await sut.createPayment(request());
      await eventually(() => received.length === 2, 5000);
      await sut.idle();
      const last = received[1];
      expect(last.type).toBe('application/json');
      expect((await sut.verifyNotice(stripeNotice({ rawBody: last.body, signature: last.signature! }))).paymentId).toBe(paymentIntentId);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
