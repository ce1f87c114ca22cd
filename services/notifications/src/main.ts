import 'reflect-metadata';
import { checkProductionConfig, runService } from '@prescriptchain/messaging';
import { NOTIFICATIONS_PRODUCTION_CONFIG } from './application/notifications-config';

// Before the module is loaded: building it reads the configuration, and a refusal must come first,
// as one line naming every missing setting (exit 78: the launcher does not restart it).
checkProductionConfig('notifications', NOTIFICATIONS_PRODUCTION_CONFIG);
void import('./notifications.module').then(({ NotificationsModule }) =>
  runService(NotificationsModule, { service: 'notifications' }),
);
