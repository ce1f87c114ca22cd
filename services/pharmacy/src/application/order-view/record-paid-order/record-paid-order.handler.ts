import { Injectable } from '@nestjs/common';
import { PiiCipher } from '@prescriptchain/messaging';
import type { OrderLine } from '../../../domain/order-redemption';
import { type IncomingMessage, PharmacyStore } from '../../ports/pharmacy-store';

export const ORDER_VIEW_CONSUMER = 'pharmacy.order-view';

export interface PaidOrder {
  orderId: string;
  platformOrderId: string;
  expiresAt: string;
  patientName: string;
  /** The name encrypted under the PII key orders shares with us (plaintext `patientName` is then empty). */
  patientNameEnc?: string;
  items: (Omit<OrderLine, 'packs'> & { packs?: number })[];
  credentialKid?: string;
  verificationCodeHash?: string;
}

/**
 * orders.order.paid → the order becomes scannable. The patient's name arrives encrypted under the
 * shared PII key and stays encrypted at rest; it is decrypted only when a scan shows it.
 */
@Injectable()
export class RecordPaidOrderHandler {
  constructor(
    private readonly store: PharmacyStore,
    private readonly cipher: PiiCipher,
  ) {}

  async execute(order: PaidOrder, message: IncomingMessage): Promise<void> {
    // One statement (inbox claim + upsert), so no transaction of its own and nothing to relay.
    await this.store.read.orders.upsertPaidOnce(
      { consumer: ORDER_VIEW_CONSUMER, message },
      {
        orderId: order.orderId,
        platformOrderId: order.platformOrderId,
        expiresAt: new Date(order.expiresAt),
        patientName: order.patientNameEnc ? this.cipher.decrypt(order.patientNameEnc) : order.patientName,
        items: order.items.map((i) => ({
          medicineId: i.medicineId,
          name: i.name,
          pinyin: i.pinyin,
          englishName: i.englishName,
          unit: i.unit,
          quantity: i.quantity,
          packs: i.packs ?? 1,
        })),
        credentialKid: order.credentialKid ?? null,
        verificationCodeHash: order.verificationCodeHash ?? null,
      },
      new Date(message.occurredAt),
    );
  }
}
