import { Injectable } from '@nestjs/common';
import type { SettlementPage } from '@prescriptchain/contracts';
import type { SettlementStatus } from '../../domain/settlement.entity';
import { AccountsStore, type PageRequest } from '../ports/accounts-store';
import { pagination, settlementView } from '../views';

/** Settlements for the admins, newest first, optionally by status and pharmacy. */
@Injectable()
export class ListSettlementsHandler {
  constructor(private readonly store: AccountsStore) {}

  async execute(
    input: { status?: SettlementStatus; pharmacyId?: string } & PageRequest,
  ): Promise<SettlementPage> {
    const { items, total } = await this.store.listSettlements(
      { status: input.status, pharmacyId: input.pharmacyId },
      input,
    );
    return { items: items.map(settlementView), pagination: pagination(input.page, input.limit, total) };
  }
}
