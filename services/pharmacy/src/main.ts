import 'reflect-metadata';
import { checkProductionConfig, runService } from '@prescriptchain/messaging';
import { PHARMACY_PRODUCTION_CONFIG } from './application/pharmacy-config';

// Before the module is loaded: building it reads the configuration, and a refusal must come first,
// as one line naming every missing setting (exit 78: the launcher does not restart it).
checkProductionConfig('pharmacy', PHARMACY_PRODUCTION_CONFIG);
void import('./pharmacy.module').then(({ PharmacyModule }) =>
  runService(PharmacyModule, { service: 'pharmacy' }),
);
