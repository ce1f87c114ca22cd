'use strict';
// The baseline the payment saga is measured against: POST /orders as ONE process with ONE database
// would do it. The same work, from the services' compiled code: the contract's zod parse of the
// request, the Idempotency-Key look-up, the catalogue look-up + safety rules (H6's checkFormula) +
// pricing (orders' OrderPricing), the same signed credential (orders' JoseCredentialsIssuer) — then
// ONE PostgreSQL transaction: hold the Idempotency-Key and insert the order + items + history (one
// statement: orders' PrismaOrdersStore), lock the clinic's account row, debit it (balance first,
// then credit: accounts' ClinicAccount), append the ledger entry. No gateway, broker, RPC, outbox or inbox.
//
// Orders' and accounts' tables (and, for the HTTP monolith, identity's) live side by side in one
// database: their names do not collide, and the services' shared first migration
// (`20261122000000_messaging`: outbox/inbox) is applied once. The bench places orders with it in
// its own process (the in-process floor), and tools/bench/lib/monolith-http.js serves it over HTTP.
const { AsyncLocalStorage } = require('node:async_hooks');
const { randomUUID } = require('node:crypto');
const path = require('node:path');
const { Client } = require('pg');
const config = require('../../lib/config');
const { createScratchDatabase } = require('../../lib/platform');
const { migrate, readMigrations } = require('../../migrate');

const dist = (service, ...p) => require(path.join(config.ROOT, 'services', service, 'dist', ...p));

/**
 * The transaction seam of orders' store and key store (their `Outbox` parameter), for one process
 * with one database: a plain Prisma interactive transaction whose client the rest of the unit of work
 * can reach, and nothing to publish.
 */
class LocalTransactions {
  constructor(prisma) {
    this.prisma = prisma;
    this.current = new AsyncLocalStorage();
  }

  transaction(work, options) {
    return this.prisma.$transaction((tx) => this.current.run(tx, () => work(tx)), options);
  }

  /** The only message this path would write is the signing key's announcement: nobody to tell. */
  async enqueue() {}

  /** The Prisma client of the transaction in progress. */
  get client() {
    const tx = this.current.getStore();
    if (!tx) throw new Error('not inside a transaction');
    return tx;
  }
}

async function withClient(url, fn) {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** `SELECT … FROM <table> WHERE <where>` of `url` as a JSON array (for copying rows between databases). */
const rowsOf = (url, table, where = 'true', params = []) =>
  withClient(
    url,
    async (c) =>
      (await c.query(`SELECT coalesce(json_agg(t), '[]') AS rows FROM ${table} t WHERE ${where}`, params))
        .rows[0].rows,
  );

/**
 * A scratch database with orders' and accounts' schemas, the catalogue copied (same ids) from
 * `catalogueFromUrl`, and one active account for `clinicId` holding `balanceCents`. With `identity`
 * (`{ fromUrl, userId }`) identity's schema too, and that user's row, clinics and memberships copied
 * from identity's database `fromUrl` (the HTTP monolith authenticates its callers from them).
 */
async function createMonolithDatabase({ catalogueFromUrl, clinicId, balanceCents, identity, prefix }) {
  const db = await createScratchDatabase(prefix ?? 'pcbench_monolith');
  try {
    await migrate(db.url, config.migrationsDir('orders'));
    const applied = new Set(readMigrations(config.migrationsDir('orders')).map((m) => m.name));
    const medicines = await rowsOf(catalogueFromUrl, 'medicines');
    const people = identity && {
      users: await rowsOf(identity.fromUrl, 'user_account', 'id = $1::uuid', [identity.userId]),
      members: await rowsOf(identity.fromUrl, 'clinic_member', 'user_id = $1::uuid', [identity.userId]),
      clinics: await rowsOf(
        identity.fromUrl,
        'clinic',
        'id IN (SELECT clinic_id FROM clinic_member WHERE user_id = $1::uuid)',
        [identity.userId],
      ),
    };
    await withClient(db.url, async (c) => {
      await c.query('BEGIN');
      for (const svc of identity ? ['accounts', 'identity'] : ['accounts']) {
        for (const m of readMigrations(config.migrationsDir(svc))) {
          if (!applied.has(m.name)) await c.query(m.sql);
          applied.add(m.name);
        }
      }
      const copy = (table, rows) =>
        c.query(`INSERT INTO ${table} SELECT * FROM json_populate_recordset(NULL::${table}, $1::json)`, [
          JSON.stringify(rows),
        ]);
      await copy('medicines', medicines);
      if (people) {
        await copy('user_account', people.users);
        await copy('clinic', people.clinics);
        await copy('clinic_member', people.members);
      }
      await c.query(
        `INSERT INTO clinic_account (clinic_id, balance, credit_limit, used_credit, status)
         VALUES ($1::uuid, $2::numeric, 0, 0, 'active')`,
        [clinicId, (balanceCents / 100).toFixed(2)],
      );
      await c.query('COMMIT');
      await c.query('ANALYZE');
    });
    return db;
  } catch (e) {
    await db.drop().catch(() => {});
    throw e;
  }
}

/** Places orders the monolith way against `url` (see the top of this file). */
async function monolithOrders(url) {
  const {
    CreateOrderRequestSchema,
    CodedError,
    parseRequest,
    centsToDecimal,
    decimalToCents,
  } = require('@prescriptchain/contracts');
  const { PiiCipher, VerificationCodeHmac } = require('@prescriptchain/messaging');
  const { PrismaPg } = require('@prisma/adapter-pg');
  const { PrismaClient } = dist('orders', 'generated', 'prisma', 'client.js');
  const { PrismaMedicineRepository } = dist(
    'orders',
    'adapters',
    'outbound',
    'prisma',
    'prisma-medicine.repository.js',
  );
  const { OrderPricing } = dist('orders', 'application', 'orders', 'order-pricing.js');
  const { OrdersConfig } = dist('orders', 'application', 'orders', 'orders-config.js');
  const { hashOfRequest } = dist(
    'orders',
    'application',
    'orders',
    'create-order',
    'create-order.handler.js',
  );
  const { Order } = dist('orders', 'domain', 'order', 'order.entity.js');
  const { PrismaOrdersStore } = dist('orders', 'adapters', 'outbound', 'prisma', 'prisma-orders.store.js');
  const { IdempotencyKeyHeld } = dist('orders', 'application', 'ports', 'orders-store.js');
  const { CredentialKeyStore } = dist('orders', 'adapters', 'outbound', 'prisma', 'credential-key.store.js');
  const { JoseCredentialsIssuer } = dist(
    'orders',
    'adapters',
    'outbound',
    'credentials',
    'jose-credentials.issuer.js',
  );
  const { ClinicAccount } = dist('accounts', 'domain', 'clinic-account.entity.js');

  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  await prisma.$connect();
  const transactions = new LocalTransactions(prisma);
  const cipher = PiiCipher.fromEnv({ ...process.env, NODE_ENV: 'test' });
  const ordersConfig = OrdersConfig.fromEnv();
  const store = new PrismaOrdersStore(prisma, transactions, cipher);
  const pricing = new OrderPricing(new PrismaMedicineRepository(prisma));
  const credentials = new JoseCredentialsIssuer(
    new CredentialKeyStore(prisma, transactions),
    cipher,
    VerificationCodeHmac.fromEnv({ ...process.env, NODE_ENV: 'test' }, () => {}),
  );

  /** Debits `amountCents` from the clinic's account inside the transaction in progress; the ledger entry's id. */
  async function debit(clinicId, orderId, amountCents) {
    const sql = transactions.client;
    const [row] = await sql.$queryRaw`
      SELECT balance::text AS balance, credit_limit::text AS credit_limit, used_credit::text AS used_credit, status
        FROM clinic_account WHERE clinic_id = ${clinicId}::uuid FOR UPDATE`;
    if (!row) throw new CodedError('NOT_FOUND', 'no account for this clinic');
    const account = ClinicAccount.restore({
      clinicId,
      balanceCents: decimalToCents(row.balance),
      creditLimitCents: decimalToCents(row.credit_limit),
      usedCreditCents: decimalToCents(row.used_credit),
      status: row.status,
    });
    const movement = account.debit(amountCents);
    const after = account.snapshot();
    await sql.$executeRaw`
      UPDATE clinic_account SET balance = ${centsToDecimal(after.balanceCents)}::numeric,
             used_credit = ${centsToDecimal(after.usedCreditCents)}::numeric, updated_at = now()
       WHERE clinic_id = ${clinicId}::uuid`;
    const id = randomUUID();
    await sql.$executeRaw`
      INSERT INTO ledger_entry (id, clinic_id, type, amount, balance_after, used_credit_after, order_id)
      VALUES (${id}::uuid, ${clinicId}::uuid, ${movement.type}, ${centsToDecimal(movement.amountCents)}::numeric,
              ${centsToDecimal(movement.balanceAfterCents)}::numeric, ${centsToDecimal(movement.usedCreditAfterCents)}::numeric,
              ${orderId}::uuid)`;
    return id;
  }

  return {
    /** The order, PAID with its credential, or a CodedError as the saga would answer it. */
    async placeOrder(caller, body, idempotencyKey) {
      const input = parseRequest(CreateOrderRequestSchema, { ...body, caller, idempotencyKey });
      if (input.caller.role !== 'practitioner' || !input.caller.clinicIds.includes(input.clinicId)) {
        throw new CodedError('INSUFFICIENT_PERMISSIONS');
      }
      const now = new Date();
      const requestHash = hashOfRequest(input);
      const expiredBefore = new Date(now.getTime() - ordersConfig.idempotencyTtlMs);
      if (await store.findIdempotencyKey(input.caller.userId, idempotencyKey, expiredBefore)) {
        throw new CodedError('IDEMPOTENCY_KEY_REUSED', 'the bench never replays a key');
      }
      const { lines, safetyOverride } = await pricing.price({
        items: input.items,
        packs: input.packs,
        pregnant: input.patientInfo.pregnant === true,
        safetyOverrideReason: input.safetyOverrideReason,
        by: input.caller.userId,
        at: now,
      });
      const order = Order.create(
        {
          id: randomUUID(),
          practitionerId: input.caller.userId,
          clinicId: input.clinicId,
          patient: input.patientInfo,
          notes: input.notes ?? null,
          packs: input.packs,
          lines,
          safetyOverride,
        },
        now,
      );
      order.requestPayment(now, ordersConfig.paymentDeadline(now), input.caller.userId);
      order.markPaid(now, await credentials.issue(order.id, now, ordersConfig.credentialExpiry(now)));
      try {
        await transactions.transaction(async (sql) => {
          // The key with the order, its lines and history: one statement (the store's), then the debit.
          await store.within(sql, async (tx) => {
            await tx.holdIdempotencyKey({
              practitionerId: input.caller.userId,
              key: idempotencyKey,
              requestHash,
              orderId: order.id,
              at: now,
              expiredBefore,
            });
            await tx.insert(order);
          });
          await debit(input.clinicId, order.id, order.totalCents);
        });
      } catch (err) {
        if (err instanceof IdempotencyKeyHeld) throw new CodedError('IDEMPOTENCY_KEY_REUSED', 'the bench never replays a key');
        throw err;
      }
      return order;
    },
    /** The Prisma client (the HTTP monolith reads its callers with it). */
    prisma,
    close: () => prisma.$disconnect(),
  };
}

module.exports = { createMonolithDatabase, monolithOrders, LocalTransactions };
