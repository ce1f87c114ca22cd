import { Injectable } from '@nestjs/common';
import {
  CodedError,
  type NotificationsCaller,
  type NotificationsMarkReadReply,
} from '@prescriptchain/contracts';
import { NotificationsStore } from '../ports/notifications-store';

/** Marks one of the caller's notifications read. Another's is NOT_FOUND: existence is not revealed. */
@Injectable()
export class MarkReadHandler {
  constructor(private readonly store: NotificationsStore) {}

  async execute(caller: NotificationsCaller, id: string): Promise<NotificationsMarkReadReply> {
    const read = await this.store.markRead(caller.userId, id);
    if (!read) throw new CodedError('NOT_FOUND', 'Notification not found.');
    return { id: read.id, readAt: read.readAt.toISOString() };
  }
}
