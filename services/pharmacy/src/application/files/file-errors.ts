import { CodedError } from '@prescriptchain/contracts';

/**
 * A signed file URL that was altered, has expired, is for the other operation or names no file:
 * INVALID_CREDENTIALS (401), as for any other credential that does not check out. The URL is the
 * credential here; the holder needs a new one.
 */
export const invalidFileUrl = () =>
  new CodedError('INVALID_CREDENTIALS', 'The file link is invalid or has expired.');
