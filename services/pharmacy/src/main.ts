import 'reflect-metadata';
import { runService } from '@prescriptchain/messaging';
import { PHARMACY_PRODUCTION_CONFIG } from './application/pharmacy-config';
import { PharmacyModule } from './pharmacy.module';

void runService(PharmacyModule, { service: 'pharmacy', productionConfig: PHARMACY_PRODUCTION_CONFIG });
