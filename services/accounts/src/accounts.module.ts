import { Module } from '@nestjs/common';
import { MessagingModule } from '@prescriptchain/messaging';
import { AccountsCoreModule } from './accounts-core.module';
import {
  AccountsPrismaModule,
  AccountsPrismaService,
} from './adapters/outbound/prisma/accounts-prisma.service';

/** The only place ports are bound to adapters (through AccountsCoreModule, from the environment). */
@Module({
  imports: [
    AccountsPrismaModule.forRoot(),
    MessagingModule.forService({ service: 'accounts', prismaToken: AccountsPrismaService }),
    AccountsCoreModule.forRoot(),
  ],
})
export class AccountsModule {}
