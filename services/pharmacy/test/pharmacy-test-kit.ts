/**
 * The pharmacy service as main.ts wires it (PharmacyCoreModule + the messaging kit, on
 * AmqpTransport), on a throw-away database and vhost, called over RPC the way the gateway calls
 * it, fed events the way orders and identity publish them, with an orders stand-in answering
 * its RPCs. The clock is fixed and moved by hand.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import {
  type CreatePharmacyRequest,
  PHARMACY_RPC,
  type PharmacyCaller,
  PharmacyOperatorLinkedV1,
  type PharmacyView,
} from '@prescriptchain/contracts';
import { AmqpRpcClient, MessagingModule, createServiceMicroservice } from '@prescriptchain/messaging';
import { Pool } from 'pg';
import {
  type TestDatabase,
  type TestVhost,
  createTestDatabase,
  createTestVhost,
  eventually,
} from '../../../test/support/infra';
import { migrate } from '../../../tools/migrate';
import { TestClock } from '../../../test/support/test-clock';
import { PharmacyBackground } from '../src/adapters/inbound/scheduler/pharmacy-background';
import { PharmacyPrismaService } from '../src/adapters/outbound/prisma/pharmacy-prisma.service';
import type { PharmacyConfig } from '../src/application/pharmacy-config';
import { PharmacyCoreModule } from '../src/pharmacy-core.module';
import { EventPublisher } from './support/event-publisher';
import { OrdersStandIn } from './support/orders-standin';

export const MIGRATIONS_DIR = path.join(__dirname, '..', 'prisma', 'migrations');

export interface PharmacyKitOptions {
  env?: NodeJS.ProcessEnv;
  config?: Partial<PharmacyConfig>;
  clock?: TestClock;
  /** Start the orders stand-in (RPC answers + credential key). Default true. */
  orders?: boolean;
  /** Publish the stand-in's credential key as an event. Default true. */
  publishKey?: boolean;
}

export type PharmacyKit = Awaited<ReturnType<typeof createPharmacyKit>>;

export async function createPharmacyKit(name: string, options: PharmacyKitOptions = {}) {
  const db: TestDatabase = await createTestDatabase(name);
  const vhost: TestVhost = await createTestVhost(name);
  await migrate(db.url, MIGRATIONS_DIR);
  const filesDir = await mkdtemp(path.join(tmpdir(), `pc-${name}-`));
  const pool = new Pool({ connectionString: db.url, max: 5 });
  pool.on('error', () => undefined);
  const events = await EventPublisher.connect(vhost.url);
  const clock = options.clock ?? new TestClock();

  let orders: OrdersStandIn | undefined;
  if (options.orders !== false) {
    orders = new OrdersStandIn(pool, events);
    await orders.start(vhost.url, { publishKey: options.publishKey !== false });
  }

  const app: INestMicroservice = await createServiceMicroservice(
    PharmacyCoreModule.forRoot({
      env: {
        PHARMACY_DATABASE_URL: db.url,
        AMQP_URL: vhost.url,
        FILES_DIR: filesDir,
        FILES_URL_SECRET: 'pharmacy suite file URL secret',
        NODE_ENV: 'test',
        ...options.env,
      },
      config: { claimSweepEveryMs: 3_600_000, ordersRpcDeadlineMs: 2_000, ...options.config },
      clock,
      imports: [
        MessagingModule.forService({
          service: 'pharmacy',
          prismaToken: PharmacyPrismaService,
          url: vhost.url,
        }),
      ],
    }),
    {
      service: 'pharmacy',
      url: vhost.url,
      nest: { logger: false },
      shutdownHooks: false,
      retryDelaysMs: [200, 500],
    },
  );
  await app.listen();

  const rpc = new AmqpRpcClient({ url: vhost.url, name: `${name}-gateway` });
  await rpc.connect();

  const admin: PharmacyCaller = { userId: randomUUID(), role: 'admin' };

  const kit = {
    db,
    vhost,
    pool,
    events,
    orders: orders!,
    clock,
    app,
    rpc,
    admin,
    filesDir,

    call<T = any>(pattern: string, data: unknown): Promise<T> {
      return rpc.call<T>(pattern, data, { deadlineMs: 10_000 });
    },

    /** The CodedError an RPC answers with (code, message, details), or `{ code: 'ok' }`. */
    async failure(
      pattern: string,
      data: unknown,
    ): Promise<{ code: string; message?: string; details?: any }> {
      try {
        await rpc.call(pattern, data, { deadlineMs: 10_000 });
        return { code: 'ok' };
      } catch (e) {
        const err = e as { code: string; message: string; details: unknown };
        return { code: err.code, message: err.message, details: err.details };
      }
    },

    async sql<T = Record<string, any>>(text: string, values: unknown[] = []): Promise<T[]> {
      return (await pool.query(text, values)).rows as T[];
    },

    eventually,

    async createPharmacy(
      overrides: Partial<Omit<CreatePharmacyRequest, 'caller'>> = {},
    ): Promise<PharmacyView> {
      return kit.call<PharmacyView>(PHARMACY_RPC.createPharmacy, {
        caller: admin,
        name: `Pharmacy ${Math.random().toString(36).slice(2, 8)}`,
        address: { street: '1 Queen Street', city: 'Auckland', country: 'New Zealand', postalCode: '1010' },
        location: { lat: -36.8485, lng: 174.7633 },
        contact: { email: 'orders@pharmacy.test' },
        ...overrides,
      });
    },

    /** Links a new operator to the pharmacy as identity would (its event), once pharmacy has applied it. */
    async operatorOf(pharmacyId: string): Promise<PharmacyCaller> {
      const userId = randomUUID();
      await events.publish(PharmacyOperatorLinkedV1, {
        userId,
        pharmacyId,
        previousPharmacyId: null,
        linkedBy: admin.userId,
      });
      await eventually(
        async () =>
          (
            await kit.sql('SELECT 1 FROM pharmacy_operator WHERE user_id = $1 AND pharmacy_id = $2', [
              userId,
              pharmacyId,
            ])
          ).length === 1,
      );
      return { userId, role: 'pharmacy_operator', pharmacyId };
    },

    /** Waits until pharmacy's read model has the order (after orders.order.paid). */
    async orderVisible(orderId: string, status = 'PAID'): Promise<void> {
      await eventually(
        async () =>
          (await kit.sql('SELECT 1 FROM order_view WHERE order_id = $1 AND status = $2', [orderId, status]))
            .length === 1,
      );
    },

    /** One pass of the proof-claim sweeper, as its timer would run it. */
    sweep(): Promise<void> {
      return app.get(PharmacyBackground).sweep();
    },

    async close(): Promise<void> {
      await rpc.close().catch(() => undefined);
      await app.close().catch(() => undefined);
      await orders?.stop().catch(() => undefined);
      await events.close();
      await pool.end().catch(() => undefined);
      await db.drop().catch(() => undefined);
      await vhost.drop().catch(() => undefined);
      await rm(filesDir, { recursive: true, force: true });
    },
  };
  return kit;
}

export { TestClock };
