import { Injectable } from '@nestjs/common';
import { type IncomingMessage, PharmacyStore } from '../../ports/pharmacy-store';

export const OPERATOR_LINKS_CONSUMER = 'pharmacy.operator-links';

/**
 * Keeps which pharmacy each operator acts for (identity decides; identity.pharmacy_operator.linked
 * tells). A redelivery is skipped by the inbox; a late, older link never replaces a newer one.
 */
@Injectable()
export class LinkOperatorHandler {
  constructor(private readonly store: PharmacyStore) {}

  async execute(
    link: { userId: string; pharmacyId: string; linkedBy: string },
    message: IncomingMessage,
  ): Promise<void> {
    await this.store.transaction(async (tx) => {
      if (!(await tx.claimInbox(OPERATOR_LINKS_CONSUMER, message))) return;
      await tx.operators.link({ ...link, linkedAt: new Date(message.occurredAt) });
    });
  }
}
