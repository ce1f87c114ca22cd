import 'reflect-metadata';
import { runService } from '@prescriptchain/messaging';
import { PharmacyModule } from './pharmacy.module';

void runService(PharmacyModule, { service: 'pharmacy' });
