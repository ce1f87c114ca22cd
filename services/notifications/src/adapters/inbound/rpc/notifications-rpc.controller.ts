import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  NOTIFICATIONS_RPC,
  NotificationsDeliveriesRequestSchema,
  NotificationsMarkReadRequestSchema,
  NotificationsPollRequestSchema,
  parseRequest,
} from '@prescriptchain/contracts';
import { ListDeliveriesHandler } from '../../../application/list-deliveries/list-deliveries.handler';
import { MarkReadHandler } from '../../../application/mark-read/mark-read.handler';
import { PollNotificationsHandler } from '../../../application/poll-notifications/poll-notifications.handler';

/** What the gateway asks of notifications on `notifications.rpc`, always for an authenticated caller. */
@Controller()
export class NotificationsRpcController {
  constructor(
    private readonly pollHandler: PollNotificationsHandler,
    private readonly markReadHandler: MarkReadHandler,
    private readonly listDeliveriesHandler: ListDeliveriesHandler,
  ) {}

  @MessagePattern(NOTIFICATIONS_RPC.poll)
  poll(@Payload() data: unknown) {
    const { caller, lastPolledAt, limit } = parseRequest(NotificationsPollRequestSchema, data);
    return this.pollHandler.execute(caller, { lastPolledAt, limit });
  }

  @MessagePattern(NOTIFICATIONS_RPC.markRead)
  markRead(@Payload() data: unknown) {
    const { caller, id } = parseRequest(NotificationsMarkReadRequestSchema, data);
    return this.markReadHandler.execute(caller, id);
  }

  @MessagePattern(NOTIFICATIONS_RPC.deliveries)
  deliveries(@Payload() data: unknown) {
    const { caller, ...filter } = parseRequest(NotificationsDeliveriesRequestSchema, data);
    return this.listDeliveriesHandler.execute(caller, filter);
  }
}
