import { Module } from '@nestjs/common';
import { MessagingModule } from '@prescriptchain/messaging';
import { AccountsPrismaModule, AccountsPrismaService } from './adapters/outbound/prisma/accounts-prisma.service';

/** The only place ports are bound to adapters. */
@Module({
  imports: [AccountsPrismaModule.forRoot(), MessagingModule.forService({ service: 'accounts', prismaToken: AccountsPrismaService })],
})
export class AccountsModule {}
