import { Module } from '@nestjs/common';
import { MessagingModule } from '@prescriptchain/messaging';
import { OrdersPrismaModule, OrdersPrismaService } from './adapters/outbound/prisma/orders-prisma.service';
import { CatalogueModule } from './catalogue.module';

/** The only place ports are bound to adapters. */
@Module({
  imports: [
    OrdersPrismaModule.forRoot(),
    MessagingModule.forService({ service: 'orders', prismaToken: OrdersPrismaService }),
    CatalogueModule,
  ],
})
export class OrdersModule {}
