import 'reflect-metadata';
import { runService } from '@prescriptchain/messaging';
import { IdentityModule } from './identity.module';

void runService(IdentityModule, { service: 'identity' });
