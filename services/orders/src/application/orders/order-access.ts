import { CodedError, type OrderCaller } from '@prescriptchain/contracts';
import type { Order } from '../../domain/order/order.entity';
import type { OrderScope } from '../ports/orders-store';

/**
 * Who may see and do what with an order. A practitioner sees their own orders, a pharmacy operator
 * those their pharmacy claimed, an admin all. An order the caller may not see is ORDER_NOT_FOUND —
 * never a 403 that would reveal it exists.
 */
export function scopeOf(caller: OrderCaller): OrderScope {
  switch (caller.role) {
    case 'admin':
      return { kind: 'all' };
    case 'practitioner':
      return { kind: 'practitioner', practitionerId: caller.userId };
    case 'pharmacy_operator':
      if (!caller.pharmacyId)
        throw new CodedError('INSUFFICIENT_PERMISSIONS', 'You are not linked to a pharmacy.');
      return { kind: 'pharmacy', pharmacyId: caller.pharmacyId };
  }
}

export function isOwner(caller: OrderCaller, order: Order): boolean {
  return caller.role === 'practitioner' && order.practitionerId === caller.userId;
}

export function canSee(caller: OrderCaller, order: Order): boolean {
  if (caller.role === 'admin') return true;
  if (caller.role === 'practitioner') return order.practitionerId === caller.userId;
  return !!caller.pharmacyId && order.assignedPharmacyId === caller.pharmacyId;
}

/** The order when the caller may see it; ORDER_NOT_FOUND otherwise (absent or someone else's). */
export function visibleOrNotFound(caller: OrderCaller, order: Order | null): Order {
  if (!order || !canSee(caller, order)) throw new CodedError('ORDER_NOT_FOUND');
  return order;
}

/** Only the practitioner who wrote it. An admin, who may see it, is told no; anyone else, not found. */
export function ownedOrNotFound(caller: OrderCaller, order: Order | null): Order {
  const visible = visibleOrNotFound(caller, order);
  if (!isOwner(caller, visible))
    throw new CodedError('INSUFFICIENT_PERMISSIONS', 'Only the prescriber may do this.');
  return visible;
}
