import { Controller, Query } from '@nestjs/common';
import { ORDERS_REPORTS_RPC, type OrderKpisRequest, OrderKpisSchema } from '@prescriptchain/contracts';
import { CurrentPrincipal, type Principal, scopedCallerOf } from '../access/principal';
import { toWire } from '../http/money';
import { parseReply } from '../http/rpc-reply';
import { BackendRpc } from '../ports/backend-rpc';
import { Route, type RouteInput } from '../routes/route';
import { ROUTES } from '../routes/route-table';

/** The admin's KPI report: orders computes it from its own orders and history. */
@Controller()
export class KpisController {
  constructor(private readonly rpc: BackendRpc) {}

  @Route(ROUTES.getKpis)
  async kpis(
    @Query() query: RouteInput<typeof ROUTES.getKpis, 'query'>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const request: OrderKpisRequest = { caller: scopedCallerOf(principal), ...query };
    const reply = await this.rpc.call(ORDERS_REPORTS_RPC.kpis, request);
    return toWire(parseReply(OrderKpisSchema, ORDERS_REPORTS_RPC.kpis, reply));
  }
}
