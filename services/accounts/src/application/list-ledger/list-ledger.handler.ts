import { Injectable } from '@nestjs/common';
import { CodedError, type LedgerPage } from '@prescriptchain/contracts';
import { AccountsStore, type PageRequest } from '../ports/accounts-store';
import { ledgerEntryView, pagination } from '../views';
import { type AccountsCaller, clinicScopeOf } from '../caller-scope';

/** A clinic's ledger, newest first. */
@Injectable()
export class ListLedgerHandler {
  constructor(private readonly store: AccountsStore) {}

  async execute(input: { caller: AccountsCaller; clinicId: string } & PageRequest): Promise<LedgerPage> {
    const scope = clinicScopeOf(input.caller);
    if (!(await this.store.findAccountForClinic(scope, input.clinicId)))
      throw new CodedError('NOT_FOUND', 'No account for this clinic.');
    const { items, total } = await this.store.listLedgerForClinic(scope, input.clinicId, input);
    return { items: items.map(ledgerEntryView), pagination: pagination(input.page, input.limit, total) };
  }
}
