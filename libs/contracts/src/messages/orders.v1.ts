import { z } from 'zod';
import { defineMessage } from '../registry';

/**
 * An admin approved the pharmacy's proof: the order is FULFILLED. `payoutCents` is what the platform
 * owes the pharmacy, fixed when the proof was submitted (accounts opens a settlement for it).
 */
export const OrderFulfilledV1 = defineMessage({
  type: 'orders.order.fulfilled',
  version: 1,
  kind: 'event',
  payload: z.object({
    orderId: z.uuid(),
    clinicId: z.uuid(),
    pharmacyId: z.uuid(),
    payoutCents: z.number().int().nonnegative(),
    fulfilledAt: z.iso.datetime(),
  }),
});

export const ORDERS_MESSAGES = [OrderFulfilledV1];
