import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ORDERS_REPORTS_RPC, OrderKpisRequestSchema, parseRequest } from '@prescriptchain/contracts';
import { GetOrderKpisHandler } from '../../../application/reports/get-order-kpis/get-order-kpis.handler';

/** `orders.reports.*`: admin figures computed from orders' own data. */
@Controller()
export class ReportsRpcController {
  constructor(private readonly kpis: GetOrderKpisHandler) {}

  @MessagePattern(ORDERS_REPORTS_RPC.kpis)
  getKpis(@Payload() data: unknown) {
    const { caller, from, to } = parseRequest(OrderKpisRequestSchema, data);
    return this.kpis.execute(caller, { from, to });
  }
}
