// Moved to the messaging kit so every service encrypts personal data the same way.
export { PiiCipher } from '@prescriptchain/messaging';
