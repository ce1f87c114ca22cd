import { z } from 'zod';
import { defineMessage } from '../registry';

/**
 * The outcome of one delivery (one e-mail to one recipient, caused by one consumed message). The
 * address itself stays in notifications' delivery log; the bus carries who it was for.
 */
const DeliveryOutcome = {
  deliveryId: z.uuid(),
  /** The consumed message that caused the delivery. */
  sourceMessageId: z.uuid(),
  channel: z.enum(['email']),
  template: z.string().min(1),
  recipientUserId: z.uuid().nullable(),
  recipientPharmacyId: z.uuid().nullable(),
  attempts: z.number().int().positive(),
};

export const DeliverySentV1 = defineMessage({
  type: 'notifications.delivery.sent',
  version: 1,
  kind: 'event',
  payload: z.object({ ...DeliveryOutcome, sentAt: z.iso.datetime() }),
});

/** Given up: the provider refused it, or it kept failing until the last attempt. */
export const DeliveryFailedV1 = defineMessage({
  type: 'notifications.delivery.failed',
  version: 1,
  kind: 'event',
  payload: z.object({ ...DeliveryOutcome, error: z.string(), failedAt: z.iso.datetime() }),
});

export const NOTIFICATIONS_MESSAGES = [DeliverySentV1, DeliveryFailedV1];
