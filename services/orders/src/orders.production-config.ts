import { type ConfigRule, PII_KEY_RULES, requireSetting } from '@prescriptchain/messaging';

/**
 * What orders needs outside development and test (checked before start; see checkProductionConfig):
 * the personal-data key, which also encrypts the credential signing keys at rest, and the key of the
 * verification codes' HMAC it shares with pharmacy.
 */
export const ORDERS_PRODUCTION_CONFIG: readonly ConfigRule[] = [
  ...PII_KEY_RULES,
  requireSetting('VERIFICATION_CODE_HMAC_KEY'),
];
