import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { SettlementOpenedV1 } from '@prescriptchain/contracts';
import { Settlement } from '../../domain/settlement.entity';
import { AccountsStore, type IncomingMessage } from '../ports/accounts-store';

/** An order was fulfilled: the platform now owes its pharmacy the payout fixed at proof submission. One per order. */
@Injectable()
export class OpenSettlementHandler {
  static readonly consumer = 'accounts.open-settlement';

  constructor(private readonly store: AccountsStore) {}

  async execute(
    input: { orderId: string; clinicId: string; pharmacyId: string; payoutCents: number },
    message?: IncomingMessage,
  ): Promise<{ opened: boolean; settlementId: string | null }> {
    return this.store.transaction(async (tx) => {
      if (message && !(await tx.claimMessage(OpenSettlementHandler.consumer, message)))
        return { opened: false, settlementId: null };
      const settlement = Settlement.open({
        id: randomUUID(),
        orderId: input.orderId,
        clinicId: input.clinicId,
        pharmacyId: input.pharmacyId,
        amountCents: input.payoutCents,
        at: new Date(),
      });
      if (!(await tx.openSettlement(settlement))) return { opened: false, settlementId: null };
      await tx.publish(
        SettlementOpenedV1,
        {
          settlementId: settlement.id,
          orderId: input.orderId,
          pharmacyId: input.pharmacyId,
          amountCents: input.payoutCents,
        },
        message,
      );
      return { opened: true, settlementId: settlement.id };
    });
  }
}
