import 'reflect-metadata';
import { runService } from '@prescriptchain/messaging';
import { AccountsModule } from './accounts.module';

void runService(AccountsModule, { service: 'accounts' });
