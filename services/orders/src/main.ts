import 'reflect-metadata';
import { checkProductionConfig, runService } from '@prescriptchain/messaging';
import { ORDERS_PRODUCTION_CONFIG } from './orders.production-config';

// Before the module is loaded: building it reads the configuration, and a refusal must come first,
// as one line naming every missing setting (exit 78: the launcher does not restart it).
checkProductionConfig('orders', ORDERS_PRODUCTION_CONFIG);
void import('./orders.module').then(({ OrdersModule }) => runService(OrdersModule, { service: 'orders' }));
