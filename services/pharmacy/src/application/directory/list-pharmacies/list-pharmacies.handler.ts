import { Injectable } from '@nestjs/common';
import type { PharmacyPageView } from '@prescriptchain/contracts';
import { type Caller, assertAdmin } from '../../caller';
import { type PharmacyStatus, PharmacyStore } from '../../ports/pharmacy-store';
import { toPharmacyView } from '../../views';

@Injectable()
export class ListPharmaciesHandler {
  constructor(private readonly store: PharmacyStore) {}

  async execute(
    caller: Caller,
    input: { status?: PharmacyStatus; search?: string; page: number; limit: number },
  ): Promise<PharmacyPageView> {
    assertAdmin(caller);
    const { items, total } = await this.store.read.pharmacies.list(
      { status: input.status, search: input.search || undefined },
      { page: input.page, limit: input.limit },
    );
    return { items: items.map(toPharmacyView), total, page: input.page, limit: input.limit };
  }
}
