import type { Envelope } from '@prescriptchain/contracts';
import type { SourceMessage } from '../../../application/ports/notifications-store';

export const sourceOf = (e: Envelope): SourceMessage => ({
  messageId: e.messageId,
  type: e.type,
  occurredAt: e.occurredAt,
  correlationId: e.correlationId,
});

/** The inbox's consumer name: one per consumed type, so each handler dedupes on its own. */
export const consumerFor = (e: Envelope) => `notifications.${e.type}`;
