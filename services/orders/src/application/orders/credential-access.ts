import { CodedError } from '@prescriptchain/contracts';
import type { Credential, Order } from '../../domain/order/order.entity';

/** Credentials exist from PAID on; a cancelled or expired order's credential is dead and not handed out. */
export function liveCredential(order: Order): Credential {
  const credential = order.credential;
  if (!credential)
    throw new CodedError('INVALID_ORDER_STATUS', 'The order has no credential until it is paid.');
  if (order.status === 'CANCELLED' || order.status === 'EXPIRED') {
    throw new CodedError(
      'INVALID_ORDER_STATUS',
      `The credential of a ${order.status} order is no longer valid.`,
    );
  }
  return credential;
}
