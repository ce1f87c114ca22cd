import 'reflect-metadata';
import { runService } from '@prescriptchain/messaging';
import { OrdersModule } from './orders.module';

void runService(OrdersModule, { service: 'orders' });
