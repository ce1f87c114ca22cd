import { Injectable } from '@nestjs/common';
import {
  CodedError,
  type NotificationDeliveryStatus,
  type NotificationsCaller,
  type NotificationsDeliveriesReply,
  type NotificationType,
} from '@prescriptchain/contracts';
import { NotificationsStore } from '../ports/notifications-store';

/** The e-mail delivery log, newest first, for admins. */
@Injectable()
export class ListDeliveriesHandler {
  constructor(private readonly store: NotificationsStore) {}

  async execute(
    caller: NotificationsCaller,
    filter: {
      recipient?: string;
      type?: NotificationType;
      status?: NotificationDeliveryStatus;
      page: number;
      limit: number;
    },
  ): Promise<NotificationsDeliveriesReply> {
    if (caller.role !== 'admin') throw new CodedError('INSUFFICIENT_PERMISSIONS');
    const { items, total } = await this.store.listDeliveries({
      recipient: filter.recipient,
      template: filter.type,
      status: filter.status,
      page: filter.page,
      limit: filter.limit,
    });
    return {
      items: items.map((d) => ({
        id: d.id,
        channel: d.channel,
        recipient: d.recipient,
        template: d.template,
        status: d.status,
        attempts: d.attempts,
        sentAt: d.sentAt?.toISOString() ?? null,
        createdAt: d.createdAt.toISOString(),
        lastError: d.lastError,
      })),
      total,
    };
  }
}
