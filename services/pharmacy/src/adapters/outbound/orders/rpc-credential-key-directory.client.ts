import { ORDERS_RPC } from '@prescriptchain/contracts';
import type { AmqpRpcClient } from '@prescriptchain/messaging';
import {
  type CredentialJwk,
  CredentialKeyDirectory,
} from '../../../application/ports/credential-key-directory';

/** Orders' credential public keys over RPC (`orders.credentials.jwks` → `{ keys }`). */
export class RpcCredentialKeyDirectory extends CredentialKeyDirectory {
  constructor(
    private readonly rpc: AmqpRpcClient,
    private readonly deadlineMs: number,
  ) {
    super();
  }

  async fetchKeys(): Promise<CredentialJwk[]> {
    const reply = await this.rpc.call<{ keys?: CredentialJwk[] }>(
      ORDERS_RPC.jwks,
      {},
      { deadlineMs: this.deadlineMs },
    );
    return Array.isArray(reply?.keys) ? reply.keys : [];
  }
}
