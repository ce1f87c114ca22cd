import 'reflect-metadata';
import { runService } from '@prescriptchain/messaging';
import { NOTIFICATIONS_PRODUCTION_CONFIG } from './application/notifications-config';
import { NotificationsModule } from './notifications.module';

void runService(NotificationsModule, {
  service: 'notifications',
  productionConfig: NOTIFICATIONS_PRODUCTION_CONFIG,
});
