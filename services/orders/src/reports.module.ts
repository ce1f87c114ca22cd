import { Module } from '@nestjs/common';
import { ReportsRpcController } from './adapters/inbound/rpc/reports-rpc.controller';
import { PrismaOrderKpisQuery } from './adapters/outbound/prisma/prisma-order-kpis.query';
import { Clock } from './application/orders/clock';
import { GetOrderKpisHandler } from './application/reports/get-order-kpis/get-order-kpis.handler';
import { OrderKpisQuery } from './application/ports/order-kpis-query';

/**
 * `orders.reports.*` (admin KPIs) over orders' own tables. Needs the global OrdersPrismaService
 * (OrdersPrismaModule.forRoot).
 */
@Module({
  controllers: [ReportsRpcController],
  providers: [Clock, { provide: OrderKpisQuery, useClass: PrismaOrderKpisQuery }, GetOrderKpisHandler],
})
export class ReportsModule {}
