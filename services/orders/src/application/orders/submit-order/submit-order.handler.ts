import { Injectable } from '@nestjs/common';
import { CodedError, type OrderCaller, type OrderView } from '@prescriptchain/contracts';
import { formatMg } from '../../../domain/order/order-money';
import { OrdersStore } from '../../ports/orders-store';
import { Clock } from '../clock';
import { ownedOrNotFound } from '../order-access';
import { requestDebit } from '../order-messages';
import { OrderPricing } from '../order-pricing';
import { orderView } from '../order-views';
import { OrdersConfig } from '../orders-config';

/**
 * POST /orders/:id/submit: a DRAFT goes to payment. The formula is checked and priced again against
 * today's catalogue (a medicine may have been retired, a price changed, a rule added) before the
 * debit is requested — in the same transaction as the move to PENDING_PAYMENT.
 */
@Injectable()
export class SubmitOrderHandler {
  constructor(
    private readonly store: OrdersStore,
    private readonly pricing: OrderPricing,
    private readonly config: OrdersConfig,
    private readonly clock: Clock,
  ) {}

  async execute(caller: OrderCaller, orderId: string): Promise<OrderView> {
    const draft = ownedOrNotFound(caller, await this.store.findById(orderId));
    const now = this.clock.now();
    const { lines, packs, patient, safetyOverride } = draft.snapshot;
    const priced = await this.pricing.price({
      items: lines.map((l) => ({
        medicineId: l.medicineId,
        quantity: formatMg(l.quantityMg),
        processing: l.processing,
        decoctionMethod: l.decoctionMethod,
        dosageInstructions: l.dosageInstructions,
      })),
      packs,
      pregnant: patient.pregnant === true,
      safetyOverrideReason: safetyOverride?.reason,
      by: caller.userId,
      at: now,
    });
    return this.store.transaction(async (tx) => {
      const order = ownedOrNotFound(caller, await tx.lock(orderId));
      if (order.status !== 'DRAFT') {
        throw new CodedError('INVALID_ORDER_STATUS', `A ${order.status} order cannot be submitted.`);
      }
      order.revise(priced.lines, priced.safetyOverride, now);
      order.requestPayment(now, this.config.paymentDeadline(now), caller.userId);
      await tx.save(order);
      await requestDebit(tx, order);
      return orderView(order, caller);
    });
  }
}
