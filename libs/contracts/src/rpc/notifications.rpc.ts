import { z } from 'zod';

/**
 * The requests the gateway sends to notifications (`notifications.rpc` queue) and their replies.
 * `caller` is who the gateway authenticated; every query is scoped by it.
 */
export const NOTIFICATIONS_RPC = {
  poll: 'notifications.notifications.poll',
  markRead: 'notifications.notifications.markRead',
  deliveries: 'notifications.deliveries.list',
} as const;

const Timestamp = z.iso.datetime();

export const NotificationsCallerSchema = z.object({
  userId: z.uuid(),
  role: z.enum(['practitioner', 'pharmacy_operator', 'admin']),
  ip: z.string().max(64).nullish(),
});
export type NotificationsCaller = z.infer<typeof NotificationsCallerSchema>;

export const NotificationTypeSchema = z.enum([
  'account_approved',
  'payment_failed',
  'proof_submitted',
  'proof_reviewed',
  'settlement_paid',
  'topup_credited',
  'order_dispensing',
  'order_released',
]);
export type NotificationType = z.infer<typeof NotificationTypeSchema>;

export const NotificationDeliveryStatusSchema = z.enum(['pending', 'sent', 'failed']);
export type NotificationDeliveryStatus = z.infer<typeof NotificationDeliveryStatusSchema>;

// ---------------------------------------------------------------- requests

/**
 * Without `lastPolledAt`: the newest `limit` notifications. With it: the newest `limit` of those
 * created since (the boundary is inclusive, so one may repeat — dedupe by id). Pass back the
 * `lastPolledAt` of the previous reply.
 */
export const NotificationsPollRequestSchema = z.object({
  caller: NotificationsCallerSchema,
  lastPolledAt: Timestamp.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** Someone else's notification is NOT_FOUND, as is an unknown one. Marking twice keeps the first readAt. */
export const NotificationsMarkReadRequestSchema = z.object({
  caller: NotificationsCallerSchema,
  id: z.uuid(),
});

/** Admins only. `recipient` matches the address case-insensitively; `type` is the template. */
export const NotificationsDeliveriesRequestSchema = z.object({
  caller: NotificationsCallerSchema,
  recipient: z.string().trim().min(1).max(254).optional(),
  type: NotificationTypeSchema.optional(),
  status: NotificationDeliveryStatusSchema.optional(),
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export type NotificationsPollRequest = z.input<typeof NotificationsPollRequestSchema>;
export type NotificationsMarkReadRequest = z.input<typeof NotificationsMarkReadRequestSchema>;
export type NotificationsDeliveriesRequest = z.input<typeof NotificationsDeliveriesRequestSchema>;

// ---------------------------------------------------------------- replies

export const NotificationViewSchema = z.object({
  id: z.uuid(),
  type: NotificationTypeSchema,
  title: z.string(),
  body: z.string(),
  createdAt: Timestamp,
  readAt: Timestamp.nullable(),
});
export type NotificationView = z.infer<typeof NotificationViewSchema>;

export const NotificationsPollReplySchema = z.object({
  notifications: z.array(NotificationViewSchema),
  /** All of the caller's unread notifications, not only those in this reply. */
  unreadCount: z
    .number()
    .int()
    .nonnegative()
    .meta({ description: "All of the caller's unread notifications." }),
  lastPolledAt: Timestamp.meta({ description: "Send it back as the next poll's `lastPolledAt`." }),
});
export type NotificationsPollReply = z.infer<typeof NotificationsPollReplySchema>;

export const NotificationsMarkReadReplySchema = z.object({ id: z.uuid(), readAt: Timestamp });
export type NotificationsMarkReadReply = z.infer<typeof NotificationsMarkReadReplySchema>;

export const NotificationDeliveryViewSchema = z.object({
  id: z.uuid(),
  channel: z.enum(['email']),
  recipient: z.string(),
  template: NotificationTypeSchema,
  status: NotificationDeliveryStatusSchema,
  attempts: z.number().int().nonnegative(),
  sentAt: Timestamp.nullable(),
  createdAt: Timestamp,
  lastError: z.string().nullable(),
});
export type NotificationDeliveryView = z.infer<typeof NotificationDeliveryViewSchema>;

export const NotificationsDeliveriesReplySchema = z.object({
  items: z.array(NotificationDeliveryViewSchema),
  total: z.number().int().nonnegative(),
});
export type NotificationsDeliveriesReply = z.infer<typeof NotificationsDeliveriesReplySchema>;
