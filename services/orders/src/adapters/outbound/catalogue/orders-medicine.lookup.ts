import { Injectable } from '@nestjs/common';
import { MedicineCatalogue } from '../../../application/catalogue/medicine-catalogue.port';
import { MedicineLookup, type OrderableMedicine } from '../../../application/ports/medicine-lookup';

/** Ordering's view of the catalogue module's by-id lookup (same service, same database). */
@Injectable()
export class CatalogueMedicineLookup extends MedicineLookup {
  constructor(private readonly catalogue: MedicineCatalogue) {
    super();
  }

  async findByIds(ids: readonly string[]): Promise<OrderableMedicine[]> {
    const found = await this.catalogue.findByIds(ids);
    return [...found.values()].map((m) => ({ ...m, priceCentsPerUnit: m.priceCentsPerGram }));
  }
}
