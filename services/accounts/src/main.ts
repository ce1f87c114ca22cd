import 'reflect-metadata';
import { checkProductionConfig, runService } from '@prescriptchain/messaging';
import { ACCOUNTS_PRODUCTION_CONFIG } from './accounts.config';

// Before the module is loaded: building it reads the configuration, and a refusal must come first,
// as one line naming every missing setting (exit 78: the launcher does not restart it).
checkProductionConfig('accounts', ACCOUNTS_PRODUCTION_CONFIG);
void import('./accounts.module').then(({ AccountsModule }) =>
  runService(AccountsModule, { service: 'accounts' }),
);
