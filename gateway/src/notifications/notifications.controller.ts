import { Controller, Param, Query } from '@nestjs/common';
import {
  NOTIFICATIONS_RPC,
  NotificationsDeliveriesReplySchema,
  type NotificationsDeliveriesRequest,
  type NotificationsMarkReadRequest,
  type NotificationsPollRequest,
} from '@prescriptchain/contracts';
import { callerOf, CurrentPrincipal, type RequestPrincipal } from '../access/principal';
import { Page } from '../http/envelope';
import { parseReply } from '../http/rpc-reply';
import { BackendRpc } from '../ports/backend-rpc';
import { Route, type RouteInput } from '../routes/route';
import { ROUTES } from '../routes/route-table';

type In<K extends keyof typeof ROUTES, P extends 'params' | 'query' | 'body'> = RouteInput<
  (typeof ROUTES)[K],
  P
>;

/** In-app notifications and the email delivery log; notifications scopes every query by the caller sent. */
@Controller()
export class NotificationsController {
  constructor(private readonly rpc: BackendRpc) {}

  @Route(ROUTES.pollNotifications)
  poll(@Query() query: In<'pollNotifications', 'query'>, @CurrentPrincipal() principal: RequestPrincipal) {
    const request: NotificationsPollRequest = { caller: callerOf(principal), ...query };
    return this.rpc.call(NOTIFICATIONS_RPC.poll, request);
  }

  @Route(ROUTES.markNotificationRead)
  async markRead(
    @Param() { id }: In<'markNotificationRead', 'params'>,
    @CurrentPrincipal() principal: RequestPrincipal,
  ) {
    const request: NotificationsMarkReadRequest = { caller: callerOf(principal), id };
    await this.rpc.call(NOTIFICATIONS_RPC.markRead, request);
  }

  @Route(ROUTES.listNotificationDeliveries)
  async deliveries(
    @Query() query: In<'listNotificationDeliveries', 'query'>,
    @CurrentPrincipal() principal: RequestPrincipal,
  ) {
    const request: NotificationsDeliveriesRequest = { caller: callerOf(principal), ...query };
    const { items, total } = parseReply(
      NotificationsDeliveriesReplySchema,
      NOTIFICATIONS_RPC.deliveries,
      await this.rpc.call(NOTIFICATIONS_RPC.deliveries, request),
    );
    return new Page(items, query.page, query.limit, total);
  }
}
