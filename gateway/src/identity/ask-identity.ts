import type { z } from 'zod';
import { parseReply } from '../http/rpc-reply';
import type { BackendRpc } from '../ports/backend-rpc';

/** Asks identity and reads its reply with the contract's view (a reply off contract is a 500, never passed on). */
export async function askIdentity<S extends z.ZodType>(
  rpc: BackendRpc,
  schema: S,
  pattern: string,
  request: unknown,
): Promise<z.output<S>> {
  return parseReply(schema, pattern, await rpc.call(pattern, request));
}
