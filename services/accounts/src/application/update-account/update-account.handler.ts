import { Injectable, Logger } from '@nestjs/common';
import { type ClinicAccountView, CodedError } from '@prescriptchain/contracts';
import type { AccountStatus } from '../../domain/clinic-account.entity';
import { AccountsStore } from '../ports/accounts-store';
import { accountView } from '../views';
import { type AccountsCaller, requireAdmin } from '../caller-scope';

/** An admin sets a clinic's credit limit and/or suspends or reactivates its account. */
@Injectable()
export class UpdateAccountHandler {
  private readonly log = new Logger(UpdateAccountHandler.name);

  constructor(private readonly store: AccountsStore) {}

  async execute(input: {
    clinicId: string;
    creditLimitCents?: number;
    status?: AccountStatus;
    /** An admin; logged as the actor. */
    caller: AccountsCaller;
  }): Promise<ClinicAccountView> {
    requireAdmin(input.caller);
    return this.store.transaction(async (tx) => {
      const account = await tx.lockAccount(input.clinicId);
      if (!account) throw new CodedError('NOT_FOUND', 'No account for this clinic.');
      const before = account.snapshot();
      if (input.creditLimitCents !== undefined) account.changeCreditLimit(input.creditLimitCents);
      if (input.status !== undefined) account.changeStatus(input.status);
      const updatedAt = await tx.saveAccount(account);
      const after = account.snapshot();
      this.log.log({
        msg: 'clinic account updated',
        clinicId: input.clinicId,
        actorId: input.caller.userId,
        creditLimitCents: [before.creditLimitCents, after.creditLimitCents],
        status: [before.status, after.status],
      });
      return accountView(account, updatedAt);
    });
  }
}
