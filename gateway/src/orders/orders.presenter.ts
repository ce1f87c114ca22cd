import {
  type ClinicAccountView,
  CodedError,
  type CredentialView,
  type ErrorKey,
  type OrderCheckView,
  type OrderView,
} from '@prescriptchain/contracts';
import { formatCents, toWire } from '../http/money';
import { ORDER_MONEY_NAMES, ORDERS_ROUTES } from '../routes/orders.routes';

/** Where the prescriber fetches the credential's files (paths under this gateway, so they work behind any proxy). */
export const credentialFilePaths = (orderId: string) => ({
  qrPngUrl: ORDERS_ROUTES.getCredentialPng.path.replace(':id', orderId),
  pdfUrl: ORDERS_ROUTES.getCredentialPdf.path.replace(':id', orderId),
});

/** An order in its HTTP form; the prescriber's credential also says where its files are. */
export function presentOrder(o: OrderView) {
  return {
    ...toWire(o, ORDER_MONEY_NAMES),
    credential: o.credential && {
      ...o.credential,
      // orders gives the token to the prescriber only; the file links are theirs alone too.
      ...(o.credential.qrCodeData !== undefined && credentialFilePaths(o.id)),
    },
  };
}

export const presentCredential = (c: CredentialView) => ({ ...c, ...credentialFilePaths(c.orderId) });

/** accounts' refusals keep their own codes (402); any other failure of the payment step is 502 3001. */
const KEY_BY_REASON: Record<string, ErrorKey> = {
  INSUFFICIENT_FUNDS: 'INSUFFICIENT_FUNDS',
  ACCOUNT_SUSPENDED: 'ACCOUNT_SUSPENDED',
};

/**
 * The error a PAYMENT_FAILED order is answered with; `details.orderId` lets the client retry it.
 * All it needs of the order is what the payment_failed event carries too.
 */
export function paymentFailedError(
  order: Pick<OrderView, 'id' | 'status' | 'paymentFailureReason'>,
): CodedError {
  const reason = order.paymentFailureReason ?? 'UNKNOWN';
  const key = KEY_BY_REASON[reason] ?? 'PAYMENT_FAILED';
  const message =
    key === 'PAYMENT_FAILED'
      ? 'The payment of the order could not be completed; it may be retried.'
      : undefined;
  return new CodedError(key, message, { orderId: order.id, status: order.status, reason });
}

/** A checked formula with the clinic account's available amount, as `"12.34"` strings. */
export const presentOrderCheck = (c: OrderCheckView, account: ClinicAccountView) => ({
  ...toWire(c, ORDER_MONEY_NAMES),
  available: formatCents(account.availableCents),
});
