import { registerMessages } from '../registry';
import { IDENTITY_MESSAGES } from './identity.v1';

export * from './identity.v1';

registerMessages(...IDENTITY_MESSAGES);
