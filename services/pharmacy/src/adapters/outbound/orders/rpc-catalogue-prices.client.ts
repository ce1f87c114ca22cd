import { type MedicinePriceView, ORDERS_CATALOGUE_RPC } from '@prescriptchain/contracts';
import type { AmqpRpcClient } from '@prescriptchain/messaging';
import { CataloguePrices } from '../../../application/ports/catalogue-prices';

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
