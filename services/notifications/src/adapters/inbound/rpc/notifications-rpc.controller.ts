import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CodedError,
  NOTIFICATIONS_RPC,
  NotificationsDeliveriesRequestSchema,
  NotificationsMarkReadRequestSchema,
  NotificationsPollRequestSchema,
} from '@prescriptchain/contracts';
import type { z } from 'zod';
import { ListDeliveriesHandler } from '../../../application/list-deliveries/list-deliveries.handler';
import { MarkReadHandler } from '../../../application/mark-read/mark-read.handler';
import { PollNotificationsHandler } from '../../../application/poll-notifications/poll-notifications.handler';

function parseInput<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const result = schema.safeParse(data ?? {});
  if (result.success) return result.data;
  throw new CodedError(
    'VALIDATION_FAILED',
    undefined,
    result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  );
}

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
    const { caller, lastPolledAt, limit } = parseInput(NotificationsPollRequestSchema, data);
    return this.pollHandler.execute(caller, { lastPolledAt, limit });
  }

  @MessagePattern(NOTIFICATIONS_RPC.markRead)
  markRead(@Payload() data: unknown) {
    const { caller, id } = parseInput(NotificationsMarkReadRequestSchema, data);
    return this.markReadHandler.execute(caller, id);
  }

  @MessagePattern(NOTIFICATIONS_RPC.deliveries)
  deliveries(@Payload() data: unknown) {
    const { caller, ...filter } = parseInput(NotificationsDeliveriesRequestSchema, data);
    return this.listDeliveriesHandler.execute(caller, filter);
  }
}
