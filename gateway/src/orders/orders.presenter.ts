import { CodedError, type ErrorKey, type OrderKpis, type OrderView } from '@prescriptchain/contracts';
import type { z } from 'zod';
import { formatCents } from '../http/money';
import { ORDERS_ROUTES, type OrderSchema } from '../routes/orders.routes';
import type { KpisSchema } from '../routes/reports.routes';
import type { CredentialViewSchema } from './order-replies';

/** Where the prescriber fetches the credential's files (paths under this gateway, so they work behind any proxy). */
export const credentialFilePaths = (orderId: string) => ({
  qrPngUrl: ORDERS_ROUTES.getCredentialPng.path.replace(':id', orderId),
  pdfUrl: ORDERS_ROUTES.getCredentialPdf.path.replace(':id', orderId),
});

/** orders answers in integer cents; api-v1 speaks `"12.34"` strings with a currency. */
export function presentOrder(o: OrderView): z.input<typeof OrderSchema> {
  return {
    id: o.id,
    platformOrderId: o.platformOrderId,
    status: o.status,
    clinicId: o.clinicId,
    practitionerId: o.practitionerId,
    patientInfo: o.patientInfo,
    items: o.items.map((i) => ({
      medicineId: i.medicineId,
      name: i.name,
      pinyin: i.pinyin,
      englishName: i.englishName,
      unit: i.unit,
      quantity: i.quantity,
      processing: i.processing,
      decoctionMethod: i.decoctionMethod,
      dosageInstructions: i.dosageInstructions,
      unitPrice: formatCents(i.unitPriceCents),
      totalPrice: formatCents(i.totalPriceCents),
    })),
    packs: o.packs,
    notes: o.notes,
    totalAmount: formatCents(o.totalCents),
    currency: o.currency,
    paymentFailureReason: o.paymentFailureReason,
    safetyOverride: o.safetyOverride,
    credential: o.credential && {
      platformOrderId: o.credential.platformOrderId,
      expiresAt: o.credential.expiresAt,
      // orders gives the token to the prescriber only; the file links are theirs alone too.
      ...(o.credential.qrCodeData !== undefined && {
        qrCodeData: o.credential.qrCodeData,
        ...credentialFilePaths(o.id),
      }),
    },
    assignedPharmacyId: o.assignedPharmacyId,
    holdExpiresAt: o.holdExpiresAt,
    payout: o.payoutCents === null ? null : formatCents(o.payoutCents),
    history: o.history,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}

export const presentCredential = (c: z.output<typeof CredentialViewSchema>) => ({
  orderId: c.orderId,
  platformOrderId: c.platformOrderId,
  qrCodeData: c.qrCodeData,
  verificationCode: c.verificationCode,
  expiresAt: c.expiresAt,
  ...credentialFilePaths(c.orderId),
});

export const presentKpis = (k: OrderKpis): z.input<typeof KpisSchema> => ({
  from: k.from,
  to: k.to,
  ordersTotal: k.ordersTotal,
  ordersPaid: k.ordersPaid,
  ordersFulfilled: k.ordersFulfilled,
  gtv: formatCents(k.gtvCents),
  grossMargin: formatCents(k.grossMarginCents),
  fulfillmentRate: k.fulfillmentRate,
  avgFulfillmentHours: k.avgFulfillmentHours,
  activePractitioners: k.activePractitioners,
  activePharmacies: k.activePharmacies,
  currency: k.currency,
});

/** accounts' refusals keep their own codes (402); any other failure of the payment step is 502 3001. */
const KEY_BY_REASON: Record<string, ErrorKey> = {
  INSUFFICIENT_FUNDS: 'INSUFFICIENT_FUNDS',
  ACCOUNT_SUSPENDED: 'ACCOUNT_SUSPENDED',
};

/** The error a PAYMENT_FAILED order is answered with; `details.orderId` lets the client retry it. */
export function paymentFailedError(order: OrderView): CodedError {
  const reason = order.paymentFailureReason ?? 'UNKNOWN';
  const key = KEY_BY_REASON[reason] ?? 'PAYMENT_FAILED';
  const message =
    key === 'PAYMENT_FAILED'
      ? 'The payment of the order could not be completed; it may be retried.'
      : undefined;
  return new CodedError(key, message, { orderId: order.id, status: order.status, reason });
}
