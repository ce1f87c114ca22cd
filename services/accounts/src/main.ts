import 'reflect-metadata';
import { runService } from '@prescriptchain/messaging';
import { ACCOUNTS_PRODUCTION_CONFIG } from './accounts.config';
import { AccountsModule } from './accounts.module';

void runService(AccountsModule, { service: 'accounts', productionConfig: ACCOUNTS_PRODUCTION_CONFIG });
