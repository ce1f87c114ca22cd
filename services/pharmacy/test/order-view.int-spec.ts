/**
 * Pharmacy's read model of orders on a real database: each consumed order event is one statement
 * (the inbox claim and the write together), so a redelivery changes nothing and an event older than
 * the row's status never moves it back.
 */
import { randomUUID } from 'node:crypto';
import { PiiCipher } from '@prescriptchain/messaging';
import { type TestDatabase, createTestDatabase } from '../../../test/support/infra';
import { migrate } from '../../../tools/migrate';
import { PharmacyPrismaService } from '../src/adapters/outbound/prisma/pharmacy-prisma.service';
import { SqlOrderViewRepository } from '../src/adapters/outbound/prisma/sql-order-view.repository';
import type { PaidOrderData } from '../src/application/ports/pharmacy-store';
import { MIGRATIONS_DIR } from './pharmacy-test-kit';

const CONSUMER = 'pharmacy.order-view';

describe('order view read model (one statement per consumed event)', () => {
  let db: TestDatabase;
  let prisma: PharmacyPrismaService;
  let repo: SqlOrderViewRepository;
  const cipher = PiiCipher.developmentKey();

  beforeAll(async () => {
    db = await createTestDatabase('pharmacy_order_view');
    await migrate(db.url, MIGRATIONS_DIR);
    prisma = new PharmacyPrismaService(db.url);
    repo = new SqlOrderViewRepository(prisma, cipher);
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });

  const message = (type: string) => ({ consumer: CONSUMER, message: { messageId: randomUUID(), type } });
  const paid = (orderId: string): PaidOrderData => ({
    orderId,
    platformOrderId: `PC-${orderId.slice(0, 8)}`,
    items: [{ medicineId: randomUUID(), name: '当归', pinyin: 'dang gui', englishName: 'Angelica', unit: 'g', quantity: '12.5', packs: 7 }],
    patientName: 'Mere Tane',
    expiresAt: new Date('2027-01-01T00:00:00.000Z'),
    verificationCodeHash: 'digest',
    credentialKid: 'kid-1',
  });
  const inboxRows = (messageId: string) =>
    prisma.$queryRawUnsafe<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM inbox_message WHERE consumer = $1 AND message_id = $2::uuid',
      CONSUMER,
      messageId,
    );

  it('records a paid order once; the redelivered message is claimed already and writes nothing', async () => {
    const orderId = randomUUID();
    const event = message('orders.order.paid');
    const at = new Date('2026-12-01T10:00:00.000Z');
    expect(await repo.upsertPaidOnce(event, paid(orderId), at)).toBe(true);
    const first = await repo.findById(orderId);
    expect(first).toMatchObject({
      status: 'PAID',
      platformOrderId: `PC-${orderId.slice(0, 8)}`,
      patientName: 'Mere Tane',
      credentialKid: 'kid-1',
      verificationCodeHash: 'digest',
      statusAt: at,
    });
    expect(await inboxRows(event.message.messageId)).toEqual([{ n: 1 }]);

    // The same message again, now carrying other data: the inbox says it was handled; nothing changes.
    const again = { ...paid(orderId), credentialKid: 'kid-2' };
    expect(await repo.upsertPaidOnce(event, again, new Date('2026-12-01T11:00:00.000Z'))).toBe(false);
    expect(await repo.findById(orderId)).toEqual(first);
  });

  it('moves the status once per message and never back to an older event', async () => {
    const orderId = randomUUID();
    const paidAt = new Date('2026-12-01T10:00:00.000Z');
    await repo.upsertPaidOnce(message('orders.order.paid'), paid(orderId), paidAt);
    const pharmacyId = randomUUID();
    const claimedAt = new Date('2026-12-01T10:05:00.000Z');
    const dispensing = message('orders.order.dispensing');
    const hold = { assignedPharmacyId: pharmacyId, payoutCents: 4197, claimedAt, holdExpiresAt: new Date('2026-12-02T10:05:00.000Z') };
    expect(await repo.applyStatusOnce(dispensing, orderId, 'DISPENSING', claimedAt, hold)).toBe(true);
    expect(await repo.applyStatusOnce(dispensing, orderId, 'DISPENSING', claimedAt, hold)).toBe(false);
    expect(await repo.findById(orderId)).toMatchObject({
      status: 'DISPENSING',
      assignedPharmacyId: pharmacyId,
      payoutCents: 4197,
      claimedAt,
    });

    // An older event (a retried cancellation from before the claim) is claimed but moves nothing.
    const stale = message('orders.order.cancelled');
    expect(await repo.applyStatusOnce(stale, orderId, 'CANCELLED', new Date('2026-12-01T10:01:00.000Z'))).toBe(true);
    expect(await repo.findById(orderId)).toMatchObject({ status: 'DISPENSING', statusAt: claimedAt });

    // A paid event arriving after the claim completes the data but leaves the newer status.
    const late = randomUUID();
    const statusFirst = new Date('2026-12-01T12:00:00.000Z');
    await repo.applyStatusOnce(message('orders.order.cancelled'), late, 'CANCELLED', statusFirst);
    await repo.upsertPaidOnce(message('orders.order.paid'), paid(late), paidAt);
    expect(await repo.findById(late)).toMatchObject({
      status: 'CANCELLED',
      statusAt: statusFirst,
      platformOrderId: `PC-${late.slice(0, 8)}`,
    });
  });
});
