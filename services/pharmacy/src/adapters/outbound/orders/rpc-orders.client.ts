import {
  type ClaimOrderRequest,
  type ClaimView,
  type MedicinePriceView,
  ORDERS_CATALOGUE_RPC,
  ORDERS_RPC,
  type ReleaseClaimRequest,
  type SubmitForReviewRequest,
} from '@prescriptchain/contracts';
import type { AmqpRpcClient } from '@prescriptchain/messaging';
import {
  CataloguePrices,
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

/** The catalogue's prices over RPC (`orders.medicines.prices`). */
export class RpcCataloguePrices extends CataloguePrices {
  constructor(
    private readonly rpc: AmqpRpcClient,
    private readonly deadlineMs: number,
  ) {
    super();
  }

  async pricesOf(medicineIds: readonly string[]): Promise<Map<string, number>> {
    if (medicineIds.length === 0) return new Map();
    const reply = await this.rpc.call<{ prices: MedicinePriceView[] }>(
      ORDERS_CATALOGUE_RPC.medicinePrices,
      { medicineIds: [...new Set(medicineIds)] },
      { deadlineMs: this.deadlineMs },
    );
    return new Map(reply.prices.map((p) => [p.medicineId, p.priceCents]));
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
