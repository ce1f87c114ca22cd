import { z } from 'zod';

/**
 * Every message on the broker travels in this envelope. `payload` is validated separately against
 * the schema registered for `type` + `version` (see registry.ts).
 */
export const EnvelopeSchema = z.object({
  messageId: z.uuid(),
  type: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime(),
  correlationId: z.string().min(1),
  causationId: z.string().min(1).nullable(),
  traceparent: z.string().nullable(),
  payload: z.unknown(),
});

export type Envelope<P = unknown> = Omit<z.infer<typeof EnvelopeSchema>, 'payload'> & { payload: P };
