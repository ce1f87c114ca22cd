/** Scan-to-pay settings the use cases need (from accounts.config.ts). */
export abstract class QrSessionSettings {
  /** PAYMENT_QR_TTL_MINUTES: a session's QR can be paid this long (default 15). */
  abstract readonly ttlMinutes: number;
  /** PAYMENTS_RECONCILE_AFTER_MS: a session pending this long is asked about at its provider. */
  abstract readonly reconcileAfterMs: number;
}

export const toView = (s: import('../../domain/payment-session.entity').PaymentSession) => {
  const x = s.snapshot();
  return {
    sessionId: x.id,
    clinicId: x.clinicId,
    method: x.method,
    amountCents: x.amountCents,
    currency: x.currency,
    status: x.status,
    qrContent: x.qrContent ?? '',
    expiresAt: x.expiresAt.toISOString(),
    paidAt: x.paidAt?.toISOString() ?? null,
    createdAt: x.createdAt.toISOString(),
  };
};
