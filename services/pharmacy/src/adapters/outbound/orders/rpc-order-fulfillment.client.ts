import {
  type ClaimOrderRequest,
  type ClaimView,
  ORDERS_RPC,
  type ReleaseClaimRequest,
  type SubmitForReviewRequest,
} from '@prescriptchain/contracts';
import type { AmqpRpcClient } from '@prescriptchain/messaging';
import { OrderFulfillment } from '../../../application/ports/order-fulfillment';

/** Orders' fulfillment commands over RPC (request/reply with a deadline; refusals re-thrown as CodedErrors). */
export class RpcOrderFulfillment extends OrderFulfillment {
  constructor(
    private readonly rpc: AmqpRpcClient,
    private readonly deadlineMs: number,
  ) {
    super();
  }

  claim(input: ClaimOrderRequest): Promise<ClaimView> {
    return this.rpc.call<ClaimView>(ORDERS_RPC.claim, input, { deadlineMs: this.deadlineMs });
  }

  releaseClaim(input: ReleaseClaimRequest): Promise<ClaimView> {
    return this.rpc.call<ClaimView>(ORDERS_RPC.releaseClaim, input, { deadlineMs: this.deadlineMs });
  }

  async submitForReview(input: SubmitForReviewRequest): Promise<{ payoutCents: number }> {
    const reply = await this.rpc.call<{ payoutCents: number }>(ORDERS_RPC.submitForReview, input, {
      deadlineMs: this.deadlineMs,
    });
    return { payoutCents: reply.payoutCents };
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
