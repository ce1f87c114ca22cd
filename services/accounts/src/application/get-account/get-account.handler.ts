import { Injectable } from '@nestjs/common';
import { type ClinicAccountView, CodedError } from '@prescriptchain/contracts';
import { AccountsStore } from '../ports/accounts-store';
import { accountView } from '../views';
import { type AccountsCaller, clinicScopeOf } from '../caller-scope';

@Injectable()
export class GetAccountHandler {
  constructor(private readonly store: AccountsStore) {}

  async execute(input: { caller: AccountsCaller; clinicId: string }): Promise<ClinicAccountView> {
    const found = await this.store.findAccountForClinic(clinicScopeOf(input.caller), input.clinicId);
    if (!found) throw new CodedError('NOT_FOUND', 'No account for this clinic.');
    return accountView(found.account, found.updatedAt);
  }
}
