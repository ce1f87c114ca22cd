import { Injectable } from '@nestjs/common';
import type { MedicinePriceView } from '@prescriptchain/contracts';
import { MedicineCatalogue } from '../../ports/medicine-catalogue';

/**
 * From pharmacy: the catalogue price per unit of each known medicine among `ids` (retired ones
 * too), so a pharmacy cannot declare a wholesale price above what a clinic would pay.
 */
@Injectable()
export class GetMedicinePricesHandler {
  constructor(private readonly catalogue: MedicineCatalogue) {}

  async execute(ids: readonly string[]): Promise<{ prices: MedicinePriceView[] }> {
    const found = await this.catalogue.findByIds(ids);
    return {
      prices: [...found.values()].map((m) => ({
        medicineId: m.id,
        priceCents: m.priceCentsPerGram,
        status: m.status,
      })),
    };
  }
}
