import 'reflect-metadata';
import { runService } from '@prescriptchain/messaging';
import { ORDERS_PRODUCTION_CONFIG } from './orders.production-config';
import { OrdersModule } from './orders.module';

void runService(OrdersModule, { service: 'orders', productionConfig: ORDERS_PRODUCTION_CONFIG });
