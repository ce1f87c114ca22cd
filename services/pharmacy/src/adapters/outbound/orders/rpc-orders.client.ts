import { ORDERS_RPC } from '@prescriptchain/contracts';
import type { AmqpRpcClient } from '@prescriptchain/messaging';
import {
  CredentialKeyDirectory,
  type CredentialJwk,
  OrderFulfilment,
} from '../../../application/ports/order-fulfilment';

/** Orders' fulfilment commands over RPC (request/reply with a deadline; refusals re-thrown as CodedErrors). */
export class RpcOrderFulfilment extends OrderFulfilment {
  constructor(
    private readonly rpc: AmqpRpcClient,
    private readonly deadlineMs: number,
  ) {
    super();
  }

  async claimForReview(input: { orderId: string; pharmacyId: string; payoutCents: number }): Promise<void> {
    await this.rpc.call(ORDERS_RPC.claimForReview, input, { deadlineMs: this.deadlineMs });
  }

  async review(input: {
    orderId: string;
    decision: 'approve' | 'reject';
    reviewerId: string;
    comments: string | null;
  }): Promise<void> {
    await this.rpc.call(ORDERS_RPC.review, input, { deadlineMs: this.deadlineMs });
  }
}

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
