import 'reflect-metadata';
import { checkProductionConfig, runService } from '@prescriptchain/messaging';
import { IDENTITY_PRODUCTION_CONFIG } from './application/identity-config';

// Before the module is loaded: building it reads the configuration, and a refusal must come first,
// as one line naming every missing setting (exit 78: the launcher does not restart it).
checkProductionConfig('identity', IDENTITY_PRODUCTION_CONFIG);
void import('./identity.module').then(({ IdentityModule }) =>
  runService(IdentityModule, { service: 'identity' }),
);
