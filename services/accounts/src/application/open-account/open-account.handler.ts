import { Injectable } from '@nestjs/common';
import { ClinicAccount } from '../../domain/clinic-account.entity';
import { AccountsStore, type IncomingMessage } from '../ports/accounts-store';

/** A clinic was created in identity: open its account (balance 0, credit 0, active), once. */
@Injectable()
export class OpenAccountHandler {
  static readonly consumer = 'accounts.open-account';

  constructor(private readonly store: AccountsStore) {}

  async execute(input: { clinicId: string }, message?: IncomingMessage): Promise<{ opened: boolean }> {
    return this.store.transaction(async (tx) => {
      if (message && !(await tx.claimMessage(OpenAccountHandler.consumer, message))) return { opened: false };
      return { opened: await tx.openAccount(ClinicAccount.open(input.clinicId)) };
    });
  }
}
