import 'reflect-metadata';
import { runService } from '@prescriptchain/messaging';
import { NotificationsModule } from './notifications.module';

void runService(NotificationsModule, { service: 'notifications' });
