import 'reflect-metadata';
import { runService } from '@prescriptchain/messaging';
import { IDENTITY_PRODUCTION_CONFIG } from './application/identity-config';
import { IdentityModule } from './identity.module';

void runService(IdentityModule, { service: 'identity', productionConfig: IDENTITY_PRODUCTION_CONFIG });
