import { z } from 'zod';

/** Request/reply patterns the gateway calls. Each service answers `<service>.<name>` on its rpc queue. */
export const RPC = {
  ping: (service: string) => `${service}.system.ping`,
} as const;

export const RpcErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type RpcError = z.infer<typeof RpcErrorSchema>;

export const RpcReplySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: RpcErrorSchema }),
]);
export type RpcReply = z.infer<typeof RpcReplySchema>;

export const MessagingCountersSchema = z.object({
  published: z.number().int().nonnegative(),
  consumed: z.number().int().nonnegative(),
  retried: z.number().int().nonnegative(),
  deadLettered: z.number().int().nonnegative(),
  outboxBacklog: z.number().int().nonnegative(),
});
export type MessagingCounters = z.infer<typeof MessagingCountersSchema>;

export const PingReplySchema = z.object({
  service: z.string(),
  status: z.literal('up'),
  messaging: MessagingCountersSchema,
});
export type PingReply = z.infer<typeof PingReplySchema>;
