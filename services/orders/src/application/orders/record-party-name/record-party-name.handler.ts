import { Injectable } from '@nestjs/common';
import type { Envelope } from '@prescriptchain/contracts';
import { OrdersStore } from '../../ports/orders-store';
import { Clock } from '../clock';

export const PARTY_NAMES_CONSUMER = 'orders.party-names';

/**
 * Keeps the display names identity announces (clinics, users) so a printed prescription can say
 * which clinic and practitioner wrote it. A small read model; orders never reads identity's tables.
 */
@Injectable()
export class RecordPartyNameHandler {
  constructor(
    private readonly store: OrdersStore,
    private readonly clock: Clock,
  ) {}

  async execute(
    envelope: Envelope,
    party: { kind: 'clinic' | 'user'; id: string; name: string },
  ): Promise<void> {
    await this.store.transaction(async (tx) => {
      if (!(await tx.claimMessage(PARTY_NAMES_CONSUMER, envelope))) return;
      await tx.recordPartyName({ ...party, at: this.clock.now() });
    });
  }
}
