import { Injectable } from '@nestjs/common';
import type {
  NotificationsCaller,
  NotificationsPollReply,
  NotificationType,
} from '@prescriptchain/contracts';
import { NotificationsStore } from '../ports/notifications-store';

/** The caller's own in-app notifications, newest first, and how many are unread. */
@Injectable()
export class PollNotificationsHandler {
  constructor(private readonly store: NotificationsStore) {}

  async execute(
    caller: NotificationsCaller,
    query: { lastPolledAt?: string; limit: number },
  ): Promise<NotificationsPollReply> {
    const { items, unreadCount, watermark } = await this.store.poll(caller.userId, {
      since: query.lastPolledAt ? new Date(query.lastPolledAt) : null,
      limit: query.limit,
    });
    return {
      notifications: items.map((n) => ({
        id: n.id,
        type: n.type as NotificationType,
        title: n.title,
        body: n.body,
        createdAt: n.createdAt.toISOString(),
        readAt: n.readAt?.toISOString() ?? null,
      })),
      unreadCount,
      lastPolledAt: watermark.toISOString(),
    };
  }
}
