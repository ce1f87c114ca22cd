import { Injectable } from '@nestjs/common';
import type { SettlementPage } from '@prescriptchain/contracts';
import type { SettlementStatus } from '../../domain/settlement.entity';
import { AccountsStore, type PageRequest } from '../ports/accounts-store';
import { pagination, settlementView } from '../views';
import { type AccountsCaller, requireAdmin } from '../caller-scope';

/** Settlements for the admins, newest first, optionally by status and pharmacy. */
@Injectable()
export class ListSettlementsHandler {
  constructor(private readonly store: AccountsStore) {}

  async execute(
    input: { caller: AccountsCaller; status?: SettlementStatus; pharmacyId?: string } & PageRequest,
  ): Promise<SettlementPage> {
    requireAdmin(input.caller);
    const { items, total } = await this.store.listSettlements(
      { status: input.status, pharmacyId: input.pharmacyId },
      input,
    );
    return { items: items.map(settlementView), pagination: pagination(input.page, input.limit, total) };
  }
}
