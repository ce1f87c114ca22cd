import { Module } from '@nestjs/common';
import { MessagingModule } from '@prescriptchain/messaging';
import { NotificationsPrismaModule, NotificationsPrismaService } from './adapters/outbound/prisma/notifications-prisma.service';

/** The only place ports are bound to adapters. */
@Module({
  imports: [NotificationsPrismaModule.forRoot(), MessagingModule.forService({ service: 'notifications', prismaToken: NotificationsPrismaService })],
})
export class NotificationsModule {}
