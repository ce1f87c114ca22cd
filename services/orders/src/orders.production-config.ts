import { type ConfigRule, PII_KEY_RULES } from '@prescriptchain/messaging';

/**
 * What orders needs outside development and test (checked before start; see checkProductionConfig):
 * the personal-data key, which also encrypts the credential signing keys at rest.
 */
export const ORDERS_PRODUCTION_CONFIG: readonly ConfigRule[] = [...PII_KEY_RULES];
