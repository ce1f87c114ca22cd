import { Injectable } from '@nestjs/common';
import type { PharmacySettlements } from '@prescriptchain/contracts';
import type { SettlementStatus } from '../../domain/settlement.entity';
import { AccountsStore, type PageRequest } from '../ports/accounts-store';
import { pagination, settlementView } from '../views';
import { type AccountsCaller, requirePharmacyScope } from '../caller-scope';

/** One pharmacy's settlements (newest first) with what it is owed and what it was paid in total. */
@Injectable()
export class GetPharmacySettlementsHandler {
  constructor(private readonly store: AccountsStore) {}

  async execute(
    input: { caller: AccountsCaller; pharmacyId: string; status?: SettlementStatus } & PageRequest,
  ): Promise<PharmacySettlements> {
    requirePharmacyScope(input.caller, input.pharmacyId);
    const [{ items, total }, totals] = await Promise.all([
      this.store.listSettlements({ pharmacyId: input.pharmacyId, status: input.status }, input),
      this.store.settlementTotals(input.pharmacyId),
    ]);
    return {
      items: items.map(settlementView),
      pagination: pagination(input.page, input.limit, total),
      totals: { ...totals, currency: 'NZD' },
    };
  }
}
