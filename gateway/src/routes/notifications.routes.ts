import {
  NotificationDeliveryStatusSchema,
  NotificationDeliveryViewSchema,
  NotificationsPollReplySchema,
  NotificationTypeSchema,
  NotificationViewSchema,
  ROLES,
} from '@prescriptchain/contracts';
import { z } from 'zod';
import { API_PREFIX, defineRoute, type RouteDef } from './route';
import { BACKEND, Id, pageQuery, Timestamp } from './atoms';

// ------------------------------------------------------------------ data shapes: notifications' views in their HTTP form

export const NotificationSchema = NotificationViewSchema.meta({ id: 'Notification' });
export const NotificationPollSchema = NotificationsPollReplySchema.extend({
  notifications: z.array(NotificationSchema),
}).meta({ id: 'NotificationPoll' });
export const NotificationDeliverySchema = NotificationDeliveryViewSchema.meta({ id: 'NotificationDelivery' });

// ------------------------------------------------------------------ routes

/** Every query is the caller's own (notifications scopes by the caller the gateway sends). */
export const NOTIFICATIONS_ROUTES = {
  pollNotifications: defineRoute({
    id: 'pollNotifications',
    method: 'get',
    path: `${API_PREFIX}/notifications/poll`,
    access: ROLES,
    summary:
      "The caller's in-app notifications, newest first: all of them, or those since `lastPolledAt` (inclusive, so dedupe by id)",
    tags: ['notifications'],
    query: z.object({
      lastPolledAt: Timestamp.optional(),
      limit: z.coerce.number().int().min(1).max(100).default(20),
    }),
    response: { status: 200, data: NotificationPollSchema },
    errors: BACKEND,
  }),
  markNotificationRead: defineRoute({
    id: 'markNotificationRead',
    method: 'post',
    path: `${API_PREFIX}/notifications/:id/read`,
    access: ROLES,
    summary: "Mark one of the caller's notifications read (someone else's is 404)",
    tags: ['notifications'],
    params: z.object({ id: Id }),
    response: { status: 204 },
    errors: ['NOT_FOUND', ...BACKEND],
  }),
  listNotificationDeliveries: defineRoute({
    id: 'listNotificationDeliveries',
    method: 'get',
    path: `${API_PREFIX}/admin/notifications/deliveries`,
    access: ['admin'],
    summary: 'The email delivery log, newest first, by recipient (case-insensitive), template and status',
    tags: ['admin'],
    query: z.object({
      recipient: z.string().trim().min(1).max(254).optional(),
      type: NotificationTypeSchema.optional(),
      status: NotificationDeliveryStatusSchema.optional(),
      page: pageQuery(),
      limit: z.coerce.number().int().min(1).max(100).default(20),
    }),
    response: { status: 200, data: z.array(NotificationDeliverySchema), paginated: true },
    errors: BACKEND,
  }),
} satisfies Record<string, RouteDef>;
