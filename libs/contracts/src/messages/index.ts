import { registerMessages } from '../registry';
import { ACCOUNTS_MESSAGES } from './accounts.v1';
import { IDENTITY_MESSAGES } from './identity.v1';
import { NOTIFICATIONS_MESSAGES } from './notifications.v1';
import { ORDERS_MESSAGES } from './orders.v1';
import { PHARMACY_MESSAGES } from './pharmacy.v1';

export * from './accounts.v1';
export * from './identity.v1';
export * from './notifications.v1';
export * from './orders.v1';
export * from './pharmacy.v1';

registerMessages(
  ...IDENTITY_MESSAGES,
  ...ACCOUNTS_MESSAGES,
  ...ORDERS_MESSAGES,
  ...PHARMACY_MESSAGES,
  ...NOTIFICATIONS_MESSAGES,
);
