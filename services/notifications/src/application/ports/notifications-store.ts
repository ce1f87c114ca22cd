import type { DeliveryOutcome } from '../../domain/delivery-attempt';
import type { Locale } from '../../domain/locale';
import type { PharmacyRecipient, UserRecipient, UserRole, UserStatus } from '../../domain/recipient';
import type { TemplateName } from '../../domain/templates/email-templates';

/** The consumed message, as far as effects need it (ids for dedupe, time for ordering). */
export interface SourceMessage {
  messageId: string;
  type: string;
  occurredAt: string;
  correlationId: string;
}

export interface UserFacts {
  userId: string;
  role: UserRole;
  email?: string;
  fullName?: string;
  locale?: Locale;
  status?: UserStatus;
}

export interface PharmacyFacts {
  pharmacyId: string;
  name: string;
  contactEmail: string;
  locale: Locale;
  status?: 'active' | 'suspended';
}

export interface NewInAppNotification {
  userId: string;
  type: TemplateName;
  title: string;
  body: string;
}

export interface NewEmailDelivery {
  to: string;
  toName: string | null;
  recipientUserId: string | null;
  recipientPharmacyId: string | null;
  template: TemplateName;
  locale: Locale;
  subject: string;
  text: string;
  html: string;
}

/** Reads and writes inside one consuming transaction (the inbox record is part of it). */
export interface NotificationsTx {
  /** Upserts what the event says; a field group only moves forward in `at` (events may arrive out of order). */
  recordUser(facts: UserFacts, at: Date): Promise<void>;
  linkOperator(userId: string, pharmacyId: string, at: Date): Promise<void>;
  recordPharmacy(facts: PharmacyFacts, at: Date): Promise<void>;
  /** Records that the user belongs to the clinic (idempotent). */
  addClinicMember(clinicId: string, userId: string, at: Date): Promise<void>;

  findUser(userId: string): Promise<UserRecipient | null>;
  /** Approved admins with an address. */
  approvedAdmins(): Promise<UserRecipient[]>;
  findPharmacy(pharmacyId: string): Promise<PharmacyRecipient | null>;
  /** Approved operators linked to the pharmacy. */
  operatorsOf(pharmacyId: string): Promise<UserRecipient[]>;
  /** Approved practitioners who are members of the clinic. */
  practitionersOf(clinicId: string): Promise<UserRecipient[]>;

  /** Nothing happens for a (message, user) pair that already has one. Returns whether it was added. */
  addInApp(source: SourceMessage, notification: NewInAppNotification): Promise<boolean>;
  /** Nothing happens for a (message, address, channel) that already has one. Returns whether it was added. */
  addEmail(source: SourceMessage, delivery: NewEmailDelivery): Promise<boolean>;
}

export interface NotificationRecord {
  id: string;
  type: TemplateName;
  title: string;
  body: string;
  createdAt: Date;
  readAt: Date | null;
}

export interface DeliveryRecord {
  id: string;
  channel: 'email';
  recipient: string;
  template: TemplateName;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  sentAt: Date | null;
  createdAt: Date;
  lastError: string | null;
}

export interface DeliveryFilter {
  recipient?: string;
  template?: TemplateName;
  status?: DeliveryRecord['status'];
  page: number;
  limit: number;
}

/** A pending delivery the dispatcher has locked for this attempt. */
export interface DueDelivery {
  id: string;
  sourceMessageId: string;
  correlationId: string;
  to: string;
  toName: string | null;
  recipientUserId: string | null;
  recipientPharmacyId: string | null;
  template: TemplateName;
  subject: string;
  text: string;
  html: string;
  attempts: number;
}

export type DeliveryResult = { id: string; outcome: DeliveryOutcome };

/** The notifications database (a process seam: PostgreSQL through Prisma in production). */
export abstract class NotificationsStore {
  /**
   * Runs `effect` in one transaction with the inbox record of (consumer, message): once per
   * message, however often it is delivered. Resolves false for a duplicate (no effect).
   */
  abstract once(
    consumer: string,
    source: SourceMessage,
    effect: (tx: NotificationsTx) => Promise<void>,
  ): Promise<boolean>;

  /**
   * The newest `limit` notifications of `userId` (created at or after `since`, when given), the
   * count of all unread ones, and the watermark to pass as the next `since`.
   */
  abstract poll(
    userId: string,
    query: { since: Date | null; limit: number },
  ): Promise<{ items: NotificationRecord[]; unreadCount: number; watermark: Date }>;

  /** Marks the user's own notification read; null when it is not theirs or does not exist. */
  abstract markRead(userId: string, id: string): Promise<{ id: string; readAt: Date } | null>;

  abstract listDeliveries(filter: DeliveryFilter): Promise<{ items: DeliveryRecord[]; total: number }>;

  /**
   * Locks up to `limit` pending deliveries due at `now` (other dispatchers skip them), lets `work`
   * attempt them, and records the outcomes — with a `notifications.delivery.sent|failed` event for
   * each final one — in the same transaction. Resolves to the number of deliveries attempted.
   */
  abstract dispatchDue(
    limit: number,
    now: Date,
    work: (batch: DueDelivery[]) => Promise<DeliveryResult[]>,
  ): Promise<number>;
}
