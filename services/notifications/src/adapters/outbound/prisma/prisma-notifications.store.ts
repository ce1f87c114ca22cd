import { randomUUID } from 'node:crypto';
import { DeliveryFailedV1, DeliverySentV1 } from '@prescriptchain/contracts';
import { Inbox, type Outbox } from '@prescriptchain/messaging';
import {
  type DeliveryFilter,
  type DeliveryRecord,
  type DeliveryResult,
  type DueDelivery,
  type NewEmailDelivery,
  type NewInAppNotification,
  type NotificationRecord,
  NotificationsStore,
  type NotificationsTx,
  type PharmacyFacts,
  type SourceMessage,
  type UserFacts,
} from '../../../application/ports/notifications-store';
import { toLocale } from '../../../domain/locale';
import type { PharmacyRecipient, UserRecipient, UserRole, UserStatus } from '../../../domain/recipient';
import type { TemplateName } from '../../../domain/templates/email-templates';
import type {
  Prisma,
  PrismaClient,
  RecipientPharmacy,
  RecipientUser,
} from '../../../generated/prisma/client';

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * The dispatcher names its transactions so that `poll` can leave them out of its watermark: they
 * hold rows for as long as a send takes, but never write notifications.
 */
const DISPATCHER_APPLICATION_NAME = 'notifications-dispatcher';

const iso = (d: Date) => d.toISOString();
const asDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

/** Notifications' database through Prisma (models for reads, raw SQL where Prisma cannot say it). */
export class PrismaNotificationsStore extends NotificationsStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly outbox: Outbox,
    private readonly options: { transactionTimeoutMs?: number } = {},
  ) {
    super();
  }

  async once(
    consumer: string,
    source: SourceMessage,
    effect: (tx: NotificationsTx) => Promise<void>,
  ): Promise<boolean> {
    return this.prisma.$transaction(
      async (db) => {
        if (!(await Inbox.claim(db, consumer, source))) return false;
        await effect(new PrismaNotificationsTx(db));
        return true;
      },
      { timeout: 15_000, maxWait: 10_000 },
    );
  }

  async poll(userId: string, query: { since: Date | null; limit: number }) {
    // Read before the rows: a notification not yet committed now was written by a transaction open
    // now, so its created_at (its transaction's start) is at or after this watermark.
    const [{ watermark }] = await this.prisma.$queryRawUnsafe<{ watermark: Date | string }[]>(
      `SELECT LEAST(now(), (SELECT min(xact_start) FROM pg_stat_activity
                              WHERE datname = current_database() AND xact_start IS NOT NULL
                                AND pid <> pg_backend_pid() AND application_name IS DISTINCT FROM $1)) AS watermark`,
      DISPATCHER_APPLICATION_NAME,
    );
    const [rows, unreadCount] = await Promise.all([
      this.prisma.notification.findMany({
        where: { userId, ...(query.since ? { createdAt: { gte: query.since } } : {}) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: query.limit,
      }),
      this.prisma.notification.count({ where: { userId, readAt: null } }),
    ]);
    const items: NotificationRecord[] = rows.map((n) => ({
      id: n.id,
      type: n.type as TemplateName,
      title: n.title,
      body: n.body,
      createdAt: n.createdAt,
      readAt: n.readAt,
    }));
    return { items, unreadCount, watermark: asDate(watermark) };
  }

  async markRead(userId: string, id: string) {
    const rows = await this.prisma.$queryRawUnsafe<{ id: string; read_at: Date | string }[]>(
      `UPDATE notification SET read_at = COALESCE(read_at, now())
        WHERE id = $1::uuid AND user_id = $2::uuid RETURNING id, read_at`,
      id,
      userId,
    );
    return rows[0] ? { id: rows[0].id, readAt: asDate(rows[0].read_at) } : null;
  }

  async listDeliveries(filter: DeliveryFilter): Promise<{ items: DeliveryRecord[]; total: number }> {
    const where: Prisma.DeliveryWhereInput = {
      ...(filter.recipient ? { recipient: { equals: filter.recipient, mode: 'insensitive' } } : {}),
      ...(filter.template ? { template: filter.template } : {}),
      ...(filter.status ? { status: filter.status } : {}),
    };
    const [rows, total] = await Promise.all([
      this.prisma.delivery.findMany({
        where,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip: (filter.page - 1) * filter.limit,
        take: filter.limit,
      }),
      this.prisma.delivery.count({ where }),
    ]);
    return {
      items: rows.map((d) => ({
        id: d.id,
        channel: 'email',
        recipient: d.recipient,
        template: d.template as TemplateName,
        status: d.status as DeliveryRecord['status'],
        attempts: d.attempts,
        sentAt: d.sentAt,
        createdAt: d.createdAt,
        lastError: d.lastError,
      })),
      total,
    };
  }

  async dispatchDue(
    limit: number,
    now: Date,
    work: (batch: DueDelivery[]) => Promise<DeliveryResult[]>,
  ): Promise<number> {
    let finished = 0;
    const attempted = await this.prisma.$transaction(
      async (db) => {
        await db.$executeRawUnsafe(`SET LOCAL application_name = '${DISPATCHER_APPLICATION_NAME}'`);
        const rows = await db.$queryRawUnsafe<DueRow[]>(
          `SELECT id, message_id, correlation_id, recipient, recipient_name, recipient_user_id, recipient_pharmacy_id,
                  template, subject, body_text, body_html, attempts
             FROM delivery
            WHERE status = 'pending' AND next_attempt_at <= $1::timestamptz
            ORDER BY next_attempt_at, id
            LIMIT $2
              FOR UPDATE SKIP LOCKED`,
          iso(now),
          limit,
        );
        if (rows.length === 0) return 0;
        const batch = rows.map(toDue);
        const byId = new Map(batch.map((d) => [d.id, d]));
        for (const { id, outcome } of await work(batch)) {
          const d = byId.get(id);
          if (!d) continue;
          if (outcome.status === 'sent') {
            await db.$executeRawUnsafe(
              `UPDATE delivery SET status = 'sent', attempts = $2, sent_at = $3::timestamptz, provider_message_id = $4,
                                   last_error = NULL, updated_at = now()
                WHERE id = $1::uuid`,
              id,
              outcome.attempts,
              iso(outcome.sentAt),
              outcome.providerMessageId,
            );
          } else if (outcome.status === 'pending') {
            await db.$executeRawUnsafe(
              `UPDATE delivery SET attempts = $2, next_attempt_at = $3::timestamptz, last_error = $4, updated_at = now()
                WHERE id = $1::uuid`,
              id,
              outcome.attempts,
              iso(outcome.nextAttemptAt),
              outcome.lastError,
            );
            continue;
          } else {
            await db.$executeRawUnsafe(
              `UPDATE delivery SET status = 'failed', attempts = $2, last_error = $3, updated_at = now() WHERE id = $1::uuid`,
              id,
              outcome.attempts,
              outcome.lastError,
            );
          }
          const common = {
            deliveryId: d.id,
            sourceMessageId: d.sourceMessageId,
            channel: 'email' as const,
            template: d.template,
            recipientUserId: d.recipientUserId,
            recipientPharmacyId: d.recipientPharmacyId,
            attempts: outcome.attempts,
          };
          const meta = { correlationId: d.correlationId, causationId: d.sourceMessageId };
          if (outcome.status === 'sent') {
            await this.outbox.enqueue(db, {
              definition: DeliverySentV1,
              payload: { ...common, sentAt: iso(outcome.sentAt) },
              ...meta,
            });
          } else {
            await this.outbox.enqueue(db, {
              definition: DeliveryFailedV1,
              payload: { ...common, error: outcome.lastError, failedAt: iso(outcome.failedAt) },
              ...meta,
            });
          }
          finished++;
        }
        return rows.length;
      },
      { timeout: this.options.transactionTimeoutMs ?? 60_000, maxWait: 10_000 },
    );
    if (finished > 0) this.outbox.kick();
    return attempted;
  }
}

interface DueRow {
  id: string;
  message_id: string;
  correlation_id: string;
  recipient: string;
  recipient_name: string | null;
  recipient_user_id: string | null;
  recipient_pharmacy_id: string | null;
  template: string;
  subject: string;
  body_text: string;
  body_html: string;
  attempts: number;
}

const toDue = (r: DueRow): DueDelivery => ({
  id: r.id,
  sourceMessageId: r.message_id,
  correlationId: r.correlation_id,
  to: r.recipient,
  toName: r.recipient_name,
  recipientUserId: r.recipient_user_id,
  recipientPharmacyId: r.recipient_pharmacy_id,
  template: r.template as TemplateName,
  subject: r.subject,
  text: r.body_text,
  html: r.body_html,
  attempts: Number(r.attempts),
});

const toUser = (u: RecipientUser): UserRecipient => ({
  userId: u.userId,
  email: u.email,
  fullName: u.fullName,
  role: u.role as UserRole,
  locale: toLocale(u.locale),
  status: u.status as UserStatus,
  pharmacyId: u.pharmacyId,
});

const toPharmacy = (p: RecipientPharmacy): PharmacyRecipient => ({
  pharmacyId: p.pharmacyId,
  name: p.name,
  contactEmail: p.contactEmail,
  locale: toLocale(p.locale),
  status: p.status === 'suspended' ? 'suspended' : 'active',
});

/** The directory and the notification rows inside one consuming transaction. */
class PrismaNotificationsTx implements NotificationsTx {
  constructor(private readonly db: Db) {}

  async recordUser(f: UserFacts, at: Date): Promise<void> {
    // Profile and status each move forward only: an older event never overwrites a newer one.
    // Registration carries no status, so it can never undo an approval that overtook it.
    await this.db.$executeRawUnsafe(
      `INSERT INTO recipient_user (user_id, role, email, full_name, locale, status, profile_at, status_at)
       VALUES ($1::uuid, $2, $3::text, $4::text, COALESCE($5::text, 'en'), COALESCE($6::text, 'pending'),
               CASE WHEN $3::text IS NULL THEN NULL ELSE $7::timestamptz END,
               CASE WHEN $6::text IS NULL THEN NULL ELSE $7::timestamptz END)
       ON CONFLICT (user_id) DO UPDATE SET
         role = EXCLUDED.role,
         email = CASE WHEN ${newer('profile_at')} THEN EXCLUDED.email ELSE recipient_user.email END,
         full_name = CASE WHEN ${newer('profile_at')} THEN EXCLUDED.full_name ELSE recipient_user.full_name END,
         locale = CASE WHEN ${newer('profile_at')} THEN EXCLUDED.locale ELSE recipient_user.locale END,
         profile_at = GREATEST(recipient_user.profile_at, EXCLUDED.profile_at),
         status = CASE WHEN ${newer('status_at')} THEN EXCLUDED.status ELSE recipient_user.status END,
         status_at = GREATEST(recipient_user.status_at, EXCLUDED.status_at),
         updated_at = now()`,
      f.userId,
      f.role,
      f.email ?? null,
      f.fullName ?? null,
      f.locale ?? null,
      f.status ?? null,
      iso(at),
    );
  }

  async linkOperator(userId: string, pharmacyId: string, at: Date): Promise<void> {
    await this.db.$executeRawUnsafe(
      `INSERT INTO recipient_user (user_id, role, pharmacy_id, pharmacy_linked_at)
       VALUES ($1::uuid, 'pharmacy_operator', $2::uuid, $3::timestamptz)
       ON CONFLICT (user_id) DO UPDATE SET
         pharmacy_id = CASE WHEN ${newer('pharmacy_linked_at')} THEN EXCLUDED.pharmacy_id ELSE recipient_user.pharmacy_id END,
         pharmacy_linked_at = GREATEST(recipient_user.pharmacy_linked_at, EXCLUDED.pharmacy_linked_at),
         updated_at = now()`,
      userId,
      pharmacyId,
      iso(at),
    );
  }

  async recordPharmacy(f: PharmacyFacts, at: Date): Promise<void> {
    await this.db.$executeRawUnsafe(
      `INSERT INTO recipient_pharmacy (pharmacy_id, name, contact_email, locale, status, source_at)
       VALUES ($1::uuid, $2, $3, $4, COALESCE($5::text, 'active'), $6::timestamptz)
       ON CONFLICT (pharmacy_id) DO UPDATE SET
         name = EXCLUDED.name,
         contact_email = EXCLUDED.contact_email,
         locale = EXCLUDED.locale,
         status = COALESCE($5::text, recipient_pharmacy.status),
         source_at = EXCLUDED.source_at,
         updated_at = now()
       WHERE recipient_pharmacy.source_at <= EXCLUDED.source_at`,
      f.pharmacyId,
      f.name,
      f.contactEmail,
      f.locale,
      f.status ?? null,
      iso(at),
    );
  }

  async findUser(userId: string): Promise<UserRecipient | null> {
    const u = await this.db.recipientUser.findUnique({ where: { userId } });
    return u ? toUser(u) : null;
  }

  async approvedAdmins(): Promise<UserRecipient[]> {
    const rows = await this.db.recipientUser.findMany({
      where: { role: 'admin', status: 'approved', email: { not: null } },
      orderBy: { userId: 'asc' },
    });
    return rows.map(toUser);
  }

  async findPharmacy(pharmacyId: string): Promise<PharmacyRecipient | null> {
    const p = await this.db.recipientPharmacy.findUnique({ where: { pharmacyId } });
    return p ? toPharmacy(p) : null;
  }

  async addClinicMember(clinicId: string, userId: string, at: Date): Promise<void> {
    await this.db.$executeRawUnsafe(
      `INSERT INTO recipient_clinic_member (clinic_id, user_id, added_at) VALUES ($1::uuid, $2::uuid, $3::timestamptz)
       ON CONFLICT (clinic_id, user_id) DO NOTHING`,
      clinicId,
      userId,
      iso(at),
    );
  }

  async practitionersOf(clinicId: string): Promise<UserRecipient[]> {
    const members = await this.db.recipientClinicMember.findMany({ where: { clinicId }, select: { userId: true } });
    if (members.length === 0) return [];
    const rows = await this.db.recipientUser.findMany({
      where: { userId: { in: members.map((m) => m.userId) }, role: 'practitioner', status: 'approved' },
      orderBy: { userId: 'asc' },
    });
    return rows.map(toUser);
  }

  async operatorsOf(pharmacyId: string): Promise<UserRecipient[]> {
    const rows = await this.db.recipientUser.findMany({
      where: { pharmacyId, role: 'pharmacy_operator', status: 'approved' },
      orderBy: { userId: 'asc' },
    });
    return rows.map(toUser);
  }

  async addInApp(source: SourceMessage, n: NewInAppNotification): Promise<boolean> {
    const added = await this.db.$executeRawUnsafe(
      `INSERT INTO notification (id, user_id, type, title, body, source_message_id)
       VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6::uuid)
       ON CONFLICT (source_message_id, user_id) DO NOTHING`,
      randomUUID(),
      n.userId,
      n.type,
      n.title,
      n.body,
      source.messageId,
    );
    return Number(added) === 1;
  }

  async addEmail(source: SourceMessage, d: NewEmailDelivery): Promise<boolean> {
    const added = await this.db.$executeRawUnsafe(
      `INSERT INTO delivery (id, message_id, message_type, correlation_id, channel, recipient, recipient_name,
                             recipient_user_id, recipient_pharmacy_id, template, locale, subject, body_text, body_html)
       VALUES ($1::uuid, $2::uuid, $3, $4, 'email', $5, $6, $7::uuid, $8::uuid, $9, $10, $11, $12, $13)
       ON CONFLICT (message_id, recipient, channel) DO NOTHING`,
      randomUUID(),
      source.messageId,
      source.type,
      source.correlationId,
      d.to,
      d.toName,
      d.recipientUserId,
      d.recipientPharmacyId,
      d.template,
      d.locale,
      d.subject,
      d.text,
      d.html,
    );
    return Number(added) === 1;
  }
}

/** The incoming value of a timestamp column is at least as new as the stored one (or none is stored). */
const newer = (column: string) =>
  `EXCLUDED.${column} IS NOT NULL AND (recipient_user.${column} IS NULL OR recipient_user.${column} <= EXCLUDED.${column})`;
