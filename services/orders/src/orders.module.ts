import { Module } from '@nestjs/common';
import { MessagingModule } from '@prescriptchain/messaging';
import { OrdersPrismaModule, OrdersPrismaService } from './adapters/outbound/prisma/orders-prisma.service';
import { CatalogueModule } from './catalogue.module';
import { OrderingModule } from './ordering.module';
import { ReportsModule } from './reports.module';

/**
 * The only place ports are bound to adapters (ordering's bindings: OrderingModule; the KPI
 * report's: ReportsModule).
 */
@Module({
  imports: [
    OrdersPrismaModule.forRoot(),
    MessagingModule.forService({ service: 'orders', prismaToken: OrdersPrismaService }),
    CatalogueModule,
    OrderingModule,
    ReportsModule,
  ],
})
export class OrdersModule {}
