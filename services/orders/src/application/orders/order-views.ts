import type { OrderCaller, OrderView } from '@prescriptchain/contracts';
import { formatMg } from '../../domain/order/order-money';
import type { Order } from '../../domain/order/order.entity';
import { isOwner } from './order-access';

/**
 * An order as the caller may see it (money in cents; the gateway formats it). A pharmacy operator
 * sees only the patient's name; only the prescriber sees the QR token.
 */
export function orderView(order: Order, caller: OrderCaller): OrderView {
  const o = order.snapshot;
  const owner = isOwner(caller, order);
  return {
    id: o.id,
    platformOrderId: o.credential?.platformOrderId ?? null,
    status: o.status,
    clinicId: o.clinicId,
    practitionerId: o.practitionerId,
    patientInfo: caller.role === 'pharmacy_operator' ? { name: o.patient.name } : { ...o.patient },
    items: o.lines.map((l) => ({
      medicineId: l.medicineId,
      name: l.name,
      pinyin: l.pinyin,
      englishName: l.englishName,
      unit: l.unit,
      quantity: formatMg(l.quantityMg),
      processing: l.processing,
      decoctionMethod: l.decoctionMethod,
      dosageInstructions: l.dosageInstructions,
      unitPriceCents: l.unitPriceCents,
      totalPriceCents: l.totalCents,
    })),
    packs: o.packs,
    notes: caller.role === 'pharmacy_operator' ? null : o.notes,
    totalCents: o.totalCents,
    currency: 'NZD',
    paymentFailureReason: o.paymentFailureReason,
    safetyOverride: o.safetyOverride
      ? {
          reason: o.safetyOverride.reason,
          rules: [...new Set(o.safetyOverride.violations.map((v) => v.rule))],
        }
      : null,
    credential: o.credential
      ? {
          platformOrderId: o.credential.platformOrderId,
          expiresAt: o.credential.expiresAt.toISOString(),
          ...(owner ? { qrCodeData: o.credential.token } : {}),
        }
      : null,
    assignedPharmacyId: o.assignedPharmacyId,
    holdExpiresAt: o.holdExpiresAt?.toISOString() ?? null,
    payoutCents: caller.role === 'practitioner' ? null : o.payoutCents,
    history: o.history.map((h) => ({
      from: h.from,
      to: h.to,
      at: h.at.toISOString(),
      by: h.by,
      reason: h.reason,
    })),
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}
